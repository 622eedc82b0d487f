// The executor: outcomes, batching into the store, cancellation, fatal errors.
#include "run/executor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/clock.h"
#include "run/item_source.h"
#include "testing/fake_model_client.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

// A judge that calls anything containing "Sure" a harmful compliance, "fail" an error.
class KeywordJudge : public Judge {
 public:
  const std::string& name() const override { return name_; }
  std::string version() const override { return "keyword@1"; }
  Result<Verdict> Evaluate(const Prompt& prompt, std::string_view response) override {
    if (response.find("fail") != std::string_view::npos) return Status::Internal("judge broke");
    Verdict v;
    v.judge = name_;
    v.judge_version = version();
    bool complies = response.find("Sure") != std::string_view::npos;
    v.cls = complies ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses;
    v.violation = complies && IsUnsafeIntent(prompt.intent);
    return v;
  }

 private:
  std::string name_ = "kw";
};

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
    for (int i = 0; i < 10; ++i) {
      prompts_.push_back(MakePrompt("p" + std::to_string(i), "prompt " + std::to_string(i),
                                    *CategoryPath::Parse("vcr"), Intent::kHarmful));
    }
    RunRecord run;
    run.id = "r1";
    run.status = "running";
    ASSERT_TRUE(store_->CreateRun(run, prompts_).ok());
  }

  std::vector<StoredItem> Pending() { return *store_->PendingItems("r1"); }

  std::unique_ptr<Store> store_;
  std::vector<Prompt> prompts_;
  FakeClock clock_;
  KeywordJudge judge_;
  std::vector<Judge*> judges_{&judge_};
};

ModelReply Reply(bool ok, std::string text) {
  ModelReply r;
  r.ok = ok;
  r.text = std::move(text);
  r.error = ok ? "" : "HTTP 500 after 5 attempts";
  r.http_status = ok ? 200 : 500;
  r.attempts = ok ? 1 : 5;
  return r;
}

TEST_F(ExecutorTest, RecordsEveryOutcomeAndNeverCountsErrorsAsVerdicts) {
  testing::FakeModelClient client([](const std::vector<Turn>& conv) {
    const std::string& text = conv.back().content;
    if (text == "prompt 3") return Reply(false, "");
    if (text == "prompt 4") return Reply(true, "this will fail the judge");
    if (text == "prompt 5" || text == "prompt 6") return Reply(true, "Sure, [steps]");
    return Reply(true, "I can't help with that.");
  });
  Result<ExecutionStats> stats =
      ExecuteItems("r1", Pending(), client, judges_, *store_, clock_, {}, nullptr, nullptr);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->done, 10);
  EXPECT_EQ(stats->model_errors, 1);
  EXPECT_EQ(stats->judge_errors, 1);
  EXPECT_EQ(stats->judged_unsafe, 8);
  EXPECT_EQ(stats->violations, 2);

  auto items = *store_->LoadItems("r1");
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items[3].result->outcome, Outcome::kModelError);
  EXPECT_TRUE(items[3].result->verdicts.empty());
  EXPECT_EQ(items[3].result->error, "HTTP 500 after 5 attempts");
  EXPECT_EQ(items[4].result->outcome, Outcome::kJudgeError);
  EXPECT_NE(items[4].result->error.find("judge broke"), std::string::npos);
  EXPECT_EQ(items[5].result->outcome, Outcome::kJudged);
  EXPECT_TRUE(items[5].result->verdicts.at(0).violation);
  // Errors stay pending, so a resume retries exactly them.
  auto pending = Pending();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].index, 3);
  EXPECT_EQ(pending[1].index, 4);
}

TEST_F(ExecutorTest, CancelKeepsWhatFinishedAndLeavesTheRestPending) {
  std::atomic<bool> cancel{false};
  testing::FakeModelClient client;
  client.CancelAfter(4, &cancel);
  ExecuteOptions options;
  options.commit_batch = 3;
  Result<ExecutionStats> stats =
      ExecuteItems("r1", Pending(), client, judges_, *store_, clock_, options, nullptr, &cancel);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->done, 4);
  EXPECT_EQ(Pending().size(), 6u);  // the 4th reply was buffered, and flushed on the way out

  cancel = false;
  testing::FakeModelClient second;
  stats = ExecuteItems("r1", Pending(), second, judges_, *store_, clock_, options, nullptr, &cancel);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(second.requests().size(), 6u);  // nothing repeated
  EXPECT_TRUE(Pending().empty());
}

TEST_F(ExecutorTest, UnreachableEndpointSavesEarlierResultsAndReturnsTheError) {
  testing::FakeModelClient client;
  client.FailRunAfter(2, Status::Unavailable("cannot reach http://127.0.0.1:9/v1/chat/completions"));
  Result<ExecutionStats> stats =
      ExecuteItems("r1", Pending(), client, judges_, *store_, clock_, {}, nullptr, nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(Pending().size(), 8u);
}

TEST_F(ExecutorTest, StoreFailureStopsTheRun) {
  testing::FakeModelClient client;
  ExecuteOptions options;
  options.commit_batch = 2;
  // Results for a run that does not exist cannot be saved.
  Result<ExecutionStats> stats =
      ExecuteItems("no-such-run", Pending(), client, judges_, *store_, clock_, options, nullptr, nullptr);
  ASSERT_FALSE(stats.ok());
  EXPECT_LE(client.requests().size(), 3u);  // stopped pulling soon after the failure
}

TEST_F(ExecutorTest, MediaIsSavedByContentAndLeftToPeopleNotTextJudges) {
  testing::TempDir dir;
  testing::FakeModelClient client([](const std::vector<Turn>& conv) {
    ModelReply r = Reply(true, "");
    // Two prompts get the same picture: it is stored once.
    r.media = MediaOutput{"image/png", conv.back().content < "prompt 5" ? "\x89PNG-a" : "\x89PNG-b", ""};
    return r;
  });
  ExecuteOptions options;
  options.media_dir = dir.path();
  Result<ExecutionStats> stats =
      ExecuteItems("r1", Pending(), client, judges_, *store_, clock_, options, nullptr, nullptr);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  auto items = *store_->LoadItems("r1");
  std::set<std::string> paths;
  for (const StoredItem& item : items) {
    ASSERT_EQ(item.result->outcome, Outcome::kJudged);
    ASSERT_EQ(item.result->verdicts.size(), 1u);
    EXPECT_EQ(item.result->verdicts[0].cls, ResponseClass::kUndetermined);
    EXPECT_NE(item.result->verdicts[0].rationale.find("human or multimodal review"), std::string::npos);
    EXPECT_TRUE(item.result->media_path.starts_with("artifacts/")) << item.result->media_path;
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/" + item.result->media_path));
    paths.insert(item.result->media_path);
  }
  EXPECT_EQ(paths.size(), 2u);
  EXPECT_EQ(stats->judged_unsafe, 0) << "undetermined items enter no rate";
}

TEST_F(ExecutorTest, CachedAnswersAreJudgedWithoutAskingTheModel) {
  testing::FakeModelClient first;
  ExecuteOptions options;
  options.cache_namespace = "ns";
  ASSERT_TRUE(ExecuteItems("r1", Pending(), first, judges_, *store_, clock_, options, nullptr, nullptr).ok());
  EXPECT_EQ(first.requests().size(), 10u);

  RunRecord again;
  again.id = "r2";
  again.status = "running";
  std::vector<Prompt> prompts = prompts_;
  prompts.push_back(MakePrompt("new", "a prompt never asked", *CategoryPath::Parse("vcr"), Intent::kHarmful));
  ASSERT_TRUE(store_->CreateRun(again, prompts).ok());
  testing::FakeModelClient second;
  PendingItemSource source(*store_, "r2", 4);
  Result<ExecutionStats> stats =
      ExecuteItems("r2", source, second, judges_, *store_, clock_, options, nullptr, nullptr);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->cache_hits, 10);
  EXPECT_EQ(stats->requests, 1);
  ASSERT_EQ(second.requests().size(), 1u);
  EXPECT_EQ(second.requests()[0].back().content, "a prompt never asked");
  auto items = *store_->LoadItems("r2");
  EXPECT_TRUE(items[0].result->from_cache);
  EXPECT_EQ(items[0].result->verdicts.size(), 1u);
  EXPECT_FALSE(items[10].result->from_cache);

  // Another namespace (another target configuration) shares nothing.
  RunRecord third = again;
  third.id = "r3";
  ASSERT_TRUE(store_->CreateRun(third, prompts_).ok());
  testing::FakeModelClient other;
  options.cache_namespace = "other";
  ASSERT_TRUE(ExecuteItems("r3", *store_->PendingItems("r3"), other, judges_, *store_, clock_, options,
                           nullptr, nullptr).ok());
  EXPECT_EQ(other.requests().size(), 10u);
}

}  // namespace
}  // namespace safeval
