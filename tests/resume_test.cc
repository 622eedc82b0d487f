// A run killed mid-way — with SIGKILL, or stopped with Ctrl-C — continues with
// `safeval run --resume` without losing or repeating a finished item.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
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

constexpr int kItems = 300;

// Records which prompt each request carried; answers slowly (40 ms, so 100 a second at
// concurrency 4, while results are committed every second) so a kill lands mid-run.
class RecordingEndpoint {
 public:
  RecordingEndpoint()
      : server_([this](const std::string& body, int) {
          std::string text = nlohmann::json::parse(body)["messages"].back()["content"];
          {
            std::lock_guard<std::mutex> lock(mu_);
            texts_.push_back(text);
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(40));
          return MockOpenAiServer::ChatReply("I can't help with that.");
        }) {}
  std::string base_url() const { return server_.base_url(); }
  std::vector<std::string> texts() {
    std::lock_guard<std::mutex> lock(mu_);
    return texts_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> texts_;
  MockOpenAiServer server_;
};

// Polls the store until at least `n` results are committed (or ~20 s pass).
std::vector<StoredItem> WaitForResults(const std::string& store_path, size_t n) {
  for (int i = 0; i < 2000; ++i) {
    auto store = OpenSqliteStore(store_path);
    if (store.ok()) {
      auto runs = (*store)->ListRuns();
      if (runs.ok() && !runs->empty()) {
        auto items = (*store)->LoadItems(runs->front().id);
        size_t done = 0;
        if (items.ok())
          for (const auto& item : *items) done += item.result.has_value();
        if (done >= n) return *items;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return {};
}

struct KilledRun {
  std::string run_id;
  std::set<std::string> committed_texts;   // prompts whose results were in the store at the kill
  size_t requests_before = 0;
};

class ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteDataset(dir_, kItems);
    suite_ = WriteOpenAiSuite(dir_, endpoint_.base_url(), "    concurrency: 4\n",
                              "campaign: {batch_size: 10}\n");
  }

  KilledRun StartAndStop(int sig) {
    pid_t pid = StartProcess({SafevalBinary(), "run", suite_}, dir_.path(), dir_.File("out1"),
                             dir_.File("err1"));
    std::vector<StoredItem> seen = WaitForResults(store_path(), 40);
    kill(pid, sig);
    exit_code_ = WaitProcess(pid);
    EXPECT_FALSE(seen.empty()) << ReadFile(dir_.File("err1"));
    KilledRun k;
    auto store = OpenSqliteStore(store_path());
    EXPECT_TRUE(store.ok());
    k.run_id = (*store)->ListRuns()->front().id;
    std::vector<StoredItem> items = *(*store)->LoadItems(k.run_id);
    for (const auto& item : items)
      if (item.result) k.committed_texts.insert(item.prompt.LastUserText());
    k.requests_before = endpoint_.texts().size();
    return k;
  }

  void ResumeAndCheck(const KilledRun& k) {
    EXPECT_GT(k.committed_texts.size(), 0u);
    EXPECT_LT(k.committed_texts.size(), static_cast<size_t>(kItems)) << "the run finished before the stop";
    ProcessResult r = RunProcess({SafevalBinary(), "run", "--resume", k.run_id, "--store", store_path()},
                                 dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

    // Every item has exactly one result, all judged.
    auto store = OpenSqliteStore(store_path());
    ASSERT_TRUE(store.ok());
    auto items = *(*store)->LoadItems(k.run_id);
    ASSERT_EQ(items.size(), static_cast<size_t>(kItems));
    for (const auto& item : items) {
      ASSERT_TRUE(item.result.has_value()) << item.prompt.id;
      EXPECT_EQ(item.result->outcome, Outcome::kJudged) << item.prompt.id;
      EXPECT_EQ(item.result->verdicts.size(), 1u);
    }
    EXPECT_EQ((*store)->GetRun(k.run_id)->status, "finished");

    // The resumed process asked for exactly the items that were not committed: none repeated.
    std::vector<std::string> all = endpoint_.texts();
    std::multiset<std::string> after(all.begin() + k.requests_before, all.end());
    EXPECT_EQ(after.size(), kItems - k.committed_texts.size());
    for (const auto& text : after) {
      EXPECT_EQ(k.committed_texts.count(text), 0u) << "finished item requested again: " << text;
      EXPECT_EQ(after.count(text), 1u) << "requested twice after resume: " << text;
    }
  }

  std::string store_path() const { return dir_.File("store/safeval.db"); }

  TempDir dir_;
  RecordingEndpoint endpoint_;
  std::string suite_;
  int exit_code_ = -1;
};

TEST_F(ResumeTest, SigkillMidRunThenResumeLosesAndRepeatsNothing) {
  KilledRun k = StartAndStop(SIGKILL);
  EXPECT_EQ(exit_code_, 128 + SIGKILL);
  ResumeAndCheck(k);
}

TEST_F(ResumeTest, CtrlCSavesFinishedItemsAndPrintsHowToResume) {
  KilledRun k = StartAndStop(SIGINT);
  EXPECT_EQ(exit_code_, 130);
  std::string err = ReadFile(dir_.File("err1"));
  EXPECT_NE(err.find("safeval run --resume " + k.run_id), std::string::npos) << err;
  auto store = OpenSqliteStore(store_path());
  EXPECT_EQ((*store)->GetRun(k.run_id)->status, "interrupted");
  ResumeAndCheck(k);
}

// Issue 5 and 10: kill -9 at several points of an adaptive campaign, resuming each time;
// the run ends with every item judged exactly once and no committed item asked again.
TEST(ResumeCampaign, RepeatedSigkillsOfAnAdaptiveCampaignLoseAndRepeatNothing) {
  TempDir dir;
  RecordingEndpoint endpoint;
  WriteDataset(dir, kItems);
  std::string suite = WriteOpenAiSuite(dir, endpoint.base_url(), "    concurrency: 4\n",
                                       "campaign: {strategy: adaptive, batch_size: 20}\n");
  std::string store_path = dir.File("store/safeval.db");
  std::string run_id;
  for (size_t kill_at : {30u, 110u, 190u}) {
    std::vector<std::string> args = {SafevalBinary(), "run"};
    if (run_id.empty()) {
      args.push_back(suite);
    } else {
      args.insert(args.end(), {"--resume", run_id, "--store", store_path});
    }
    size_t requests_before = endpoint.texts().size();
    std::set<std::string> committed_before;
    if (!run_id.empty()) {
      auto store = OpenSqliteStore(store_path);
      std::vector<StoredItem> committed = *(*store)->LoadItems(run_id);
      for (const auto& item : committed)
        if (item.result) committed_before.insert(item.prompt.LastUserText());
    }
    pid_t pid = StartProcess(args, dir.path(), dir.File("stdout"), dir.File("stderr"));
    std::vector<StoredItem> seen = WaitForResults(store_path, kill_at);
    kill(pid, SIGKILL);
    EXPECT_EQ(WaitProcess(pid), 128 + SIGKILL);
    ASSERT_FALSE(seen.empty()) << ReadFile(dir.File("stderr"));
    std::vector<std::string> texts = endpoint.texts();
    for (size_t i = requests_before; i < texts.size(); ++i) {
      EXPECT_EQ(committed_before.count(texts[i]), 0u) << "committed item asked again: " << texts[i];
    }
    if (run_id.empty()) {
      auto store = OpenSqliteStore(store_path);
      run_id = (*store)->ListRuns()->front().id;
    }
  }
  ProcessResult r = RunProcess({SafevalBinary(), "run", "--resume", run_id, "--store", store_path},
                               dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto store = OpenSqliteStore(store_path);
  std::vector<StoredItem> items = *(*store)->LoadItems(run_id);
  ASSERT_EQ(items.size(), static_cast<size_t>(kItems));
  for (const auto& item : items) {
    ASSERT_TRUE(item.result.has_value()) << item.prompt.id;
    EXPECT_EQ(item.result->outcome, Outcome::kJudged) << item.prompt.id;
    EXPECT_EQ(item.result->verdicts.size(), 1u) << item.prompt.id;
  }
  // Batch numbers continue across the kills: none repeated, none lost.
  std::vector<BatchRecord> batches = *(*store)->LoadBatches(run_id);
  ASSERT_FALSE(batches.empty());
  for (size_t i = 0; i < batches.size(); ++i) EXPECT_EQ(batches[i].number, static_cast<int>(i + 1));
  EXPECT_EQ((*store)->GetRun(run_id)->status, "finished");
}

}  // namespace
}  // namespace safeval::testing
