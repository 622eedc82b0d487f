// LiveReportData gives LoadReportData's report from the results it was told about, without
// scanning the store, exactly when they were the whole run; otherwise it scans.
#include "server/live_report_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "report/report.h"
#include "server/stored_report.h"
#include "store/forwarding_store.h"

namespace safeval {
namespace {

constexpr char kVersion[] = "0.1.0 (test)";
constexpr char kPolicy[] = "builtin:default";

RunRecord NewRun() {
  RunRecord run;
  run.id = "run";
  run.suite_name = "s";
  run.suite_path = "/s.yaml";
  run.target_name = "target";
  run.target_identity = "demo:v1";
  run.config_json = "{}";
  run.judges = {"rules@2", "llm@1"};
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "running";
  return run;
}

// Counts full scans of a run's items.
class ScanCountingStore : public ForwardingStore {
 public:
  using ForwardingStore::ForwardingStore;
  Status ScanItems(const std::string& run_id,
                   const std::function<Status(StoredItem&&)>& visit) override {
    ++scans;
    return ForwardingStore::ScanItems(run_id, visit);
  }
  int scans = 0;
};

// The result of item `i`: violations, refusals and helpful answers over three hazards and
// intents, a second judge on some, evidence, model errors, undetermined verdicts, findings.
ItemResult ResultFor(int i) {
  ItemResult r;
  r.index = i;
  r.outcome = Outcome::kJudged;
  bool unsafe = i % 3 != 0;
  bool violation = unsafe && i % 5 == 1;
  r.response = (violation ? "Sure. [step-by-step placeholder] " : "An answer. ") +
               std::to_string(i) + " caf\xc3\xa9";
  Verdict v;
  v.judge = "rules";
  v.judge_version = "rules@2";
  v.cls = violation ? ResponseClass::kCompliesHarmful
          : unsafe  ? ResponseClass::kRefuses
                    : ResponseClass::kHelpful;
  if (i % 41 == 0) v.cls = ResponseClass::kUndetermined;
  v.violation = violation;
  v.confidence = 0.1 + (i % 9) / 10.0;
  v.rationale = "cues for " + std::to_string(i);
  v.evidence = {{0, 5, "compliance_opening"}};
  if (i % 7 == 0) v.quality = 1 + i % 5;
  r.verdicts.push_back(v);
  if (i % 4 == 0) {
    Verdict second = v;
    second.judge = "llm";
    second.judge_version = "llm@1";
    second.violation = violation && i % 8 == 1;
    r.verdicts.push_back(second);
  }
  if (i % 37 == 0) {
    r.outcome = Outcome::kModelError;
    r.response.clear();
    r.verdicts.clear();
    r.error = "HTTP 500: upstream";
  }
  if (i % 23 == 0 && r.outcome == Outcome::kJudged) {
    r.findings.leak = true;
    r.findings.details = {"canary at byte 3"};
  }
  return r;
}

class LiveReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenSqliteStore(":memory:")).value();
    counting_ = std::make_unique<ScanCountingStore>(*store_);
  }

  // A run of `n` prompts over three hazards and the three intents, with techniques.
  void CreateRun(int n) {
    const char* kCategories[] = {"vcr", "ncr/fraud", "ssh"};
    std::vector<Prompt> prompts;
    for (int i = 0; i < n; ++i) {
      Intent intent = kAllIntents[static_cast<size_t>(i % 3)];
      Prompt p = MakePrompt("p" + std::to_string(i), "text " + std::to_string(i),
                            *CategoryPath::Parse(kCategories[(i / 3) % 3]), intent);
      if (intent == Intent::kAdversarial) p.techniques = {i % 2 ? "role_play" : "base64"};
      prompts.push_back(std::move(p));
    }
    ASSERT_TRUE(store_->CreateRun(NewRun(), prompts).ok());
  }

  // Saves the results of `indexes`, in that order, in batches of 50, telling `live` about
  // each as the executor does (with the item as the store gives it).
  void Commit(const std::vector<int>& indexes, LiveReportData& live) {
    std::vector<StoredItem> items = store_->LoadItems("run").value();
    std::vector<ItemResult> batch;
    for (size_t k = 0; k < indexes.size(); ++k) {
      ItemResult r = ResultFor(indexes[k]);
      live.Add(items[static_cast<size_t>(indexes[k])], r);
      batch.push_back(std::move(r));
      if (batch.size() == 50 || k + 1 == indexes.size()) {
        ASSERT_TRUE(store_->SaveResults("run", batch).ok());
        batch.clear();
      }
    }
  }

  // The report as results.json renders it: every part the builder made.
  std::string Finished(LiveReportData&& live) {
    Result<ReportData> data = std::move(live).Finish(*counting_, NewRun(), kPolicy, kVersion);
    EXPECT_TRUE(data.ok()) << data.status().message();
    return data.ok() ? RenderResultsJson(*data) : "";
  }
  std::string Scanned() {
    Result<ReportData> data = LoadReportData(*store_, NewRun(), {}, kPolicy, kVersion);
    EXPECT_TRUE(data.ok()) << data.status().message();
    return data.ok() ? RenderResultsJson(*data) : "";
  }

  static std::vector<int> Range(int from, int to) {
    std::vector<int> v;
    for (int i = from; i < to; ++i) v.push_back(i);
    return v;
  }

  std::unique_ptr<Store> store_;
  std::unique_ptr<ScanCountingStore> counting_;
};

TEST_F(LiveReportDataTest, ResultsArrivingOutOfOrderGiveTheScannedReportWithoutAScan) {
  CreateRun(2000);
  // Shuffled within windows of 300, as replies overtake each other.
  std::vector<int> order = Range(0, 2000);
  std::mt19937 rng(7);
  for (size_t from = 0; from < order.size(); from += 300)
    std::shuffle(order.begin() + from, order.begin() + std::min(order.size(), from + 300), rng);
  LiveReportData live;
  Commit(order, live);
  EXPECT_TRUE(live.usable());
  std::string live_json = Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 0);
  EXPECT_EQ(live_json, Scanned());
  EXPECT_NE(live_json.find("\"violation_rate\""), std::string::npos);
}

TEST_F(LiveReportDataTest, AnItemNeverAddedMakesItScan) {
  CreateRun(400);
  std::vector<int> order = Range(0, 400);
  order.erase(order.begin() + 123);  // e.g. skipped by a stop rule, saved without a result here
  LiveReportData live;
  Commit(order, live);
  std::string live_json = Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 1);
  EXPECT_EQ(live_json, Scanned());
}

TEST_F(LiveReportDataTest, ItemsOfTheRunNotSeenAfterTheLastAddedMakeItScan) {
  CreateRun(400);  // a resumed run's last items, or attack items appended: never added here
  LiveReportData live;
  Commit(Range(0, 350), live);
  std::string live_json = Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 1);
  EXPECT_EQ(live_json, Scanned());
}

TEST_F(LiveReportDataTest, AResultAddedTwiceMakesItScan) {
  CreateRun(300);
  std::vector<int> order = Range(0, 300);
  order.push_back(17);  // replaced later in the run: the store holds the second
  LiveReportData live;
  Commit(order, live);
  EXPECT_FALSE(live.usable());
  Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 1);
}

TEST_F(LiveReportDataTest, TooManyWaitingMakesItGiveUpAndScan) {
  CreateRun(300);
  std::vector<int> order = Range(0, 300);
  std::reverse(order.begin(), order.end());  // everything waits for item 0
  LiveReportData live(/*max_waiting=*/100);
  Commit(order, live);
  EXPECT_FALSE(live.usable());
  std::string live_json = Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 1);
  EXPECT_EQ(live_json, Scanned());
}

TEST_F(LiveReportDataTest, NothingAddedScans) {
  CreateRun(10);
  LiveReportData live;
  Finished(std::move(live));
  EXPECT_EQ(counting_->scans, 1);
}

}  // namespace
}  // namespace safeval
