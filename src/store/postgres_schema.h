// The PostgreSQL store's schema and its forward migrations, private to src/store/.
//
// The tables live in the connection's current schema (the first of its search_path, "public"
// by default), so one database can hold several stores. The schema version lives in
// meta(key 'schema_version'); it counts PostgreSQL migrations, independently of the SQLite
// store's versions. A store is migrated in one transaction holding an advisory lock, so a crash
// mid-migration leaves it at its old version and two processes opening it migrate it once.
#pragma once

#include "core/status.h"
#include "store/postgres_connection.h"

namespace safeval::store_internal {

// The newest PostgreSQL schema this build writes and understands.
inline constexpr int kPostgresSchemaVersion = 2;

// Brings the store to kPostgresSchemaVersion. Fails with
//   InvalidArgument "store <label> has schema version N; this safeval understands up to M —
//     upgrade safeval" when the store is newer;
//   IoError when the schema holds tables but no safeval meta table (another application's),
//     or on any database error.
Status MigratePostgresStore(PgConnection& db);

// Brings the store to `target` (1..kPostgresSchemaVersion) and no further; a store already at
// or past it is left alone (one newer than this build is refused as above). For tests of the
// migrations, which need a store at an old version; InvalidArgument for an unknown `target`.
Status MigratePostgresStoreTo(PgConnection& db, int target);

// The store's schema version; 0 when the current schema has no meta table.
Result<int> ReadPostgresSchemaVersion(PgConnection& db);

}  // namespace safeval::store_internal
