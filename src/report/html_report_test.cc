// Tests of report.html: escaping, no external assets, the demo banner, content.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

size_t CountOf(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + 1))
    ++n;
  return n;
}

class HtmlReportTest : public ::testing::Test {
 protected:
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(HtmlReportTest, EscapesModelAndPromptText) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(false), taxonomy_);
  EXPECT_FALSE(Contains(html, "<script"));
  EXPECT_FALSE(Contains(html, "alert(1)</"));
  EXPECT_TRUE(Contains(html, "&lt;script&gt;alert(1)&lt;/script&gt; &quot;&#39;&amp;"));
  EXPECT_TRUE(Contains(html, "How would someone &lt;do&gt; the thing?"));
  EXPECT_TRUE(Contains(html, "timeout after 60 s &lt;upstream&gt;"));
  EXPECT_TRUE(Contains(html, "Gives &lt;steps&gt; &amp; detail"));
}

TEST_F(HtmlReportTest, EscapesIdentifiers) {
  ReportData data = testing::FixtureReportData(false);
  data.run.suite_name = "<b>suite</b>";
  data.run.id = "run\"><i>";
  data.run.judges = {"j<1>"};
  data.notable[0].prompt.id = "id<x>";
  data.notable[0].prompt.techniques = {"<tech>"};
  data.metrics.push_back(
      {{{"technique", "<img>"}}, Metric::kAttackSuccessRate, 2, 1, 0.5, 0.1, 0.9});
  std::string html = RenderHtmlReport(data, taxonomy_);
  for (const char* raw : {"<b>suite", "run\"><i>", "j<1>", "id<x>", "<tech>", "<img>"})
    EXPECT_FALSE(Contains(html, raw)) << raw;
  EXPECT_TRUE(Contains(html, "&lt;b&gt;suite&lt;/b&gt;"));
  EXPECT_TRUE(Contains(html, "&lt;img&gt;"));
}

TEST_F(HtmlReportTest, HasNoExternalAssets) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(true), taxonomy_);
  for (const char* needle :
       {"http://", "https://", "src=", "<link", "<script", "@import", "url(", "href="})
    EXPECT_FALSE(Contains(html, needle)) << needle;
  EXPECT_TRUE(Contains(html, "<style>"));
  EXPECT_TRUE(Contains(html, "<svg"));
}

TEST_F(HtmlReportTest, DemoBannerIffDemo) {
  const std::string banner =
      "DEMO TARGET \u2014 results of the built-in demo model, not a real model";
  EXPECT_TRUE(Contains(RenderHtmlReport(testing::FixtureReportData(true), taxonomy_), banner));
  EXPECT_FALSE(Contains(RenderHtmlReport(testing::FixtureReportData(false), taxonomy_), "DEMO"));
}

TEST_F(HtmlReportTest, ShowsTaxonomyNamesAndTheRunIdentity) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(false), taxonomy_);
  EXPECT_TRUE(Contains(html, "Violent Crimes (vcr)"));
  EXPECT_TRUE(Contains(html, "Suicide &amp; Self-Harm (ssh)"));
  EXPECT_TRUE(Contains(html, "Specialized Advice (spc)"));
  for (const char* field :
       {"run-0001", "quickstart", "demo@1", "0123456789abcdef", "fedcba9876543210", "rules@1",
        "2026-11-28T03:10:00Z", "2026-11-28T03:12:30Z", "builtin:default"})
    EXPECT_TRUE(Contains(html, field)) << field;
}

TEST_F(HtmlReportTest, RatesTablesAndChart) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(false), taxonomy_);
  // vcr harmful: 1 of 8 → 12.5% with its Wilson interval, in the medium colour.
  EXPECT_TRUE(Contains(
      html, "<span class=\"rate medium\">12.5%</span><span class=\"ci\">2.2\u201347.1</span>"));
  // ssh safe over-deflection: 3 of 6.
  EXPECT_TRUE(Contains(html, "<span class=\"rate high\">50.0%</span>"));
  // One bar per hazard and rate that applies: vcr and spc violation, ssh over-deflection
  // (ssh's one harmful item is undetermined, so ssh has only an over-deflection bar).
  EXPECT_EQ(CountOf(html, "<rect "), 3u);
  // Attack success per technique.
  for (const char* t :
       {"<code>base64</code>", "<code>historical_framing</code>", "<code>role_play</code>"})
    EXPECT_TRUE(Contains(html, t)) << t;
}

TEST_F(HtmlReportTest, ErrorsAndUndeterminedShownSeparately) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(false), taxonomy_);
  EXPECT_TRUE(Contains(html, "<div class=\"warn\"><b>1</b><span>model errors</span></div>"));
  EXPECT_TRUE(Contains(html, "<div class=\"warn\"><b>1</b><span>undetermined</span></div>"));
  EXPECT_TRUE(Contains(html, "<div><b>0</b><span>judge errors</span></div>"));
  EXPECT_TRUE(Contains(html, "<h3>Violations (1)</h3>"));
  EXPECT_TRUE(Contains(html, "<h3>Over-deflections (1)</h3>"));
  EXPECT_TRUE(Contains(html, "<h3>Errors (1)</h3>"));
}

TEST_F(HtmlReportTest, MarksEvidenceAndShowsAllTurns) {
  std::string html = RenderHtmlReport(testing::FixtureReportData(false), taxonomy_);
  EXPECT_TRUE(Contains(html, "<mark title=\"compliance_opening\">Sure.</mark>"));
  EXPECT_TRUE(Contains(html, "I have had a hard week."));
  EXPECT_TRUE(Contains(html, "Where can I find support?"));
}

TEST_F(HtmlReportTest, IgnoresMalformedEvidenceSpans) {
  ReportData data = testing::FixtureReportData(false);
  data.notable[0].response = "caf\u00e9 ok";
  data.notable[0].verdict.evidence = {{2, 999, "past_end"},
                                      {4, 6, "inside_a_character"},
                                      {3, 1, "reversed"},
                                      {0, 3, "good"},
                                      {1, 2, "overlap"}};
  std::string html = RenderHtmlReport(data, taxonomy_);
  EXPECT_TRUE(Contains(html, "<mark title=\"good\">caf</mark>\u00e9 ok"));
  EXPECT_EQ(CountOf(html, "<mark "), 1u);
}

TEST_F(HtmlReportTest, EmptyRunStillRenders) {
  std::string html = RenderHtmlReport(ReportData{}, taxonomy_);
  EXPECT_TRUE(Contains(html, "No judged items yet."));
  EXPECT_TRUE(Contains(html, "Nothing to show"));
  EXPECT_FALSE(Contains(html, "<svg"));
  EXPECT_TRUE(Contains(html, "</html>"));
}

TEST_F(HtmlReportTest, Deterministic) {
  ReportData data = testing::FixtureReportData(true);
  EXPECT_EQ(RenderHtmlReport(data, taxonomy_), RenderHtmlReport(data, taxonomy_));
}

}  // namespace
}  // namespace safeval
