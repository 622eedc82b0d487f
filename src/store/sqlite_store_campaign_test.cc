// Tests of the SQLite store's response cache index (results.cache_hash, schema version 6): what
// HasCachedResponses and FindCachedResponses find through it, and the migration of a version 5
// store, whose index held the keys themselves.
#include <gtest/gtest.h>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "store/store_rows.h"
#include "testing/status_assert.h"
#include "testing/store_test_data.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using store_internal::CacheKeyHash;
using store_internal::SqliteDb;

// Two namespaces that share their first 8 bytes: the hash's prefix half cannot tell them apart.
const std::string kNs = "0a1b2c3d4e5f6071-";
const std::string kTwin = "0a1b2c3dffffffff-";

ItemResult Answer(int64_t index, const std::string& key, Outcome outcome = Outcome::kJudged) {
  ItemResult r;
  r.index = index;
  r.outcome = outcome;
  r.response = "[answer " + std::to_string(index) + "]";
  r.prompt_tokens = 3;
  r.completion_tokens = 4;
  r.cache_key = key;
  return r;
}

std::vector<std::string> Found(Store& store, const std::vector<std::string>& keys) {
  auto found = store.FindCachedResponses(keys);
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  std::vector<std::string> out;
  if (found.ok()) {
    for (const auto& [key, cached] : *found) out.push_back(key + "=" + cached.response);
  }
  return out;
}

std::string QueryPlan(SqliteDb& db, const std::string& sql) {
  auto stmt = db.Prepare("EXPLAIN QUERY PLAN " + sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  std::string plan;
  while (stmt.ok() && *stmt->Step()) plan += stmt->ColumnText(3) + "\n";
  return plan;
}

TEST(SqliteResponseCache, PrefixesFindExactlyTheKeysThatStartWithThem) {
  auto store = std::move(OpenSqliteStore(":memory:")).value();
  ASSERT_OK(store->CreateRun(testing::TestRun("r"), testing::TestPrompts(4)));
  ASSERT_OK(
      store->SaveResults("r", {Answer(0, kNs + "aaaa"), Answer(1, kTwin + "bbbb"),
                               Answer(2, kNs + "cccc", Outcome::kModelError), Answer(3, "short")}));
  // Prefixes of 8 bytes or more read one range of the index, shorter ones every result.
  for (const std::string& prefix : {kNs, kNs + "a", kNs + "aaaa", kTwin, std::string("0a1b2c3d"),
                                    std::string("0a1b"), std::string("sh"), std::string("short")}) {
    EXPECT_TRUE(*store->HasCachedResponses(prefix)) << prefix;
  }
  for (const std::string& prefix : {kNs + "c", kNs + "aaaaa", kTwin + "a", std::string("0a1b2c3e"),
                                    std::string("shorter"), std::string("x")}) {
    EXPECT_FALSE(*store->HasCachedResponses(prefix)) << prefix;
  }
}

TEST(SqliteResponseCache, KeysWithTheSameHashAreToldApartByTheKey) {
  testing::TempDir dir;
  std::string path = dir.File("s.db");
  auto store = std::move(OpenSqliteStore(path)).value();
  ASSERT_OK(store->CreateRun(testing::TestRun("r"), testing::TestPrompts(2)));
  ASSERT_OK(store->SaveResults("r", {Answer(0, kNs + "one"), Answer(1, kNs + "two")}));
  {
    // A collision: item 0's row gets the hash of item 1's key, and comes first in the index.
    auto db = std::move(SqliteDb::Open(path, 1000)).value();
    ASSERT_OK(db->Exec("UPDATE results SET cache_hash = " +
                       std::to_string(CacheKeyHash(kNs + "two")) + " WHERE idx = 0"));
  }
  // "one" is looked up by its own hash, which no row has now.
  EXPECT_EQ(Found(*store, {kNs + "one", kNs + "two", kNs + "three"}),
            std::vector<std::string>({kNs + "two=[answer 1]"}));
}

TEST(SqliteResponseCache, AVersion5StoreGetsItsKeysHashedAndIndexed) {
  testing::TempDir dir;
  std::string path = dir.File("old.db");
  {
    auto store = std::move(OpenSqliteStore(path)).value();
    ASSERT_OK(store->CreateRun(testing::TestRun("r"), testing::TestPrompts(5)));
    ASSERT_OK(
        store->SaveResults("r", {Answer(0, kNs + "aaaa"), Answer(1, kTwin + "bbbb"),
                                 Answer(2, kNs + "cccc", Outcome::kModelError), Answer(3, "")}));
  }
  {
    // Turn the file back into a version 5 store: its index held the keys.
    auto db = std::move(SqliteDb::Open(path, 1000)).value();
    ASSERT_OK(
        db->Exec("DROP INDEX results_by_cache_hash;"
                 " ALTER TABLE results DROP COLUMN cache_hash;"
                 " CREATE INDEX results_by_cache_key ON results (cache_key)"
                 " WHERE cache_key != '' AND outcome = 'judged';"
                 " UPDATE meta SET value = '5' WHERE key = 'schema_version';"));
  }
  auto store = std::move(OpenSqliteStore(path)).value();
  EXPECT_EQ(Found(*store, {kNs + "aaaa", kTwin + "bbbb", kNs + "cccc", ""}),
            std::vector<std::string>({kNs + "aaaa=[answer 0]", kTwin + "bbbb=[answer 1]"}));
  EXPECT_TRUE(*store->HasCachedResponses(kNs));
  EXPECT_FALSE(*store->HasCachedResponses(kNs + "c"));
  ASSERT_OK(store->SaveResults("r", {Answer(4, kNs + "dddd")}));
  EXPECT_EQ(Found(*store, {kNs + "dddd"}), std::vector<std::string>({kNs + "dddd=[answer 4]"}));

  auto db = std::move(SqliteDb::Open(path, 1000)).value();
  auto rows = db->Prepare("SELECT cache_key, cache_hash FROM results ORDER BY idx");
  ASSERT_OK(rows);
  while (*rows->Step()) EXPECT_EQ(rows->ColumnInt(1), CacheKeyHash(rows->ColumnText(0)));
  auto version = db->Prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(*version->Step());
  EXPECT_EQ(version->ColumnText(0), "6");
  auto index = db->Prepare(
      "SELECT group_concat(name) FROM sqlite_master WHERE tbl_name = 'results'"
      " AND type = 'index' AND name LIKE 'results_by_%'");
  ASSERT_TRUE(*index->Step());
  EXPECT_EQ(index->ColumnText(0), "results_by_cache_hash");
  // A partial index serves only queries that repeat its condition, as the store's do.
  EXPECT_NE(QueryPlan(*db,
                      "SELECT response FROM results WHERE cache_hash = 1 AND cache_key = 'k'"
                      " AND cache_key != '' AND outcome = 'judged' LIMIT 1")
                .find("USING INDEX results_by_cache_hash (cache_hash=?)"),
            std::string::npos);
  EXPECT_NE(QueryPlan(*db,
                      "SELECT 1 FROM results WHERE cache_hash BETWEEN 1 AND 2"
                      " AND cache_key >= 'a' AND cache_key < 'b'"
                      " AND cache_key != '' AND outcome = 'judged' LIMIT 1")
                .find("USING INDEX results_by_cache_hash (cache_hash>? AND cache_hash<?)"),
            std::string::npos);
}

}  // namespace
}  // namespace safeval
