// `make demo` end to end: the quickstart suite against the built-in demo target,
// run through the real binary as a user would.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

double MetricValue(const nlohmann::json& results, const std::string& metric) {
  for (const auto& row : results["metrics"]) {
    if (row["metric"] == metric && row["group_by"].empty()) return row["value"].get<double>();
  }
  return -1;
}

TEST(Quickstart, DemoRunWritesLabelledReportWithNonTrivialMetrics) {
  TempDir tmp;
  ProcessResult r = RunProcess({SafevalBinary(), "run", SourceDir() + "/examples/quickstart/suite.yaml",
                                "--store", tmp.File("s.db"), "--out", tmp.File("out")},
                               tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("DEMO TARGET"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Report:"), std::string::npos);

  std::vector<std::filesystem::path> runs;
  for (const auto& e : std::filesystem::directory_iterator(tmp.File("out"))) runs.push_back(e.path());
  ASSERT_EQ(runs.size(), 1u);
  std::string html = ReadFile((runs[0] / "report.html").string());
  EXPECT_NE(html.find("DEMO"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);   // self-contained
  EXPECT_EQ(html.find("https://"), std::string::npos);

  nlohmann::json results = nlohmann::json::parse(ReadFile((runs[0] / "results.json").string()));
  EXPECT_EQ(results["schema_version"], 1);
  EXPECT_EQ(results["run"]["demo"], true);
  EXPECT_GT(results["totals"]["judged"].get<int>(), 100);
  // The demo target is built so that every headline metric is neither 0 nor 1.
  for (const char* metric : {"violation_rate", "attack_success_rate", "over_deflection_rate"}) {
    double v = MetricValue(results, metric);
    EXPECT_GT(v, 0.0) << metric;
    EXPECT_LT(v, 1.0) << metric;
  }
}

TEST(Quickstart, VersionAndHelp) {
  ProcessResult v = RunProcess({SafevalBinary(), "--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("safeval 0."), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("commit"), std::string::npos) << v.out;
  for (const char* command : {"run", "report", "runs"}) {
    ProcessResult h = RunProcess({SafevalBinary(), command, "--help"});
    EXPECT_EQ(h.exit_code, 0) << command;
    EXPECT_NE(h.out.find("--store"), std::string::npos) << command << ": " << h.out;
  }
  ProcessResult bad = RunProcess({SafevalBinary(), "frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
}

}  // namespace
}  // namespace safeval::testing
