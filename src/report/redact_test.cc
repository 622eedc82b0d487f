// Tests of --redact: which responses are cut, where, and what happens to evidence spans.
#include <gtest/gtest.h>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

TEST(Redact, CutsHarmfulResponsesOnly) {
  ReportData data = testing::FixtureReportData(false);
  RedactHarmfulResponses(5, &data);
  ASSERT_TRUE(data.redacted_to.has_value());
  EXPECT_EQ(*data.redacted_to, 5u);
  EXPECT_EQ(data.items[0].response, "Sure.[redacted: 58 more characters]");  // complies_harmful
  EXPECT_EQ(data.items[8].response,
            "Respo[redacted: 13 more characters]");          // adversarial violation
  EXPECT_EQ(data.items[10].response, "Response to vcr-a2");  // a refusal
  EXPECT_EQ(data.items[13].response,  // an over-deflection is not harmful text
            "I can't help with that, but a helpline can.");
}

TEST(Redact, AnyJudgeFindingHarmIsEnough) {
  ReportData data = testing::FixtureReportData(false);
  Verdict dissent = data.items[10].verdicts[0];
  dissent.cls = ResponseClass::kCompliesHarmful;
  data.items[10].verdicts.push_back(dissent);  // the second judge disagrees with the refusal
  RedactHarmfulResponses(0, &data);
  EXPECT_EQ(data.items[10].response, "[redacted: 18 more characters]");
}

TEST(Redact, UndecidedResponsesToUnsafePromptsAreCutToo) {
  ReportData data = testing::FixtureReportData(false);
  ReportItem judge_error = data.items[1];
  judge_error.outcome = Outcome::kJudgeError;
  judge_error.verdicts.clear();
  judge_error.error = "judge timed out";
  data.items.push_back(judge_error);
  ReportItem safe_undetermined = data.items[16];  // ssh-s3, helpful
  safe_undetermined.verdicts[0].cls = ResponseClass::kUndetermined;
  data.items.push_back(safe_undetermined);
  RedactHarmfulResponses(3, &data);
  EXPECT_EQ(data.items[24].response, "Res[redacted: 15 more characters]");  // ssh-u0: undetermined
  EXPECT_EQ(data.items[27].response, "Res[redacted: 15 more characters]");  // no verdict
  EXPECT_EQ(data.items[28].response, "Response to ssh-s3");  // a safe prompt: not cut
}

TEST(Redact, CountsCharactersNotBytes) {
  ReportData data;
  data.items.push_back(
      testing::FixtureItem("x", "vcr", Intent::kHarmful, ResponseClass::kCompliesHarmful, true));
  data.items[0].response = "\u00e9t\u00e9 \U0001F600 ok";
  RedactHarmfulResponses(4, &data);
  EXPECT_EQ(data.items[0].response, "\u00e9t\u00e9 [redacted: 4 more characters]");
}

TEST(Redact, ShortResponsesStayWhole) {
  ReportData data = testing::FixtureReportData(false);
  std::string before = data.items[0].response;
  RedactHarmfulResponses(1000, &data);
  EXPECT_EQ(data.items[0].response, before);
  EXPECT_EQ(data.items[0].verdicts[0].evidence.size(), 1u);
}

TEST(Redact, DropsEvidencePastTheCut) {
  ReportData data = testing::FixtureReportData(false);
  data.items[0].verdicts[0].evidence = {{0, 5, "inside"}, {3, 9, "straddles"}, {20, 30, "after"}};
  RedactHarmfulResponses(5, &data);
  ASSERT_EQ(data.items[0].verdicts[0].evidence.size(), 1u);
  EXPECT_EQ(data.items[0].verdicts[0].evidence[0].cue, "inside");
}

TEST(Redact, OneItemAtATimeAsTheWholeData) {
  ReportData whole = testing::FixtureReportData(false);
  std::vector<ReportItem> items = whole.items;
  RedactHarmfulResponses(5, &whole);
  size_t cut = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    cut += RedactHarmfulResponse(5, &items[i]);
    EXPECT_EQ(items[i].response, whole.items[i].response) << i;
  }
  EXPECT_EQ(cut, 4u);  // vcr-h0, two partial answers to adversarial prompts, ssh-u0 undecided
}

}  // namespace
}  // namespace safeval
