// Opening a store from what the user typed after --store: a SQLite file path (the default), or a
// PostgreSQL URL "postgresql://user@host:port/dbname?…" (also "postgres://"). Passwords belong in
// PGPASSWORD or ~/.pgpass; one given in the URL works but is never shown: every message and
// label uses StoreLabel(spec).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "store/annotation_store.h"
#include "store/store.h"

namespace safeval {

// True for "postgresql://…" and "postgres://…".
bool IsPostgresUrl(std::string_view spec);

// `spec` fit to show: a URL with its password replaced by "***"; a path as it is.
std::string StoreLabel(std::string_view spec);

// A Store and an AnnotationStore over one connection.
struct Stores {
  std::unique_ptr<Store> runs;
  std::unique_ptr<AnnotationStore> annotations;
};

// Opens (creating and migrating the schema as needed) the store `spec` names. A SQLite path
// behaves as OpenSqliteStore; a PostgreSQL URL connects (Unavailable "cannot connect to store
// <label>: <reason>" when it cannot) and migrates the database's safeval schema forward.
Result<std::unique_ptr<Store>> OpenStore(const std::string& spec);
Result<Stores> OpenStores(const std::string& spec);

}  // namespace safeval
