#include "store/postgres_connection.h"

#include <cassert>
#include <charconv>
#include <cstdio>

#include "store/open_store.h"

namespace safeval::store_internal {
namespace {

// The password a URL carries, in its user info ("user:pw@") or query ("password=pw"); "" if none.
std::string UrlPassword(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos) return std::string(userinfo.substr(colon + 1));
  }
  size_t query = url.find('?');
  if (query == std::string_view::npos) return "";
  std::string_view params = url.substr(query + 1);
  while (!params.empty()) {
    std::string_view param = params.substr(0, params.find('&'));
    if (param.substr(0, 9) == "password=") return std::string(param.substr(9));
    if (param.size() == params.size()) break;
    params.remove_prefix(param.size() + 1);
  }
  return "";
}

std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "***");
    pos += 3;
  }
  return text;
}

}  // namespace

std::string PgReason(const std::exception& e) {
  std::string text = e.what();
  size_t end = text.find('\n');
  if (end != std::string::npos) text.resize(end);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  return text.empty() ? "unknown error" : text;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& url) {
  const std::string label = StoreLabel(url);
  try {
    auto conn = std::make_unique<pqxx::connection>(url);
    return std::unique_ptr<PgConnection>(new PgConnection(std::move(conn), label));
  } catch (const std::exception& e) {
    return Status::Unavailable("cannot connect to store " + label + ": " +
                               Redact(PgReason(e), UrlPassword(url)));
  }
}

Status PgConnection::Error(std::string_view message) const {
  return Status::IoError("store '" + label_ + "': " + std::string(message));
}

PgParams& PgParams::Double(double d) {
  char buf[64];
  // %.17g round-trips every double.
  std::snprintf(buf, sizeof buf, "%.17g", d);
  values_.emplace_back(buf);
  return *this;
}

PgParams& PgParams::Bytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * s.size());
  for (unsigned char c : s) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  values_.emplace_back(std::move(out));
  return *this;
}

std::string PgBytes(const pqxx::field& field) {
  if (field.is_null()) return "";
  return pqxx::binarystring(field).str();
}

namespace {

// One element of an array's text form: quoted, with `"` and `\` escaped, so that any text is
// one element.
void AppendArrayElement(std::string& out, std::string_view value) {
  out += '"';
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

void PgColumns::AddRow(const PgParams& row) {
  assert(row.size() == arrays_.size());
  for (size_t c = 0; c < arrays_.size() && c < row.size(); ++c) {
    std::string& array = arrays_[c];
    if (rows_ > 0) array += ',';
    const std::optional<std::string>& value = row.values()[c];
    if (value) {
      AppendArrayElement(array, *value);
    } else {
      array += "NULL";
    }
  }
  ++rows_;
}

void PgColumns::AppendTo(PgParams& params) const {
  for (const std::string& array : arrays_) params.Text(array + "}");
}

std::string PgTextArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    AppendArrayElement(out, values[i]);
  }
  return out + "}";
}

}  // namespace safeval::store_internal
