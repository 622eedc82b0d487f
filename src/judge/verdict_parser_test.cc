// Tests of reading an LLM judge's answer: finding the JSON in free text and checking fields.
#include "judge/verdict_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace safeval {
namespace {

using ::testing::HasSubstr;

TEST(FindJsonObject, SkipsFencesAndProse) {
  std::string answer =
      "Sure, here is my assessment:\n```json\n{\"class\": \"refuses\", \"rationale\": \"x\"}\n```\n"
      "Let me know if you need more.";
  std::optional<std::string_view> found = FindJsonObject(answer);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, "{\"class\": \"refuses\", \"rationale\": \"x\"}");
}

TEST(FindJsonObject, SkipsBracesInProseThatAreNotJson) {
  // The first '{' never closes; the second one opens a non-JSON group; the third is the answer.
  std::string answer = "I weigh {several things. Also {not json}. {\"class\": \"helpful\"}";
  std::optional<std::string_view> found = FindJsonObject(answer);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, "{\"class\": \"helpful\"}");
}

TEST(FindJsonObject, IgnoresBracesInsideStrings) {
  std::string answer = R"({"class": "partial", "rationale": "it says } and { and \" too"} tail)";
  std::optional<std::string_view> found = FindJsonObject(answer);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, R"({"class": "partial", "rationale": "it says } and { and \" too"})");
}

TEST(FindJsonObject, NoneInPlainTextOrArrays) {
  EXPECT_FALSE(FindJsonObject("The response refuses.").has_value());
  EXPECT_FALSE(FindJsonObject("[\"refuses\"]").has_value());
  EXPECT_FALSE(FindJsonObject("").has_value());
}

TEST(ParseJudgeAnswer, ReadsEveryField) {
  Result<JudgeAnswer> a = ParseJudgeAnswer(
      R"(```{"class": "deflects", "violation": false, "quality": 4, "severity": 0,
             "rationale": "Offers a hotline."}```)");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->cls, ResponseClass::kDeflects);
  EXPECT_EQ(a->violation, false);
  EXPECT_EQ(a->quality, 4);
  EXPECT_EQ(a->severity, 0);
  EXPECT_EQ(a->rationale, "Offers a hotline.");
}

TEST(ParseJudgeAnswer, OptionalFieldsMayBeMissingOrNull) {
  Result<JudgeAnswer> a = ParseJudgeAnswer(R"({"class": "refuses", "quality": null})");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->cls, ResponseClass::kRefuses);
  EXPECT_FALSE(a->violation.has_value());
  EXPECT_FALSE(a->quality.has_value());
  EXPECT_FALSE(a->severity.has_value());
  EXPECT_EQ(a->rationale, "");
}

TEST(ParseJudgeAnswer, ToleratesClassSpellings) {
  Result<JudgeAnswer> a = ParseJudgeAnswer(R"({"class": " Complies Harmful "})");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->cls, ResponseClass::kCompliesHarmful);
  Result<JudgeAnswer> b = ParseJudgeAnswer(R"({"class": "complies-harmful"})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->cls, ResponseClass::kCompliesHarmful);
  Result<JudgeAnswer> c = ParseJudgeAnswer(R"({"class": "undetermined"})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->cls, ResponseClass::kUndetermined);
  Result<JudgeAnswer> d = ParseJudgeAnswer(R"({"class": "helpful", "quality": 5.0})");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->quality, 5);
}

TEST(ParseJudgeAnswer, RejectsTrailingCommas) {
  Result<JudgeAnswer> a = ParseJudgeAnswer(R"({"class": "refuses", "violation": false,})");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "no JSON object found");
}

TEST(ParseJudgeAnswer, RejectsWrongClassAndMissingClass) {
  Result<JudgeAnswer> wrong = ParseJudgeAnswer(R"({"class": "safe", "violation": false})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(wrong.status().message(), HasSubstr("field 'class': unknown class 'safe'"));
  Result<JudgeAnswer> missing = ParseJudgeAnswer(R"({"violation": true, "rationale": "x"})");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "field 'class': missing");
  Result<JudgeAnswer> number = ParseJudgeAnswer(R"({"class": 3})");
  ASSERT_FALSE(number.ok());
  EXPECT_THAT(number.status().message(), HasSubstr("field 'class'"));
}

TEST(ParseJudgeAnswer, RejectsWrongTypesAndRanges) {
  struct Case {
    const char* json;
    const char* message;
  };
  for (const Case& c : std::initializer_list<Case>{
           {R"({"class": "refuses", "violation": "no"})",
            "field 'violation': expected true or false"},
           {R"({"class": "refuses", "quality": 6})", "field 'quality': expected an integer 1-5"},
           {R"({"class": "refuses", "quality": "4"})", "field 'quality': expected an integer 1-5"},
           {R"({"class": "refuses", "quality": 2.5})", "field 'quality': expected an integer 1-5"},
           {R"({"class": "refuses", "severity": -1})", "field 'severity': expected an integer 0-3"},
           {R"({"class": "refuses", "rationale": ["a"]})", "field 'rationale': expected a string"},
       }) {
    Result<JudgeAnswer> a = ParseJudgeAnswer(c.json);
    ASSERT_FALSE(a.ok()) << c.json;
    EXPECT_EQ(a.status().message(), c.message) << c.json;
  }
}

TEST(AnswerExcerpt, CutsAtCodePointsNotBytes) {
  EXPECT_EQ(AnswerExcerpt("short"), "short");
  EXPECT_EQ(AnswerExcerpt("abcdef", 3), "abc…");
  EXPECT_EQ(AnswerExcerpt("éééé", 2), "éé…");  // two bytes each: never split
  EXPECT_EQ(AnswerExcerpt(std::string(200, 'x')), std::string(200, 'x'));
  EXPECT_EQ(AnswerExcerpt(std::string(201, 'x')), std::string(200, 'x') + "…");
}

TEST(ParseJudgeAnswer, ReadsMissedDistressWhenGiven) {
  Result<JudgeAnswer> yes = ParseJudgeAnswer(R"({"class": "helpful", "missed_distress": true})");
  ASSERT_TRUE(yes.ok()) << yes.status().ToString();
  EXPECT_EQ(yes->missed_distress, true);
  Result<JudgeAnswer> no = ParseJudgeAnswer(R"({"class": "helpful", "missed_distress": false})");
  ASSERT_TRUE(no.ok());
  EXPECT_EQ(no->missed_distress, false);
  for (const char* absent : {R"({"class": "helpful"})", R"({"class": "helpful", "missed_distress": null})"}) {
    Result<JudgeAnswer> a = ParseJudgeAnswer(absent);
    ASSERT_TRUE(a.ok());
    EXPECT_FALSE(a->missed_distress.has_value()) << absent;
  }
  Result<JudgeAnswer> bad = ParseJudgeAnswer(R"({"class": "helpful", "missed_distress": "yes"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "field 'missed_distress': expected true or false");
}

}  // namespace
}  // namespace safeval
