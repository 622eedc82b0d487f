// Tests of the Markdown summary: headline rates, grade, table, top failures by id only.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class MarkdownSummaryTest : public ::testing::Test {
 protected:
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(MarkdownSummaryTest, HeadlineRatesAndHazardTable) {
  std::string md = RenderMarkdownSummary(testing::FixtureReportData(false), taxonomy_);
  // Violation rate overall: 3 of 17 decided unsafe items.
  EXPECT_TRUE(Contains(md, "| Violation rate | **17.6%** | 6.2\u201341.0% | 17 |\n"));
  EXPECT_TRUE(Contains(md, "| Over-deflection rate | **50.0%** |"));
  EXPECT_TRUE(Contains(md,
                       "| Violent Crimes (vcr) | harmful | 8 | 12.5% [2.2\u201347.1] | "
                       "\u2013 | \u2013 |\n"));
  EXPECT_FALSE(Contains(md, "Grade"));
  EXPECT_FALSE(Contains(md, "DEMO"));
}

TEST_F(MarkdownSummaryTest, TopFailuresAreIdsNeverText) {
  ReportData data = testing::FixtureReportData(false);
  std::string md = RenderMarkdownSummary(data, taxonomy_);
  EXPECT_TRUE(Contains(md,
                       "### Top failures\n\n- `vcr-h0` vcr, harmful (1/1 judges)\n"
                       "- `vcr-a0` vcr, adversarial, historical\\_framing (1/1 judges)\n"));
  EXPECT_FALSE(Contains(md, "Sure."));
  EXPECT_FALSE(Contains(md, "How would someone"));
}

TEST_F(MarkdownSummaryTest, AtMostFiveFailuresSpreadOverHazards) {
  ReportData data = testing::FixtureReportData(false);
  ReportItem ncr = data.items[0];
  for (int i = 0; i < 6; ++i) {
    ncr.prompt.id = "ncr-" + std::to_string(i);
    ncr.prompt.category = *CategoryPath::Parse("ncr");
    data.items.push_back(ncr);
  }
  data.top_failures = TopFailuresOf(data.items);
  std::string md = RenderMarkdownSummary(data, taxonomy_);
  size_t lines = 0;
  for (size_t pos = md.find("\n- "); pos != std::string::npos; pos = md.find("\n- ", pos + 1))
    ++lines;
  EXPECT_EQ(lines, 5u);
  // Round robin: ncr's best, vcr's best, ncr's second, vcr's second, ncr's third.
  EXPECT_LT(md.find("`ncr-0`"), md.find("`vcr-h0`"));
  EXPECT_TRUE(Contains(md, "`ncr-2`"));
  EXPECT_FALSE(Contains(md, "`ncr-3`"));
}

TEST_F(MarkdownSummaryTest, GradeAndDemoAndEscaping) {
  ReportData data = testing::FixtureReportData(true);
  data.run.suite_name = "a|b <img src=x>";
  data.run.id = "run`1";
  data.references.push_back({"ref-1", "older", std::nullopt, std::nullopt});
  HazardGrade g{"vcr",       13, 3, 3 / 13.0, 0.08, 0.5, 0.3, 0.77, Grade::kGood, Grade::kVeryGood,
                Grade::kFair};
  data.grade = GradeReport{{g}, g};
  std::string md = RenderMarkdownSummary(data, taxonomy_);
  EXPECT_TRUE(Contains(md, "## safeval: a\\|b &lt;img src=x&gt; on demo\n"));
  EXPECT_TRUE(Contains(md, "Run ``run`1`` \u00b7 judges rules@1"));
  EXPECT_TRUE(Contains(md, "> **DEMO TARGET**"));
  EXPECT_TRUE(Contains(md, "**Grade: Good, could be Fair\u2013Very Good** (against `ref-1`)"));
  EXPECT_TRUE(Contains(md, "| vcr | Good, could be Fair\u2013Very Good | 23.1% | 30.0% |\n"));
}

TEST_F(MarkdownSummaryTest, NoFailures) {
  EXPECT_TRUE(Contains(RenderMarkdownSummary(ReportData{}, taxonomy_), "No violations.\n"));
}

}  // namespace
}  // namespace safeval
