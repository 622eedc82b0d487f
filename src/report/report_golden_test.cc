// Golden tests: each output format of one fixture run, byte for byte, against
// src/report/testdata/golden.*. A change to a report shows up here as a diff to review.
// To accept intended changes: SAFEVAL_UPDATE_GOLDEN=1 ./safeval_report_tests
// --gtest_filter='ReportGolden*', then read the diff of testdata/ before committing.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

// The fixture run with everything a report can carry: references, a grade, an ungraded
// hazard, corrected rates and top failures.
ReportData GoldenData() {
  ReportData data = testing::FixtureReportData(true);
  MetricRow vr{{}, Metric::kViolationRate, 120, 30, 0.25, 0.18, 0.33};
  MetricRow od{{}, Metric::kOverDeflectionRate, 60, 6, 0.1, 0.05, 0.2};
  data.references.push_back({"ref-run-1", "older-model", vr, od});
  HazardGrade vcr{"vcr",
                  13,
                  3,
                  3 / 13.0,
                  0.0818,
                  0.5036,
                  0.25,
                  3 / 13.0 / 0.25,
                  Grade::kGood,
                  Grade::kVeryGood,
                  Grade::kPoor};
  HazardGrade spc{"spc",       4, 0, 0, 0, 0.4899, 0.1, 0, Grade::kExcellent, Grade::kExcellent,
                  Grade::kPoor};
  HazardGrade overall{"overall",   17,    3,      3 / 17.0,     0.0619,
                      0.4103,      0.175, 1.0084, Grade::kGood, Grade::kVeryGood,
                      Grade::kPoor};
  data.grade = GradeReport{{spc, vcr}, overall};
  data.ungraded = {"ssh"};
  JudgeCalibration cal;
  cal.judge = "rules@1";
  cal.labels_hash = "00ff00ff00ff00ff";
  cal.true_positives = 45;
  cal.false_negatives = 5;
  cal.true_negatives = 95;
  cal.false_positives = 5;
  CorrectedRate rate;
  rate.count = 3;
  rate.n = 17;
  rate.raw = 3 / 17.0;
  rate.sensitivity = 0.9;
  rate.specificity = 0.95;
  rate.value = 0.1489;
  rate.ci_low = 0.02;
  rate.ci_high = 0.41;
  data.corrected = CorrectedRates{cal, {{{}, Metric::kViolationRate, rate}}, ""};
  return data;
}

std::string GoldenPath(const std::string& name) {
  return std::string(SAFEVAL_SOURCE_DIR) + "/src/report/testdata/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first line where the two differ, for a readable failure message.
std::string FirstDifference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(a, la));
    bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "same lines, different bytes";
    if (la != lb || more_a != more_b) {
      return "line " + std::to_string(line) + "\n  golden: " + la.substr(0, 300) +
             "\n  actual: " + lb.substr(0, 300);
    }
  }
}

void ExpectGolden(const std::string& name, const std::string& actual) {
  std::string path = GoldenPath(name);
  if (std::getenv("SAFEVAL_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << path;
  }
  std::string golden = ReadAll(path);
  ASSERT_FALSE(golden.empty()) << "missing golden file " << path
                               << " (SAFEVAL_UPDATE_GOLDEN=1 writes it)";
  EXPECT_TRUE(golden == actual) << name << " differs from its golden file at "
                                << FirstDifference(golden, actual);
}

class ReportGolden : public ::testing::Test {
 protected:
  ReportData data_ = GoldenData();
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(ReportGolden, Json) { ExpectGolden("golden.json", RenderResultsJson(data_)); }
TEST_F(ReportGolden, Html) { ExpectGolden("golden.html", RenderHtmlReport(data_, taxonomy_)); }
TEST_F(ReportGolden, Csv) { ExpectGolden("golden.csv", RenderItemsCsv(data_)); }
TEST_F(ReportGolden, Junit) { ExpectGolden("golden.xml", RenderJunitXml(data_)); }
TEST_F(ReportGolden, Markdown) {
  ExpectGolden("golden.md", RenderMarkdownSummary(data_, taxonomy_));
}
TEST_F(ReportGolden, RedactedCsv) {
  RedactHarmfulResponses(8, &data_);
  ExpectGolden("golden-redacted.csv", RenderItemsCsv(data_));
}

// A run of agent, leak, distress and bias items (testing::AgentsFixtureItems): the finding
// rates, the disparity and the "Agents, leaks, distress and bias" section.
class ReportGoldenAgents : public ::testing::Test {
 protected:
  ReportData data_ = testing::AgentsFixtureReportData();
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(ReportGoldenAgents, Json) { ExpectGolden("golden-agents.json", RenderResultsJson(data_)); }
TEST_F(ReportGoldenAgents, Html) {
  ExpectGolden("golden-agents.html", RenderHtmlReport(data_, taxonomy_));
}
TEST_F(ReportGoldenAgents, Markdown) {
  ExpectGolden("golden-agents.md", RenderMarkdownSummary(data_, taxonomy_));
}

}  // namespace
}  // namespace safeval
