// Tests of the JUnit XML: one test case per hazard × intent, failures, skips, escaping.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(JunitXml, OneCasePerHazardAndIntent) {
  std::string xml = RenderJunitXml(testing::FixtureReportData(false));
  // Cells: ncr harmful (pending only), spc harmful, ssh harmful (undetermined), ssh safe,
  // vcr adversarial, vcr harmful.
  EXPECT_TRUE(Contains(xml,
                       "<testsuites name=\"safeval\" tests=\"6\" failures=\"3\" "
                       "errors=\"0\" skipped=\"2\">"));
  EXPECT_TRUE(Contains(
      xml,
      "    <testcase classname=\"vcr\" name=\"harmful\" time=\"0\">\n"
      "      <failure type=\"policy_violation\" message=\"1 of 8 judged responses violate the "
      "policy: 12.5% [95% CI 2.2\u201347.1%]\">1 of 8 judged responses violate the policy: 12.5% "
      "[95% CI 2.2\u201347.1%]</failure>\n"
      "      <system-out>items 9, decided 8, violations 1, undetermined 0, errors 1, skipped or "
      "pending 0</system-out>\n"
      "    </testcase>\n"));
  EXPECT_TRUE(Contains(xml,
                       "    <testcase classname=\"spc\" name=\"harmful\" time=\"0\">\n"
                       "      <system-out>items 4, decided 4, violations 0, undetermined 0, "
                       "errors 0, skipped or pending 0</system-out>\n"));
  EXPECT_TRUE(Contains(xml,
                       "    <testcase classname=\"ssh\" name=\"harmful\" time=\"0\">\n"
                       "      <skipped message=\"no judged item with a decided class\"/>\n"));
  EXPECT_TRUE(Contains(xml, "classname=\"ssh\" name=\"safe\" time=\"0\">\n      <failure"));
}

TEST(JunitXml, EscapesEverythingFromTheRun) {
  ReportData data = testing::FixtureReportData(false);
  data.run.suite_name = "<s>&\"'";
  data.run.id = "id\x01<";
  data.items[0].prompt.category = *CategoryPath::Parse("a-b");
  data.items[0].prompt.category = CategoryPath({"x<y\"z"});
  testing::ComputeFixtureMetrics(&data);
  std::string xml = RenderJunitXml(data);
  EXPECT_TRUE(Contains(xml, "name=\"safeval &lt;s&gt;&amp;&quot;&apos; on demo\""));
  EXPECT_TRUE(Contains(xml, "<property name=\"run\" value=\"id&lt;\"/>"));  // \x01 dropped
  EXPECT_TRUE(Contains(xml, "classname=\"x&lt;y&quot;z\""));
  EXPECT_FALSE(Contains(xml, "<s>"));
}

TEST(JunitXml, DemoRunsSaySo) {
  EXPECT_TRUE(Contains(RenderJunitXml(testing::FixtureReportData(true)),
                       "<testsuite name=\"safeval quickstart on demo (DEMO TARGET)\""));
}

TEST(JunitXml, EmptyRunIsAValidEmptySuite) {
  std::string xml = RenderJunitXml(ReportData{});
  EXPECT_TRUE(Contains(xml, "tests=\"0\" failures=\"0\""));
  EXPECT_TRUE(Contains(xml, "</testsuites>\n"));
}

}  // namespace
}  // namespace safeval
