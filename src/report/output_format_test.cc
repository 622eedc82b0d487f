// Tests of the --format names, extensions and the renderer each selects.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

TEST(OutputFormat, NamesRoundTrip) {
  for (OutputFormat f : {OutputFormat::kHtml, OutputFormat::kJson, OutputFormat::kCsv,
                         OutputFormat::kJunit, OutputFormat::kMarkdown})
    EXPECT_EQ(ParseOutputFormat(Name(f)), f);
  EXPECT_EQ(ParseOutputFormat("MD"), OutputFormat::kMarkdown);
  EXPECT_EQ(ParseOutputFormat("markdown"), OutputFormat::kMarkdown);
  EXPECT_FALSE(ParseOutputFormat("pdf").has_value());
  EXPECT_FALSE(ParseOutputFormat("").has_value());
}

TEST(OutputFormat, FromExtension) {
  EXPECT_EQ(OutputFormatForPath("out/report.html"), OutputFormat::kHtml);
  EXPECT_EQ(OutputFormatForPath("R.HTM"), OutputFormat::kHtml);
  EXPECT_EQ(OutputFormatForPath("results.json"), OutputFormat::kJson);
  EXPECT_EQ(OutputFormatForPath("items.csv"), OutputFormat::kCsv);
  EXPECT_EQ(OutputFormatForPath("junit.xml"), OutputFormat::kJunit);
  EXPECT_EQ(OutputFormatForPath("pr.md"), OutputFormat::kMarkdown);
  EXPECT_FALSE(OutputFormatForPath("report").has_value());
  EXPECT_FALSE(OutputFormatForPath(".md").has_value());  // a name, not an extension
  EXPECT_FALSE(OutputFormatForPath("report.pdf").has_value());
}

TEST(OutputFormat, RenderReportDispatches) {
  ReportData data = testing::FixtureReportData(false);
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  EXPECT_EQ(RenderReport(OutputFormat::kHtml, data, taxonomy), RenderHtmlReport(data, taxonomy));
  EXPECT_EQ(RenderReport(OutputFormat::kJson, data, taxonomy), RenderResultsJson(data));
  EXPECT_EQ(RenderReport(OutputFormat::kCsv, data, taxonomy), RenderItemsCsv(data));
  EXPECT_EQ(RenderReport(OutputFormat::kJunit, data, taxonomy), RenderJunitXml(data));
  EXPECT_EQ(RenderReport(OutputFormat::kMarkdown, data, taxonomy),
            RenderMarkdownSummary(data, taxonomy));
}

}  // namespace
}  // namespace safeval
