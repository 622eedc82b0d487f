// The SQLite store's schema and its forward migrations, private to src/store/.
//
// The schema version lives in meta(key 'schema_version'). Migrations are an
// ordered list; each brings the schema from version N-1 to N. A store is
// migrated in one IMMEDIATE transaction, so a crash mid-migration leaves it at
// its old version, and two processes opening the same old store migrate it once.
#pragma once

#include <string>

#include "core/status.h"
#include "store/sqlite_db.h"

namespace safeval::store_internal {

// The newest schema this build writes and understands.
inline constexpr int kStoreSchemaVersion = 6;

// Brings the store at `db` to kStoreSchemaVersion. Fails with
//   InvalidArgument when the store's version is newer than this build knows;
//   IoError when the file holds tables but no safeval meta table (some other
//     application's database), or on any SQLite error.
Status MigrateStore(SqliteDb& db);

// The store's schema version; 0 for an empty database.
Result<int> ReadSchemaVersion(SqliteDb& db);

}  // namespace safeval::store_internal
