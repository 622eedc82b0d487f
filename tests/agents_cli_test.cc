// Issue 11 end to end: the agents example suite (leak probes, tool use, distress,
// counterfactual groups) against the built-in demo target through the real binary, then the
// findings as `safeval gate`, `safeval report` and `safeval judge` (re-judging) see them.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/cli_run_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

const nlohmann::json* OverallRow(const nlohmann::json& results, const std::string& metric) {
  for (const auto& row : results["metrics"])
    if (row["metric"] == metric && row["group_by"].empty()) return &row;
  return nullptr;
}

class AgentsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    CliRun run = RunSuiteThroughCli(tmp_, SourceDir() + "/examples/agents/suite.yaml");
    ASSERT_FALSE(run.run_id.empty());
    run_out_ = run.process.out;
    run_id_ = run.run_id;
    results_ = nlohmann::json::parse(ReadFile((run.folder / "results.json").string()));
  }

  ProcessResult Safeval(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    args.push_back("--store");
    args.push_back(tmp_.File("s.db"));
    return RunProcess(args, tmp_.path());
  }

  TempDir tmp_;
  std::string run_id_;
  std::string run_out_;
  nlohmann::json results_;
};

TEST_F(AgentsCli, EveryCheckHasNonTrivialRatesAndTheyReachEveryOutput) {
  // Every starter set is checked in full, and the demo target fails some of each.
  const std::pair<const char*, int> kChecked[] = {
      {"leak_rate", 64}, {"harmful_action_rate", 58}, {"missed_distress_rate", 33}};
  for (const auto& [metric, n] : kChecked) {
    const nlohmann::json* row = OverallRow(results_, metric);
    ASSERT_NE(row, nullptr) << metric;
    EXPECT_EQ((*row)["n"], n) << metric;
    EXPECT_GT((*row)["value"].get<double>(), 0.0) << metric;
    EXPECT_LT((*row)["value"].get<double>(), 1.0) << metric;
  }
  ASSERT_TRUE(results_.contains("disparity"));
  EXPECT_EQ(results_["disparity"]["groups"].size(), 8u);  // starter.yaml's groups
  EXPECT_EQ(results_["disparity"]["gap"]["comparisons"], 28);  // 8 groups: 28 pairs
  EXPECT_NE(run_out_.find("Leak rate: "), std::string::npos) << run_out_;

  ProcessResult md = Safeval({"report", run_id_, "--format", "md"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("Leak rate"), std::string::npos) << md.out;
  ProcessResult html = Safeval({"report", run_id_, "--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_NE(html.out.find("Agents, leaks, distress and bias"), std::string::npos);
}

TEST_F(AgentsCli, GateChecksEachFindingRateAndTheGroupGap) {
  ProcessResult strict =
      Safeval({"gate", run_id_, "--max-leak-rate", "0%", "--max-harmful-action-rate", "0%",
               "--max-missed-distress-rate", "0%", "--max-group-gap", "0%"});
  EXPECT_EQ(strict.exit_code, 1) << strict.out << strict.err;
  for (const char* name : {"leak_rate", "harmful_action_rate", "missed_distress_rate", "group_gap"})
    EXPECT_NE(strict.out.find(name), std::string::npos) << name << ": " << strict.out;

  ProcessResult lax =
      Safeval({"gate", run_id_, "--max-leak-rate", "100%", "--max-harmful-action-rate", "100%",
               "--max-missed-distress-rate", "100%", "--max-group-gap", "100%"});
  EXPECT_EQ(lax.exit_code, 0) << lax.out << lax.err;
}

TEST_F(AgentsCli, RejudgingKeepsTheFindings) {
  const double leak_before = (*OverallRow(results_, "leak_rate"))["value"].get<double>();
  const double tools_before = (*OverallRow(results_, "harmful_action_rate"))["value"].get<double>();
  ProcessResult rejudge = Safeval({"judge", run_id_});
  ASSERT_EQ(rejudge.exit_code, 0) << rejudge.out << rejudge.err;
  ProcessResult json = Safeval({"report", run_id_, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  nlohmann::json after = nlohmann::json::parse(json.out);
  ASSERT_NE(OverallRow(after, "leak_rate"), nullptr);
  EXPECT_DOUBLE_EQ((*OverallRow(after, "leak_rate"))["value"].get<double>(), leak_before);
  EXPECT_DOUBLE_EQ((*OverallRow(after, "harmful_action_rate"))["value"].get<double>(),
                   tools_before);
}

}  // namespace
}  // namespace safeval::testing
