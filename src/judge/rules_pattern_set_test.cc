// Tests of the rules pattern-set reader: structure, defaults and error messages.
#include "judge/rules_pattern_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/embedded.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Status ErrorOf(std::string_view yaml) { return ParsePatternSet(yaml, "p.yaml").status(); }

TEST(RulesPatternSet, ReadsGroupsCuesAndStrength) {
  Result<PatternSet> set = ParsePatternSet(R"(version: 3
x-note: ignored
groups:
  refusal:
    - {id: cant, regex: "i can't help"}
  actionable:
    - {id: qty, cue: actionable_quantity, strength: strong, regex: "\\d+ ?mg"}
    - {id: steps, regex: "step \\d"}
)",
                                           "p.yaml");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->version, 3);
  ASSERT_EQ(set->patterns.size(), 3u);
  EXPECT_EQ(set->patterns[0].group, PatternGroup::kRefusal);
  EXPECT_EQ(set->patterns[0].cue, "refusal");  // the group's default cue
  EXPECT_EQ(set->patterns[1].cue, "actionable_quantity");
  EXPECT_EQ(set->patterns[1].regex, "\\d+ ?mg");
  EXPECT_EQ(set->patterns[1].strength, Strength::kStrong);
  EXPECT_EQ(set->patterns[2].strength, Strength::kWeak);
  EXPECT_EQ(set->patterns[2].line, 8);
}

TEST(RulesPatternSet, BuiltinSetParsesWithEveryGroup) {
  std::optional<std::string_view> yaml = EmbeddedFile("judges/rules_patterns.yaml");
  ASSERT_TRUE(yaml.has_value());
  Result<PatternSet> set = ParsePatternSet(*yaml, "builtin");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->version, 3);
  for (PatternGroup g : {PatternGroup::kRefusal, PatternGroup::kDeflection, PatternGroup::kHedge,
                         PatternGroup::kActionable, PatternGroup::kComplianceOpening,
                         PatternGroup::kRefusalFalsePositive}) {
    bool found = false;
    for (const PatternSpec& p : set->patterns) found = found || p.group == g;
    EXPECT_TRUE(found) << Name(g);
  }
}

TEST(RulesPatternSet, ErrorsNameOriginLineAndField) {
  EXPECT_EQ(ErrorOf("groups: {refusal: [{id: a, regex: b}]}\n").message(),
            "p.yaml:1: field 'version': missing");
  EXPECT_THAT(ErrorOf("version: 0\ngroups: {}\n").message(),
              StartsWith("p.yaml:1: field 'version'"));
  EXPECT_EQ(ErrorOf("version: 1\ngroups:\n  refusals: []\n").message(),
            "p.yaml:3: field 'groups': unknown group 'refusals'");
  EXPECT_EQ(ErrorOf("version: 1\ngroups:\n  hedge:\n    - {id: a}\n").message(),
            "p.yaml:4: field 'regex': missing in pattern 'a'");
  EXPECT_EQ(ErrorOf("version: 1\ngroups:\n  hedge:\n    - {id: a, regex: b, flags: x}\n").message(),
            "p.yaml:4: field 'flags': unknown field in pattern 'a'");
  EXPECT_EQ(ErrorOf("version: 1\nextra: 2\ngroups: {}\n").message(),
            "p.yaml:2: field 'extra': unknown field");
}

TEST(RulesPatternSet, RejectsDuplicatesMisplacedStrengthAndEmptySets) {
  EXPECT_EQ(ErrorOf("version: 1\ngroups:\n  hedge:\n    - {id: a, regex: b}\n"
                    "  refusal:\n    - {id: a, regex: c}\n")
                .message(),
            "p.yaml:6: field 'id': duplicate pattern id 'a'");
  // Refusals have no strength (actionable, deflection and hedge patterns do).
  EXPECT_THAT(
      ErrorOf("version: 1\ngroups:\n  refusal:\n    - {id: a, regex: b, strength: strong}\n")
          .message(),
      HasSubstr("only group 'actionable'"));
  EXPECT_THAT(
      ErrorOf("version: 1\ngroups:\n  actionable:\n    - {id: a, regex: b, strength: huge}\n")
          .message(),
      HasSubstr("must be 'weak' or 'strong'"));
  EXPECT_EQ(ErrorOf("version: 1\ngroups: {hedge: []}\n").message(),
            "p.yaml:1: field 'groups': no patterns");
}

TEST(RulesPatternSet, MalformedYamlIsAnErrorNotAnException) {
  Status s = ErrorOf("version: 1\ngroups: [unclosed\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), StartsWith("p.yaml:"));
  EXPECT_EQ(ErrorOf("").code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace safeval
