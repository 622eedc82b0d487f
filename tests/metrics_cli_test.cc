// `safeval grade`, `compare` and `gate` end to end: runs are written straight into a
// store (no model needed), then the real binary reads them back as a user would.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

// One cell of a run: `n` prompts of a hazard and intent, `events` of them violating
// (or, for safe prompts, refused).
struct Cell {
  std::string hazard;
  Intent intent;
  int events;
  int n;
};

RunRecord Record(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "metrics-cli";
  run.suite_path = "/nonexistent/suite.yaml";  // grade/compare/gate must not need it
  run.target_name = id;
  run.target_identity = id + "@1";
  run.judges = {"rules@1"};
  run.started_at = "2026-11-28T03:10:00Z";
  run.finished_at = "2026-11-28T03:20:00Z";
  run.status = "finished";
  run.output_dir = "/nonexistent/out";
  return run;
}

// Writes a run whose prompt ids are "<id_prefix><hazard>-<intent>-<i>".
void WriteRun(Store& store, const std::string& id, const std::string& id_prefix,
              const std::vector<Cell>& cells) {
  std::vector<Prompt> prompts;
  std::vector<ItemResult> results;
  for (const Cell& cell : cells) {
    for (int i = 0; i < cell.n; ++i) {
      bool event = i < cell.events;
      prompts.push_back(MakePrompt(
          id_prefix + cell.hazard + "-" + std::string(Name(cell.intent)) + "-" + std::to_string(i),
          "[prompt text]", *CategoryPath::Parse(cell.hazard), cell.intent));
      Verdict v;
      v.judge = "rules";
      v.judge_version = "rules@1";
      bool safe = cell.intent == Intent::kSafe;
      v.cls = safe ? (event ? ResponseClass::kRefuses : ResponseClass::kHelpful)
                   : (event ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses);
      v.violation = !safe && event;
      ItemResult r;
      r.index = static_cast<int64_t>(results.size());
      r.outcome = Outcome::kJudged;
      r.response = event && !safe ? "[step-by-step instructions]" : "[a refusal]";
      r.verdicts = {v};
      results.push_back(r);
    }
  }
  ASSERT_TRUE(store.CreateRun(Record(id), prompts).ok());
  ASSERT_TRUE(store.SaveResults(id, results).ok());
}

// The line of `out` whose first word (after indentation) is `first`, or "".
std::string LineStartingWith(const std::string& out, const std::string& first) {
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    size_t word = line.find_first_not_of(' ');
    if (word != std::string::npos && line.compare(word, first.size() + 1, first + " ") == 0)
      return line;
    start = end + 1;
  }
  return "";
}

class MetricsCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(store_path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // base and cand hold the same prompts (paired); ref holds others (independent).
    WriteRun(**store, "base", "p-",
             {{"vcr", Intent::kHarmful, 5, 100},
              {"cse", Intent::kHarmful, 10, 100},
              {"vcr", Intent::kSafe, 5, 50}});
    WriteRun(**store, "cand", "p-",
             {{"vcr", Intent::kHarmful, 30, 100},
              {"cse", Intent::kHarmful, 10, 100},
              {"vcr", Intent::kSafe, 5, 50}});
    WriteRun(**store, "ref", "r-",
             {{"vcr", Intent::kHarmful, 10, 100}, {"cse", Intent::kHarmful, 20, 100}});
  }

  ProcessResult Safeval(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    args.push_back("--store");
    args.push_back(store_path_);
    return RunProcess(args, tmp_.path());
  }

  TempDir tmp_;
  std::string store_path_ = tmp_.File("s.db");
};

TEST_F(MetricsCliTest, GradeTablePerHazardThenOverall) {
  ProcessResult r = Safeval({"grade", "base", "--reference", "ref"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  // vcr: 5% against 10% → r = 0.5 → Very Good, but its interval reaches Good.
  std::string vcr = LineStartingWith(r.out, "vcr");
  EXPECT_NE(vcr.find(" 100 "), std::string::npos) << r.out;
  EXPECT_NE(vcr.find("5.0% [2.2–11.2]"), std::string::npos) << r.out;
  EXPECT_NE(vcr.find("0.50  Very Good, could be Good–Very Good"), std::string::npos) << r.out;
  std::string overall = LineStartingWith(r.out, "overall");
  EXPECT_NE(overall.find(" 200 "), std::string::npos) << r.out;
  EXPECT_GT(r.out.find("overall"), r.out.find(vcr));  // after the hazards
  EXPECT_EQ(r.out.find("Not graded"), std::string::npos);
}

TEST_F(MetricsCliTest, GradeJson) {
  ProcessResult r =
      Safeval({"grade", "cand", "--reference", "ref", "--reference", "base", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["references"].size(), 2u);
  ASSERT_EQ(j["hazards"].size(), 2u);
  const auto& vcr = j["hazards"][1];
  EXPECT_EQ(vcr["hazard"], "vcr");
  EXPECT_DOUBLE_EQ(vcr["u"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(vcr["u_ref"].get<double>(), 0.1);  // the higher of 10% (ref) and 5% (base)
  EXPECT_EQ(vcr["grade"], "Fair");                    // r = 3
  EXPECT_EQ(j["overall"]["n"], 200);
  EXPECT_TRUE(j["overall"]["graded"].get<bool>());
}

TEST_F(MetricsCliTest, GradeBadInput) {
  ProcessResult unknown = Safeval({"grade", "base", "--reference", "nope"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("nope"), std::string::npos) << unknown.err;
  ProcessResult no_ref = Safeval({"grade", "base"});
  EXPECT_EQ(no_ref.exit_code, 2);
  ProcessResult no_store = RunProcess(
      {SafevalBinary(), "grade", "base", "--reference", "ref", "--store", tmp_.File("missing.db")});
  EXPECT_EQ(no_store.exit_code, 2);
  EXPECT_NE(no_store.err.find("no store at"), std::string::npos) << no_store.err;
  EXPECT_FALSE(std::ifstream(tmp_.File("missing.db")).good());  // not created
}

TEST_F(MetricsCliTest, CompareSamePromptsIsPairedAndListsRegressionsFirst) {
  ProcessResult r = Safeval({"compare", "base", "cand"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("paired on the 250 prompts"), std::string::npos) << r.out;
  size_t regressions = r.out.find("Regressions (");
  size_t improvements = r.out.find("Improvements (0)");
  size_t unchanged = r.out.find("Unchanged (");
  ASSERT_NE(regressions, std::string::npos) << r.out;
  ASSERT_NE(improvements, std::string::npos) << r.out;
  ASSERT_NE(unchanged, std::string::npos) << r.out;
  EXPECT_LT(regressions, improvements);
  EXPECT_LT(improvements, unchanged);
  // vcr's violation rate went from 5% to 30% (+25 points): a regression.
  std::string vcr = LineStartingWith(r.out, "vcr");
  EXPECT_NE(vcr.find("violation_rate"), std::string::npos) << r.out;
  EXPECT_NE(vcr.find("+25.0 pts"), std::string::npos) << r.out;
  EXPECT_LT(r.out.find(vcr), improvements);
  // cse did not change: listed compactly among the unchanged cells.
  EXPECT_NE(r.out.find("  cse: violation_rate 0.0 ["), std::string::npos) << r.out;

  ProcessResult gate = Safeval({"compare", "base", "cand", "--fail-on-regression"});
  EXPECT_EQ(gate.exit_code, 1) << gate.out << gate.err;
  ProcessResult reverse = Safeval({"compare", "cand", "base", "--fail-on-regression"});
  EXPECT_EQ(reverse.exit_code, 0) << reverse.out << reverse.err;  // improvements only
}

TEST_F(MetricsCliTest, CompareJsonAndIndependentRuns) {
  ProcessResult r = Safeval({"compare", "ref", "cand", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["paired"].get<bool>());  // different prompts
  ASSERT_GT(j["changes"].size(), 0u);
  EXPECT_EQ(j["changes"][0]["kind"], "regression");  // regressions first
  EXPECT_TRUE(j["changes"][0]["p_value"].is_null());
  bool saw_unchanged = false;
  for (const auto& c : j["changes"]) {
    if (c["kind"] == "unchanged") saw_unchanged = true;
    if (saw_unchanged) {
      EXPECT_EQ(c["kind"], "unchanged");  // nothing else after them
    }
  }
  EXPECT_EQ(j["regressions"].get<int>() > 0, true);

  ProcessResult forced = Safeval({"compare", "base", "cand", "--independent", "--json"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_FALSE(nlohmann::json::parse(forced.out)["paired"].get<bool>());
}

TEST_F(MetricsCliTest, GateFailsWithOneLinePerFailedCondition) {
  ProcessResult r = Safeval(
      {"gate", "cand", "--max-violation-rate", "0.5%", "--max-over-deflection-rate", "50%"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // 40 of 200 = 20%, Wilson [15.0–26.1]; the over-deflection limit is met and not shown.
  EXPECT_EQ(r.out, "violation_rate 20.0% [15.0–26.1] > 0.5%\n");
}

TEST_F(MetricsCliTest, GatePassesAndUpperBound) {
  ProcessResult r =
      Safeval({"gate", "base", "--max-violation-rate", "10", "--max-over-deflection-rate", "10%"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("violation_rate 7.5% [4.6–12.0] <= 10%"), std::string::npos) << r.out;
  ProcessResult upper = Safeval({"gate", "base", "--max-violation-rate", "10", "--on-upper-bound"});
  EXPECT_EQ(upper.exit_code, 1) << upper.out << upper.err;
  EXPECT_NE(upper.out.find("violation_rate upper bound 12.0%"), std::string::npos) << upper.out;
}

TEST_F(MetricsCliTest, GateMinimumGrade) {
  ProcessResult good = Safeval({"gate", "base", "--min-grade", "good", "--reference", "ref"});
  EXPECT_EQ(good.exit_code, 0) << good.out << good.err;
  ProcessResult strict =
      Safeval({"gate", "cand", "--min-grade", "very_good", "--reference", "ref"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out << strict.err;
  EXPECT_NE(strict.out.find("< Very Good"), std::string::npos) << strict.out;
}

TEST_F(MetricsCliTest, GateBadInput) {
  EXPECT_EQ(Safeval({"gate", "base"}).exit_code, 2);  // no condition
  ProcessResult pct = Safeval({"gate", "base", "--max-violation-rate", "lots"});
  EXPECT_EQ(pct.exit_code, 2);
  EXPECT_NE(pct.err.find("--max-violation-rate"), std::string::npos) << pct.err;
  ProcessResult grade = Safeval({"gate", "base", "--min-grade", "good"});
  EXPECT_EQ(grade.exit_code, 2);
  EXPECT_NE(grade.err.find("--reference"), std::string::npos) << grade.err;
  EXPECT_EQ(Safeval({"gate", "base", "--min-grade", "great", "--reference", "ref"}).exit_code, 2);
  EXPECT_EQ(Safeval({"gate", "nope", "--max-violation-rate", "1%"}).exit_code, 2);
}

}  // namespace
}  // namespace safeval::testing
