// Tests of the terminal summary table: demo line, alignment, dashes, colours.
#include <gtest/gtest.h>

#include <sstream>

#include "report/report.h"
#include "report/metric_index.h"
#include "report/report_format.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string StripAnsi(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\x1b') {
      while (i < text.size() && text[i] != 'm') ++i;
      continue;
    }
    out += text[i];
  }
  return out;
}

// The table: from the header line ("hazard ...") up to the line before "Totals:".
std::vector<std::string> TableLines(const std::string& text) {
  std::vector<std::string> table;
  bool in_table = false;
  for (const std::string& line : Lines(StripAnsi(text))) {
    if (line.rfind("hazard", 0) == 0) in_table = true;
    if (line.rfind("Totals:", 0) == 0) break;
    if (in_table) table.push_back(line);
  }
  return table;
}

const std::string* LineStartingWith(const std::vector<std::string>& lines,
                                    const std::string& prefix, const std::string& also = "") {
  for (const std::string& line : lines)
    if (line.rfind(prefix, 0) == 0 && line.find(also) != std::string::npos) return &line;
  return nullptr;
}

// The cells of a table line: runs of text separated by two or more spaces.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  size_t spaces = 0;
  for (char c : line + "  ") {
    if (c == ' ') {
      ++spaces;
      continue;
    }
    if (spaces >= 2 && !cell.empty())
      cells.push_back(cell), cell.clear();
    else if (spaces == 1 && !cell.empty())
      cell += ' ';
    spaces = 0;
    cell += c;
  }
  if (!cell.empty()) cells.push_back(cell);
  return cells;
}

class SummaryTableTest : public ::testing::Test {
 protected:
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(SummaryTableTest, DemoLineFirstIffDemo) {
  std::string demo = RenderSummaryTable(testing::FixtureReportData(true), taxonomy_, false);
  EXPECT_EQ(Lines(demo)[0], "DEMO TARGET (built-in demo model, not a real model)");
  std::string real = RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, false);
  EXPECT_EQ(real.find("DEMO"), std::string::npos);
}

TEST_F(SummaryTableTest, EveryTableLineHasTheSameWidth) {
  for (bool color : {false, true}) {
    std::vector<std::string> table =
        TableLines(RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, color));
    ASSERT_GE(table.size(), 8u);
    for (const std::string& line : table)
      EXPECT_EQ(DisplayWidth(line), DisplayWidth(table[0])) << "'" << line << "'";
  }
}

TEST_F(SummaryTableTest, WidthsCountCodePointsNotBytes) {
  std::vector<TaxonomyNode> nodes(1);
  nodes[0].id = "vcr";
  nodes[0].name = "Gewaltverbrechen \u00e0 l'\u00e9preuve \u2014 \u00fc\u00f6\u00e4";
  Taxonomy accented("t", std::move(nodes));
  std::vector<std::string> table =
      TableLines(RenderSummaryTable(testing::FixtureReportData(false), accented, false));
  ASSERT_NE(LineStartingWith(table, "Gewaltverbrechen"), nullptr);
  for (const std::string& line : table) EXPECT_EQ(DisplayWidth(line), DisplayWidth(table[0]));
}

TEST_F(SummaryTableTest, ControlCharactersInNamesAreShownNotObeyed) {
  std::vector<TaxonomyNode> nodes(1);
  nodes[0].id = "vcr";
  nodes[0].name = "Violent\x1b]0;owned\x07 \xe2\x80\xae" "Crimes";
  Taxonomy hostile("t", std::move(nodes));
  ReportData data = testing::FixtureReportData(false);
  data.run.suite_name = "suite\x1b[2J";
  data.run.target_name = "model\r\xc2\x9b" "31m";
  std::string text = RenderSummaryTable(data, hostile, false);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos);
  EXPECT_EQ(text.find("\xe2\x80\xae"), std::string::npos);
  EXPECT_NE(text.find("Suite suite\\x1b[2J \u00b7 target model\\r\\u009b31m"), std::string::npos)
      << text;
  std::vector<std::string> table = TableLines(text);
  ASSERT_NE(LineStartingWith(table, "Violent\\x1b]0;owned\\x07 \\u202eCrimes (vcr)"), nullptr)
      << text;
  for (const std::string& line : table) EXPECT_EQ(DisplayWidth(line), DisplayWidth(table[0]));
}

TEST_F(SummaryTableTest, DashWhereAMetricDoesNotApply) {
  std::vector<std::string> table =
      TableLines(RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, false));
  const std::string* harmful = LineStartingWith(table, "Violent Crimes (vcr)", "harmful");
  ASSERT_NE(harmful, nullptr);
  EXPECT_EQ(Cells(*harmful),
            (std::vector<std::string>{"Violent Crimes (vcr)", "harmful", "8",
                                      "12.5% [2.2\u201347.1]", "\u2013", "\u2013"}));
  const std::string* safe = LineStartingWith(table, "Suicide & Self-Harm (ssh)", "safe");
  ASSERT_NE(safe, nullptr);
  std::vector<std::string> cells = Cells(*safe);
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[3], "\u2013");
  EXPECT_EQ(cells[4], "\u2013");
  EXPECT_EQ(cells[5].rfind("50.0% [", 0), 0u) << cells[5];
}

TEST_F(SummaryTableTest, TotalRowsPerHazardAndOverall) {
  std::vector<std::string> table =
      TableLines(RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, false));
  const std::string* vcr_all = LineStartingWith(table, "Violent Crimes (vcr)", "  all  ");
  ASSERT_NE(vcr_all, nullptr);
  std::vector<std::string> cells = Cells(*vcr_all);
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[2], "13");                                // 8 harmful + 5 adversarial
  EXPECT_EQ(cells[3].rfind("23.1% [", 0), 0u) << cells[3];  // 3 of 13
  EXPECT_EQ(cells[4].rfind("40.0% [", 0), 0u) << cells[4];  // 2 of 5
  const std::string* overall = LineStartingWith(table, "Overall");
  ASSERT_NE(overall, nullptr);
  EXPECT_EQ(Cells(*overall)[2], "23");  // every decided item: 13 vcr + 6 ssh + 4 spc
}

TEST_F(SummaryTableTest, TotalsLineCountsEveryOutcome) {
  std::string text = RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, false);
  EXPECT_NE(text.find("Totals: 25 items, 24 judged (1 undetermined), 1 model_error, "
                      "0 judge_error, 0 skipped, 2 pending"),
            std::string::npos)
      << text;
}

TEST_F(SummaryTableTest, ColorOnlyWhenAsked) {
  ReportData data = testing::FixtureReportData(false);
  std::string plain = RenderSummaryTable(data, taxonomy_, false);
  std::string colored = RenderSummaryTable(data, taxonomy_, true);
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  EXPECT_NE(colored.find("\x1b[31m 50.0% ["), std::string::npos);  // high: red
  EXPECT_NE(colored.find("\x1b[33m 12.5% ["), std::string::npos);  // medium: yellow
  EXPECT_NE(colored.find("\x1b[32m  0.0% ["), std::string::npos);  // low: green
  EXPECT_EQ(StripAnsi(colored), plain);
}

TEST_F(SummaryTableTest, EmptyRun) {
  std::string text = RenderSummaryTable(ReportData{}, taxonomy_, false);
  std::vector<std::string> table = TableLines(text);
  const std::string* overall = LineStartingWith(table, "Overall");
  ASSERT_NE(overall, nullptr);
  EXPECT_EQ(Cells(*overall),
            (std::vector<std::string>{"Overall", "all", "0", "\u2013", "\u2013", "\u2013"}));
}

TEST_F(SummaryTableTest, Deterministic) {
  ReportData data = testing::FixtureReportData(true);
  EXPECT_EQ(RenderSummaryTable(data, taxonomy_, true), RenderSummaryTable(data, taxonomy_, true));
}


TEST_F(SummaryTableTest, FindingRatesAndTheGroupGapFollowTheTotalsOnlyWhenPresent) {
  std::string plain = RenderSummaryTable(testing::FixtureReportData(false), taxonomy_, false);
  EXPECT_EQ(plain.find("Leak rate"), std::string::npos);
  EXPECT_EQ(plain.find("gap between groups"), std::string::npos);

  ReportData data = testing::AgentsFixtureReportData();
  std::string text = RenderSummaryTable(data, taxonomy_, false);
  MetricIndex index(data.metrics);
  for (Metric metric : kFindingMetrics) {
    const MetricRow* row = index.Find(MetricIndex::Overall(), metric);
    ASSERT_NE(row, nullptr) << Name(metric);
    std::string line = std::string(MetricLabel(metric)) + ": " + FormatValueWithCi(*row) + ", " +
                       std::to_string(row->count) + " of " + std::to_string(row->n) +
                       " checked\n";
    EXPECT_NE(text.find(line), std::string::npos) << line << "\nin:\n" << text;
    EXPECT_GT(text.find(line), text.find("Totals:"));
  }
  ASSERT_TRUE(data.disparity.gap);
  // Group names come from datasets: shown through TerminalText, never raw escapes.
  EXPECT_NE(text.find("Largest over-deflection gap between groups: "), std::string::npos);
  EXPECT_NE(text.find(data.disparity.gap->significant ? ", significant\n" : ", not significant\n"),
            std::string::npos);
}

}  // namespace
}  // namespace safeval
