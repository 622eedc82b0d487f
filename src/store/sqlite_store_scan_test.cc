// Tests of the store's streamed and windowed reads, the response cache, campaign batches
// and the migration that added them (schema version 3).
#include <gtest/gtest.h>

#include "store/sqlite_db.h"
#include "store/store.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

RunRecord NewRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "s";
  run.suite_path = "/s.yaml";
  run.target_name = "t";
  run.target_identity = "demo:v1";
  run.config_json = "{}";
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "running";
  return run;
}

std::vector<Prompt> Prompts(int n) {
  std::vector<Prompt> prompts;
  for (int i = 0; i < n; ++i) {
    prompts.push_back(MakePrompt("p" + std::to_string(i), "text " + std::to_string(i),
                                 *CategoryPath::Parse(i % 2 ? "vcr/murder" : "ncr"),
                                 i % 3 == 0 ? Intent::kSafe : Intent::kHarmful));
  }
  return prompts;
}

ItemResult Judged(int64_t index, bool violation, const std::string& key = "") {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = "response " + std::to_string(index);
  r.prompt_tokens = 7;
  r.completion_tokens = 5;
  r.cache_key = key;
  Verdict v;
  v.judge = "rules";
  v.judge_version = "2";
  v.cls = violation ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses;
  v.violation = violation;
  r.verdicts.push_back(v);
  return r;
}

std::unique_ptr<Store> Memory() { return std::move(OpenSqliteStore(":memory:")).value(); }

TEST(StoreStreaming, CreateRunStreamingPullsEveryPromptInOrder) {
  auto store = Memory();
  std::vector<Prompt> prompts = Prompts(5);
  size_t next = 0;
  ASSERT_TRUE(store->CreateRunStreaming(
                       NewRun("r"),
                       [&]() -> Result<std::optional<Prompt>> {
                         if (next == prompts.size()) return std::optional<Prompt>();
                         return std::optional<Prompt>(prompts[next++]);
                       },
                       [] { return std::string("hash-of-5"); })
                  .ok());
  EXPECT_EQ(store->GetRun("r")->dataset_hash, "hash-of-5");
  auto items = store->LoadItems("r");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 5u);
  EXPECT_EQ((*items)[3].prompt.id, "p3");
  EXPECT_EQ((*items)[3].index, 3);
}

TEST(StoreStreaming, ASourceErrorWritesNothing) {
  auto store = Memory();
  int calls = 0;
  Status s = store->CreateRunStreaming(
      NewRun("r"),
      [&]() -> Result<std::optional<Prompt>> {
        if (++calls == 3) return Status::InvalidArgument("data.jsonl:3: field 'intent': bad");
        std::vector<Prompt> one = Prompts(1);
        one[0].id = "p" + std::to_string(calls);
        return std::optional<Prompt>(one[0]);
      },
      {});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "data.jsonl:3: field 'intent': bad");
  EXPECT_EQ(store->GetRun("r").status().code(), StatusCode::kNotFound);
}

TEST(StoreStreaming, PendingWindowsCoverThePendingItemsOnce) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("r"), Prompts(10)).ok());
  ItemResult failed;
  failed.index = 4;
  failed.outcome = Outcome::kModelError;
  failed.error = "HTTP 500";
  ASSERT_TRUE(store->SaveResults("r", {Judged(1, false), Judged(2, true), failed}).ok());
  std::vector<int64_t> seen;
  int64_t after = -1;
  while (true) {
    auto window = store->PendingItemsAfter("r", after, 3);
    ASSERT_TRUE(window.ok());
    if (window->empty()) break;
    EXPECT_LE(window->size(), 3u);
    for (const StoredItem& item : *window) {
      EXPECT_FALSE(item.result.has_value());
      seen.push_back(item.index);
    }
    after = window->back().index;
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{0, 3, 4, 5, 6, 7, 8, 9}));
}

TEST(StoreStreaming, ItemsAtReturnsTheAskedItemsByIndex) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("r"), Prompts(6)).ok());
  auto items = store->ItemsAt("r", {5, 1, 99, 1});
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].prompt.id, "p1");
  EXPECT_EQ((*items)[1].prompt.id, "p5");
}

TEST(StoreStreaming, ScanItemsEqualsLoadItemsAcrossWindows) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("r"), Prompts(1100)).ok());
  std::vector<ItemResult> results;
  for (int i = 0; i < 1100; i += 3) results.push_back(Judged(i, i % 2 == 0));
  ASSERT_TRUE(store->SaveResults("r", results).ok());
  auto all = store->LoadItems("r");
  ASSERT_TRUE(all.ok());
  size_t position = 0;
  ASSERT_TRUE(store->ScanItems("r", [&](StoredItem&& item) {
    const StoredItem& expected = (*all)[position++];
    EXPECT_EQ(item.index, expected.index);
    EXPECT_EQ(item.prompt.id, expected.prompt.id);
    EXPECT_EQ(item.prompt.turns, expected.prompt.turns);
    EXPECT_EQ(item.result.has_value(), expected.result.has_value());
    if (item.result) {
      EXPECT_EQ(item.result->response, expected.result->response);
      EXPECT_EQ(item.result->verdicts.size(), 1u);
    }
    return Status::Ok();
  }).ok());
  EXPECT_EQ(position, 1100u);
  int calls = 0;
  Status stopped = store->ScanItems("r", [&](StoredItem&&) {
    return ++calls == 2 ? Status::Internal("enough") : Status::Ok();
  });
  EXPECT_EQ(stopped.code(), StatusCode::kInternal);
  EXPECT_EQ(calls, 2);
}

TEST(StoreStreaming, SummariesCarryTheDecidingVerdict) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("r"), Prompts(4)).ok());
  ASSERT_TRUE(store->SaveResults("r", {Judged(1, true), Judged(2, false)}).ok());
  std::vector<ItemSummary> seen;
  ASSERT_TRUE(store->ScanItemSummaries("r", [&](const ItemSummary& s) { seen.push_back(s); }).ok());
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_FALSE(seen[0].has_result);
  EXPECT_EQ(seen[1].category, "vcr/murder");
  EXPECT_EQ(seen[1].intent, Intent::kHarmful);
  EXPECT_TRUE(seen[1].has_result);
  EXPECT_TRUE(seen[1].violation);
  EXPECT_EQ(seen[1].cls, ResponseClass::kCompliesHarmful);
  EXPECT_EQ(seen[1].tokens, 12);
  EXPECT_FALSE(seen[2].violation);
  EXPECT_EQ(seen[2].cls, ResponseClass::kRefuses);
}

TEST(StoreStreaming, CacheFindsJudgedResponsesByKeyAcrossRuns) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("a"), Prompts(3)).ok());
  ItemResult error;
  error.index = 2;
  error.outcome = Outcome::kModelError;
  error.cache_key = "k2";
  ASSERT_TRUE(store->SaveResults("a", {Judged(0, false, "k0"), Judged(1, false), error}).ok());
  ASSERT_TRUE(store->CreateRun(NewRun("b"), Prompts(1)).ok());
  auto found = store->FindCachedResponses({"k0", "k2", "missing"});
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u) << "errors are never cached";
  EXPECT_EQ((*found)[0].first, "k0");
  EXPECT_EQ((*found)[0].second.response, "response 0");
  EXPECT_EQ((*found)[0].second.completion_tokens, 5);
  auto items = store->LoadItems("a");
  ASSERT_TRUE(items.ok());
  EXPECT_EQ((*items)[0].result->cache_key, "k0");
  EXPECT_TRUE(*store->HasCachedResponses("k"));
  EXPECT_TRUE(*store->HasCachedResponses("k0"));
  EXPECT_FALSE(*store->HasCachedResponses("k2")) << "errors are never cached";
  EXPECT_FALSE(*store->HasCachedResponses("j"));
}

TEST(StoreStreaming, BatchesRoundTripAndReplace) {
  auto store = Memory();
  ASSERT_TRUE(store->CreateRun(NewRun("r"), Prompts(2)).ok());
  BatchRecord b;
  b.number = 1;
  b.strategy = "adaptive";
  b.started_at = "2026-11-28T03:10:00Z";
  b.allocation = {{"vcr/harmful", 12, 0}, {"ncr/safe", 8, 0}};
  b.estimates = {{"vcr", 12, 3}};
  b.requests = 20;
  ASSERT_TRUE(store->SaveBatch("r", b).ok());
  b.finished_at = "2026-11-28T03:11:00Z";
  b.stop_reason = "max_requests 20 reached";
  ASSERT_TRUE(store->SaveBatch("r", b).ok());
  auto batches = store->LoadBatches("r");
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].finished_at, "2026-11-28T03:11:00Z");
  EXPECT_EQ((*batches)[0].allocation[1].cell, "ncr/safe");
  EXPECT_EQ((*batches)[0].allocation[1].items, 8);
  EXPECT_EQ((*batches)[0].estimates[0].failures, 3);
  EXPECT_EQ((*batches)[0].stop_reason, "max_requests 20 reached");
  EXPECT_EQ(store->SaveBatch("nope", b).code(), StatusCode::kNotFound);
}

TEST(StoreStreaming, AVersion2StoreMigratesKeepingItsResults) {
  testing::TempDir dir;
  std::string path = dir.path() + "/old.db";
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->CreateRun(NewRun("r"), Prompts(2)).ok());
    ASSERT_TRUE((*store)->SaveResults("r", {Judged(0, true)}).ok());
  }
  {
    // Turn the file back into a version 2 store: drop what versions 3 to 6 added.
    auto db = store_internal::SqliteDb::Open(path, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE adjudications; DROP TABLE labels; DROP TABLE round_items;"
                            " DROP TABLE rounds; DROP TABLE annotators;"
                            " DROP TABLE batches; DROP TABLE attacks;"
                            " DROP INDEX results_by_cache_hash;"
                            " ALTER TABLE results DROP COLUMN cache_hash;"
                            " ALTER TABLE results DROP COLUMN cache_key;"
                            " ALTER TABLE results DROP COLUMN from_cache;"
                            " ALTER TABLE results DROP COLUMN media_path;"
                            " ALTER TABLE results DROP COLUMN tool_calls;"
                            " ALTER TABLE results DROP COLUMN findings;"
                            " ALTER TABLE verdicts DROP COLUMN missed_distress;"
                            " UPDATE meta SET value = '2' WHERE key = 'schema_version';")
                    .ok());
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto items = (*store)->LoadItems("r");
  ASSERT_TRUE(items.ok());
  ASSERT_TRUE((*items)[0].result.has_value());
  EXPECT_TRUE((*items)[0].result->verdicts[0].violation);
  EXPECT_EQ((*items)[0].result->cache_key, "");
  EXPECT_TRUE((*store)->LoadBatches("r").ok());
}

}  // namespace
}  // namespace safeval
