// Tests of the SQLite store's write path that the Store conformance tests cannot see: the
// statements a store keeps for its connection, and the page size of new stores.
#include <gtest/gtest.h>

#include "store/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/store_schema.h"
#include "testing/status_assert.h"
#include "testing/store_test_data.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using store_internal::SqliteDb;

ItemResult Judged(int64_t index, const std::string& response) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = response;
  r.cache_key = "ns-" + std::to_string(index);
  Verdict v;
  v.judge = "rules";
  v.judge_version = "rules@1";
  v.cls = ResponseClass::kRefuses;
  v.rationale = "refuses; cues: refusal_opening";
  v.evidence = {{0, 5, "refusal_opening"}};
  r.verdicts = {v};
  return r;
}

std::vector<std::string> Responses(Store& store, const std::string& run_id) {
  std::vector<std::string> out;
  auto items = store.LoadItems(run_id);
  EXPECT_TRUE(items.ok()) << items.status().ToString();
  if (!items.ok()) return out;
  for (const StoredItem& item : *items) {
    out.push_back(
        !item.result ? "-" : item.result->response + "/" + item.result->verdicts.at(0).rationale);
  }
  return out;
}

int64_t PragmaValue(SqliteDb& db, const std::string& pragma) {
  auto stmt = db.Prepare("PRAGMA " + pragma);
  EXPECT_TRUE(stmt.ok() && *stmt->Step()) << pragma;
  return stmt.ok() ? stmt->ColumnInt(0) : -1;
}

// The kept statements borrow each batch's text: later batches, a failed one in between and a
// schema change by another connection must leave no trace of earlier bindings.
TEST(SqliteStoreWrites, KeptStatementsServeBatchAfterBatch) {
  testing::TempDir dir;
  std::string path = dir.File("s.db");
  auto store = std::move(OpenSqliteStore(path)).value();
  ASSERT_OK(store->CreateRun(testing::TestRun("r"), testing::TestPrompts(3)));
  {
    std::vector<ItemResult> batch = {Judged(0, "first")};
    ASSERT_OK(store->SaveResults("r", batch));
    batch[0].response = "overwritten after saving";
  }
  std::vector<ItemResult> bad = {Judged(1, "kept?"), Judged(7, "out of range")};
  EXPECT_EQ(store->SaveResults("r", bad).code(), StatusCode::kInvalidArgument);
  {
    auto other = std::move(SqliteDb::Open(path, 1000)).value();
    ASSERT_OK(other->Exec("CREATE TABLE unrelated (x INTEGER)"));
  }
  ASSERT_OK(store->SaveResults("r", {Judged(2, "third"), Judged(0, "again")}));
  EXPECT_EQ(Responses(*store, "r"),
            std::vector<std::string>({"again/refuses; cues: refusal_opening", "-",
                                      "third/refuses; cues: refusal_opening"}));
  auto cached = store->FindCachedResponses({"ns-0", "ns-1", "ns-2"});
  ASSERT_OK(cached);
  ASSERT_EQ(cached->size(), 2u);
  EXPECT_EQ((*cached)[0].second.response, "again");
}

// SaveResults writes with foreign keys off (sqlite_store_items.cc); the connection, which the
// annotation store may share, checks them again afterwards, whether the batch failed or not.
TEST(SqliteStoreWrites, ForeignKeysAreCheckedAgainAfterABatch) {
  auto db =
      std::shared_ptr<SqliteDb>(std::move(store_internal::OpenStoreConnection(":memory:")).value());
  store_internal::SqliteStore store(db);
  ASSERT_OK(store.CreateRun(testing::TestRun("r"), testing::TestPrompts(2)));
  ASSERT_OK(store.SaveResults("r", {Judged(0, "one")}));
  EXPECT_EQ(PragmaValue(*db, "foreign_keys"), 1);
  EXPECT_FALSE(store.SaveResults("r", {Judged(1, "two"), Judged(2, "none")}).ok());
  EXPECT_EQ(PragmaValue(*db, "foreign_keys"), 1);
  EXPECT_FALSE(store.SaveResults("nope", {Judged(0, "none")}).ok());
  EXPECT_EQ(PragmaValue(*db, "foreign_keys"), 1);
  // The replaced result's verdicts went with it, as the cascade would have taken them.
  ASSERT_OK(store.SaveResults("r", {Judged(0, "again")}));
  auto verdicts = db->Prepare("SELECT count(*) FROM verdicts");
  ASSERT_TRUE(*verdicts->Step());
  EXPECT_EQ(verdicts->ColumnInt(0), 1);
  EXPECT_EQ(Responses(store, "r"),
            std::vector<std::string>({"again/refuses; cues: refusal_opening", "-"}));
}

TEST(SqliteStoreWrites, NewStoresUse16KPagesAndOldOnesKeepTheirs) {
  testing::TempDir dir;
  {
    auto db = std::move(store_internal::OpenStoreConnection(dir.File("new.db"))).value();
    EXPECT_EQ(PragmaValue(*db, "page_size"), 16384);
    EXPECT_EQ(PragmaValue(*db, "wal_autocheckpoint"), 4096);  // 64 MB of WAL
  }
  {
    // A store made by a build that used SQLite's default page size.
    auto db = std::move(SqliteDb::Open(dir.File("old.db"), 1000)).value();
    ASSERT_OK(db->Exec("PRAGMA page_size = 4096"));
    ASSERT_OK(store_internal::MigrateStore(*db));
    ASSERT_OK(db->Exec("PRAGMA journal_mode = WAL"));
  }
  auto db = std::move(store_internal::OpenStoreConnection(dir.File("old.db"))).value();
  EXPECT_EQ(PragmaValue(*db, "page_size"), 4096);
  EXPECT_EQ(PragmaValue(*db, "wal_autocheckpoint"), 16384);
  auto store = std::move(OpenSqliteStore(dir.File("old.db"))).value();
  ASSERT_OK(store->CreateRun(testing::TestRun("r"), testing::TestPrompts(1)));
  ASSERT_OK(store->SaveResults("r", {Judged(0, "fine")}));
  EXPECT_EQ(Responses(*store, "r"),
            std::vector<std::string>({"fine/refuses; cues: refusal_opening"}));
}

}  // namespace
}  // namespace safeval
