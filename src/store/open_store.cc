#include "store/open_store.h"

#include "store/postgres_annotation_store.h"
#include "store/postgres_store.h"

namespace safeval {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Replaces the value of each "password=" query parameter with "***".
std::string RedactQueryPassword(std::string url) {
  size_t query = url.find('?');
  if (query == std::string::npos) return url;
  for (size_t pos = query + 1; pos < url.size();) {
    size_t end = url.find('&', pos);
    if (end == std::string::npos) end = url.size();
    if (url.compare(pos, 9, "password=") == 0) {
      url.replace(pos + 9, end - pos - 9, "***");
      end = pos + 12;
    }
    pos = end + 1;
  }
  return url;
}

}  // namespace

bool IsPostgresUrl(std::string_view spec) {
  return StartsWith(spec, "postgresql://") || StartsWith(spec, "postgres://");
}

std::string StoreLabel(std::string_view spec) {
  if (!IsPostgresUrl(spec)) return std::string(spec);
  std::string url(spec);
  size_t authority = url.find("://") + 3;
  size_t authority_end = url.find_first_of("/?", authority);
  if (authority_end == std::string::npos) authority_end = url.size();
  // The user info ends at the authority's last '@' (an '@' inside it must be %40-encoded).
  size_t at = url.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    size_t colon = url.find(':', authority);
    if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  }
  return RedactQueryPassword(std::move(url));
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& spec) {
  if (!IsPostgresUrl(spec)) return OpenSqliteStore(spec);
  SV_ASSIGN_OR_RETURN(std::shared_ptr<store_internal::PgConnection> db,
                      store_internal::OpenPostgresConnection(spec));
  return std::unique_ptr<Store>(new store_internal::PostgresStore(std::move(db)));
}

Result<Stores> OpenStores(const std::string& spec) {
  Stores stores;
  if (!IsPostgresUrl(spec)) {
    SV_ASSIGN_OR_RETURN(SqliteStores sqlite, OpenSqliteStores(spec));
    stores.runs = std::move(sqlite.runs);
    stores.annotations = std::move(sqlite.annotations);
    return stores;
  }
  SV_ASSIGN_OR_RETURN(std::shared_ptr<store_internal::PgConnection> db,
                      store_internal::OpenPostgresConnection(spec));
  stores.runs = std::make_unique<store_internal::PostgresStore>(db);
  stores.annotations = std::make_unique<store_internal::PostgresAnnotationStore>(db);
  return stores;
}

}  // namespace safeval
