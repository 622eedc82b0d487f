// Tests of the store schema: creation, idempotent migration, and refusing
// newer or foreign databases.
#include "store/store_schema.h"

#include <gtest/gtest.h>

namespace safeval::store_internal {
namespace {

std::unique_ptr<SqliteDb> OpenMemory() {
  auto db = SqliteDb::Open(":memory:", 0);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

bool HasTable(SqliteDb& db, const std::string& name) {
  auto stmt = db.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  EXPECT_TRUE(stmt.ok());
  return *stmt->Bind(1, name).Step();
}

TEST(StoreSchema, EmptyDatabaseGetsTheCurrentSchema) {
  auto db = OpenMemory();
  EXPECT_EQ(*ReadSchemaVersion(*db), 0);
  ASSERT_TRUE(MigrateStore(*db).ok());
  EXPECT_EQ(*ReadSchemaVersion(*db), kStoreSchemaVersion);
  for (const char* table : {"meta", "runs", "items", "results", "verdicts", "annotators", "rounds",
                            "round_items", "labels", "adjudications"}) {
    EXPECT_TRUE(HasTable(*db, table)) << table;
  }
}

TEST(StoreSchema, MigratingACurrentStoreChangesNothing) {
  auto db = OpenMemory();
  ASSERT_TRUE(MigrateStore(*db).ok());
  ASSERT_TRUE(db->Exec("INSERT INTO meta VALUES ('marker', 'kept')").ok());
  ASSERT_TRUE(MigrateStore(*db).ok());
  auto stmt = db->Prepare("SELECT value FROM meta WHERE key = 'marker'");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnText(0), "kept");
}

TEST(StoreSchema, NewerVersionIsRefused) {
  auto db = OpenMemory();
  ASSERT_TRUE(MigrateStore(*db).ok());
  ASSERT_TRUE(db->Exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'").ok());
  Status s = MigrateStore(*db);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "store :memory: has schema version 7; this safeval understands up to " +
                             std::to_string(kStoreSchemaVersion) + " — upgrade safeval");
}

TEST(StoreSchema, ForeignDatabaseIsRefusedAndLeftAlone) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE contacts (name TEXT)").ok());
  Status s = MigrateStore(*db);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(),
            "':memory:' is not a safeval store: it holds another application's tables");
  EXPECT_FALSE(HasTable(*db, "meta"));
  EXPECT_FALSE(HasTable(*db, "runs"));
}

TEST(StoreSchema, UnreadableVersionIsAnError) {
  auto db = OpenMemory();
  ASSERT_TRUE(MigrateStore(*db).ok());
  ASSERT_TRUE(db->Exec("UPDATE meta SET value = 'one' WHERE key = 'schema_version'").ok());
  Status s = MigrateStore(*db);
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("schema_version 'one' is not a positive number"), std::string::npos)
      << s.message();
  ASSERT_TRUE(db->Exec("DELETE FROM meta WHERE key = 'schema_version'").ok());
  EXPECT_NE(MigrateStore(*db).message().find("no schema_version"), std::string::npos);
}

}  // namespace
}  // namespace safeval::store_internal
