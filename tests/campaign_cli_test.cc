// Campaigns, the response cache and --retry-errors through the safeval binary, against a
// loopback endpoint that records what it is asked.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <nlohmann/json.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "store/store.h"
#include "testing/mock_openai_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

constexpr int kItems = 120;

class CampaignCliTest : public ::testing::Test {
 protected:
  CampaignCliTest()
      : server_([this](const std::string& body, int) {
          std::string text = nlohmann::json::parse(body)["messages"].back()["content"];
          ++requests_;
          if (int ms = delay_ms_.load()) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
          if (failing_.load() && text.find("7") != std::string::npos) {
            return MockReply{500, R"({"error": "overloaded"})", {}, 0};
          }
          return MockOpenAiServer::DefaultReply(body);
        }) {
    WriteDataset(dir_, kItems);
  }

  ProcessResult Safeval(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    return RunProcess(args, dir_.path());
  }

  std::string Suite(const std::string& campaign) {
    return WriteOpenAiSuite(dir_, server_.base_url(), "    concurrency: 8\n    max_attempts: 1\n",
                            campaign);
  }

  // The one run not in `known` (runs started in the same second sort by id, not by time).
  std::string NewRun(const std::set<std::string>& known = {}) {
    auto store = OpenSqliteStore(dir_.File("store/safeval.db"));
    std::vector<RunRecord> runs = *(*store)->ListRuns();
    for (const RunRecord& run : runs)
      if (!known.contains(run.id)) return run.id;
    return "";
  }

  std::vector<StoredItem> Items(const std::string& run_id) {
    auto store = OpenSqliteStore(dir_.File("store/safeval.db"));
    return *(*store)->LoadItems(run_id);
  }

  TempDir dir_;
  std::atomic<int> requests_{0};
  std::atomic<bool> failing_{false};
  std::atomic<int> delay_ms_{0};
  MockOpenAiServer server_;
};

TEST_F(CampaignCliTest, AStopRuleSkipsTheRestAndRunsShowTellsTheStory) {
  std::string suite = Suite("campaign: {strategy: stratified, batch_size: 25, stop: {max_requests: 60}}\n");
  ProcessResult r = Safeval({"run", suite, "--log", "requests.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(requests_.load(), 60);
  // The request log: one line per request sent (skipped items were never sent).
  std::string log = ReadFile(dir_.File("requests.jsonl"));
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 60);
  nlohmann::json first = nlohmann::json::parse(log.substr(0, log.find('\n')));
  EXPECT_EQ(first["outcome"], "judged");
  EXPECT_EQ(first["http_status"], 200);
  EXPECT_NE(r.err.find("Campaign stopped: max_requests 60 reached; 60 items not sent"),
            std::string::npos) << r.err;
  std::string run = NewRun();
  int judged = 0, skipped = 0;
  for (const StoredItem& item : Items(run)) {
    ASSERT_TRUE(item.result.has_value());
    judged += item.result->outcome == Outcome::kJudged;
    skipped += item.result->outcome == Outcome::kSkipped;
  }
  EXPECT_EQ(judged, 60);
  EXPECT_EQ(skipped, 60);
  ProcessResult show = Safeval({"runs", "show", run, "--store", "store/safeval.db"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("Batches  3"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("Stopped  max_requests 60 reached"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("60 judged, 0 model_error, 0 judge_error, 60 skipped"), std::string::npos)
      << show.out;
  // Three batches: 25, 25 and the 10 that fit the budget, each over every cell.
  EXPECT_NE(show.out.find("stratified        25"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("stratified        60"), std::string::npos) << show.out;
}

// A spending rule on an `all` campaign is checked as batches are planned, against the results
// committed so far (at least every second), and every request taken from the plan is sent: the
// client must not take thousands ahead (as it does on its own thread when nothing can stop the
// run early), or a budget would be overrun by that many. A model answering in 10 ms, 8 at a
// time, gives ~800 answers a second: the budget (20 answers) is seen spent after the first
// commit, and the plan's look-ahead (a few hundred items) bounds what is sent after it.
TEST_F(CampaignCliTest, ATokenBudgetOnAnAllCampaignStopsWithinTheLookAhead) {
  WriteDataset(dir_, 3000);
  delay_ms_ = 10;
  std::string suite =
      Suite("campaign: {strategy: all, batch_size: 10, stop: {max_tokens: 300}}\n");
  ProcessResult r = Safeval({"run", suite});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("Campaign stopped: max_tokens 300 reached"), std::string::npos) << r.err;
  EXPECT_LT(requests_.load(), 2000) << "requests sent past a budget of ~20 requests";
}

TEST_F(CampaignCliTest, ASecondRunIsAnsweredFromTheCacheUnlessNoCache) {
  std::string suite = Suite("");
  ASSERT_EQ(Safeval({"run", suite}).exit_code, 0);
  ASSERT_EQ(requests_.load(), kItems);
  std::string first = NewRun();
  ProcessResult again = Safeval({"run", suite});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(requests_.load(), kItems) << "the model was asked again";
  EXPECT_NE(again.err.find("120 of 120 answers came from the response cache"), std::string::npos)
      << again.err;
  std::vector<StoredItem> cached = Items(NewRun({first}));
  ASSERT_EQ(cached.size(), static_cast<size_t>(kItems));
  for (const StoredItem& item : cached) {
    ASSERT_TRUE(item.result.has_value());
    EXPECT_TRUE(item.result->from_cache);
    EXPECT_EQ(item.result->outcome, Outcome::kJudged);
    EXPECT_EQ(item.result->verdicts.size(), 1u) << "cached answers are judged like fresh ones";
  }
  ASSERT_EQ(Safeval({"run", suite, "--no-cache"}).exit_code, 0);
  EXPECT_EQ(requests_.load(), 2 * kItems);
  // A different system prompt is a different target: nothing cached applies.
  std::string changed = WriteOpenAiSuite(dir_, server_.base_url(),
                                         "    system_prompt: Be brief.\n    concurrency: 8\n");
  ASSERT_EQ(Safeval({"run", changed}).exit_code, 0);
  EXPECT_EQ(requests_.load(), 3 * kItems);
}

TEST_F(CampaignCliTest, RetryErrorsRedoesOnlyTheFailedItemsOfAFinishedRun) {
  std::string suite = Suite("");
  failing_ = true;
  ProcessResult first = Safeval({"run", suite});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::string run = NewRun();
  std::set<std::string> failed;
  for (const StoredItem& item : Items(run))
    if (item.result->outcome == Outcome::kModelError) failed.insert(item.prompt.id);
  ASSERT_FALSE(failed.empty());
  ProcessResult refused = Safeval({"run", "--resume", run, "--store", "store/safeval.db"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("safeval run --retry-errors " + run), std::string::npos) << refused.err;

  failing_ = false;
  int before = requests_.load();
  ProcessResult retried = Safeval({"run", "--retry-errors", run, "--store", "store/safeval.db"});
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(requests_.load() - before, static_cast<int>(failed.size()));
  for (const StoredItem& item : Items(run)) {
    EXPECT_EQ(item.result->outcome, Outcome::kJudged) << item.prompt.id;
  }
}

}  // namespace
}  // namespace safeval::testing
