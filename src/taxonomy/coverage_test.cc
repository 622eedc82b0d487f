// Tests of coverage counting (roll-up, gaps, internal-node prompts) and the intent mix.
#include "taxonomy/coverage.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr char kTree[] = R"(schema_version: 1
id: tiny
nodes:
  - id: ncr
    name: Non-violent crimes
    children:
      - id: fraud
        name: Fraud
        children:
          - {id: phishing, name: Phishing}
          - {id: scams, name: Scams}
      - {id: theft, name: Theft}
  - {id: ssh, name: Self-harm}
)";

Taxonomy Tree() {
  Result<Taxonomy> tax = Taxonomy::FromYaml(kTree, "tiny.yaml");
  EXPECT_TRUE(tax.ok()) << tax.status().ToString();
  return tax.ok() ? *tax : Taxonomy();
}

Prompt MakeP(std::string_view category, Intent intent) {
  static int next = 0;
  return MakePrompt("p" + std::to_string(++next), "[placeholder request]",
                    *CategoryPath::Parse(category), intent);
}

const NodeCoverage& At(const Taxonomy& tax, const Coverage& c, std::string_view path) {
  const TaxonomyNode* node = tax.Find(*CategoryPath::Parse(path));
  EXPECT_NE(node, nullptr) << path;
  return c.nodes[node - tax.nodes().data()];
}

std::vector<std::string> GapNames(const Taxonomy& tax, const Coverage& c) {
  std::vector<std::string> out;
  for (const CoverageGap& gap : c.gaps) {
    out.push_back(tax.nodes()[gap.leaf].path.str() + ":" + std::string(Name(gap.intent)));
  }
  return out;
}

TEST(Coverage, CountsRollUpToEveryAncestor) {
  Taxonomy tax = Tree();
  Coverage c =
      ComputeCoverage(tax, {MakeP("ncr/fraud/phishing", Intent::kHarmful),
                            MakeP("ncr/fraud/phishing", Intent::kSafe),
                            MakeP("ncr/fraud/scams", Intent::kAdversarial),
                            MakeP("ncr/theft", Intent::kHarmful), MakeP("ssh", Intent::kSafe)});
  EXPECT_EQ(c.prompts, 5);
  EXPECT_EQ(At(tax, c, "ncr/fraud/phishing").total, 2);
  EXPECT_EQ(At(tax, c, "ncr/fraud").total, 3);
  EXPECT_EQ(At(tax, c, "ncr").total, 4);
  EXPECT_EQ(At(tax, c, "ncr").direct, 0);
  EXPECT_THAT(At(tax, c, "ncr").by_intent, ElementsAre(1, 2, 1));  // safe, harmful, adversarial
  EXPECT_THAT(At(tax, c, "ncr/fraud").by_intent, ElementsAre(1, 1, 1));
  EXPECT_EQ(At(tax, c, "ssh").total, 1);
  EXPECT_THAT(c.by_intent, ElementsAre(2, 2, 1));
  EXPECT_EQ(c.internal_node_prompts, 0);
}

TEST(Coverage, ListsEveryEmptyLeafIntentCellInOrder) {
  Taxonomy tax = Tree();
  std::vector<Prompt> prompts;
  for (const char* leaf : {"ncr/fraud/phishing", "ncr/fraud/scams", "ncr/theft", "ssh"}) {
    for (Intent intent : kAllIntents) prompts.push_back(MakeP(leaf, intent));
  }
  EXPECT_TRUE(ComputeCoverage(tax, prompts).gaps.empty());
  prompts.erase(prompts.begin() + 4);  // ncr/fraud/scams × harmful
  prompts.pop_back();                  // ssh × adversarial
  Coverage c = ComputeCoverage(tax, prompts);
  EXPECT_THAT(GapNames(tax, c), ElementsAre("ncr/fraud/scams:harmful", "ssh:adversarial"));
  EXPECT_EQ(c.leaves.size(), 4u);
}

TEST(Coverage, InternalNodePromptsCountForTheNodeButFillNoLeafCell) {
  Taxonomy tax = Tree();
  Coverage c =
      ComputeCoverage(tax, {MakeP("ncr/fraud", Intent::kSafe), MakeP("ncr", Intent::kHarmful),
                            MakeP("ncr/theft", Intent::kSafe)});
  EXPECT_EQ(At(tax, c, "ncr/fraud").total, 1);
  EXPECT_EQ(At(tax, c, "ncr/fraud").direct, 1);
  EXPECT_EQ(At(tax, c, "ncr").total, 3);
  EXPECT_EQ(At(tax, c, "ncr").direct, 1);
  EXPECT_EQ(At(tax, c, "ncr/fraud/phishing").total, 0);
  EXPECT_EQ(c.internal_node_prompts, 2);
  std::vector<std::string> gaps = GapNames(tax, c);
  EXPECT_THAT(gaps, testing::Contains("ncr/fraud/phishing:safe"));
  EXPECT_THAT(gaps, testing::Contains("ncr/fraud/scams:safe"));
  EXPECT_THAT(gaps, testing::Not(testing::Contains("ncr/theft:safe")));
  EXPECT_EQ(gaps.size(), 4u * 3u - 1u);
}

TEST(Coverage, CountsPersonaTechniqueAndLocale) {
  Taxonomy tax = Tree();
  Prompt a = MakeP("ssh", Intent::kAdversarial);
  a.persona = Persona::kSkilled;
  a.locale = "en_US";
  a.techniques = {"role_play", "base64", "role_play"};
  Prompt b = MakeP("ssh", Intent::kAdversarial);
  b.locale = "de_DE";
  b.techniques = {"role_play"};
  Prompt c = MakeP("ssh", Intent::kSafe);
  c.persona = Persona::kNormal;
  c.locale = "en_US";
  Coverage cov = ComputeCoverage(tax, {a, b, c});
  EXPECT_THAT(cov.by_persona, ElementsAre(1, 0, 1));  // normal, unskilled, skilled
  EXPECT_EQ(cov.without_persona, 1);
  EXPECT_THAT(cov.by_technique, ElementsAre(Pair("base64", 1), Pair("role_play", 2)));
  EXPECT_EQ(cov.without_technique, 1);
  EXPECT_THAT(cov.by_locale, ElementsAre(Pair("de_DE", 1), Pair("en_US", 2)));
  EXPECT_EQ(cov.without_locale, 0);
}

TEST(Coverage, UnknownCategoriesAreCountedApart) {
  Taxonomy tax = Tree();
  Coverage c = ComputeCoverage(tax, {MakeP("nope/x", Intent::kSafe), MakeP("ssh", Intent::kSafe)});
  EXPECT_EQ(c.unknown_category, 1);
  EXPECT_EQ(c.prompts, 2);
  EXPECT_EQ(At(tax, c, "ssh").total, 1);
  EXPECT_EQ(c.by_intent[IntentIndex(Intent::kSafe)], 2);
}

TEST(Coverage, StreamingCounterMatchesTheVectorForm) {
  Taxonomy tax = Tree();
  std::vector<Prompt> prompts = {MakeP("ncr/theft", Intent::kSafe), MakeP("ncr", Intent::kSafe)};
  CoverageCounter counter(tax);
  for (const Prompt& p : prompts) counter.Add(p);
  Coverage streamed = std::move(counter).Finish();
  Coverage whole = ComputeCoverage(tax, prompts);
  EXPECT_EQ(streamed.gaps, whole.gaps);
  EXPECT_EQ(streamed.nodes[0].total, whole.nodes[0].total);
}

IntentMix Mix(std::string_view text) {
  Result<IntentMix> mix = ParseIntentMix(text);
  EXPECT_TRUE(mix.ok()) << text << ": " << mix.status().ToString();
  return mix.ok() ? *mix : IntentMix();
}

std::string MixError(std::string_view text) {
  Result<IntentMix> mix = ParseIntentMix(text);
  EXPECT_FALSE(mix.ok()) << "parsed: " << text;
  return mix.ok() ? "" : mix.status().message();
}

TEST(IntentMix, ParsesPairsInAnyOrderWithOmittedIntentsAtZero) {
  EXPECT_THAT(Mix("safe=20,harmful=40,adversarial=40").percent, ElementsAre(20, 40, 40));
  EXPECT_THAT(Mix("adversarial=50, harmful=50").percent, ElementsAre(0, 50, 50));
  EXPECT_THAT(Mix("safe=33.4,harmful=33.3,adversarial=33.3").percent,
              ElementsAre(33.4, 33.3, 33.3));
  EXPECT_THAT(IntentMix().percent, ElementsAre(20, 40, 40));  // the documented default
}

TEST(IntentMix, RejectsBadSyntaxWithTheOffendingPart) {
  EXPECT_THAT(MixError(""), HasSubstr("empty mix"));
  EXPECT_THAT(MixError("safe20,harmful=80"), HasSubstr("'safe20': expected intent=percent"));
  EXPECT_THAT(MixError("evil=20,harmful=80"), HasSubstr("'evil' is not an intent"));
  EXPECT_THAT(MixError("safe=20,safe=80"), HasSubstr("'safe' is given more than once"));
  EXPECT_THAT(MixError("safe=x,harmful=100"), HasSubstr("'safe=x': expected a percentage"));
  EXPECT_THAT(MixError("safe=-5,harmful=105"), HasSubstr("expected a percentage"));
  EXPECT_THAT(MixError("safe=50,harmful=50,"), HasSubstr("expected intent=percent"));
}

TEST(IntentMix, RejectsSharesNotSummingToOneHundred) {
  EXPECT_THAT(MixError("safe=20,harmful=40,adversarial=30"), HasSubstr("sum to 90, not 100"));
  EXPECT_THAT(MixError("safe=60,harmful=60"), HasSubstr("sum to 120"));
}

TEST(IntentMix, PrintsInIntentOrder) {
  EXPECT_EQ(IntentMixToString(Mix("adversarial=40,safe=20.5,harmful=39.5")),
            "safe=20.5,harmful=39.5,adversarial=40");
}

IntentCounts Counts(int64_t safe, int64_t harmful, int64_t adversarial) {
  return {safe, harmful, adversarial};
}

TEST(CompareMix, ReportsPercentagesAndDeviationInPoints) {
  MixComparison m = CompareMix(Counts(30, 30, 40), IntentMix(), 5);
  EXPECT_DOUBLE_EQ(m.shares[0].actual_percent, 30);
  EXPECT_DOUBLE_EQ(m.shares[0].deviation_points, 10);
  EXPECT_DOUBLE_EQ(m.shares[1].deviation_points, -10);
  EXPECT_DOUBLE_EQ(m.shares[2].deviation_points, 0);
  EXPECT_EQ(m.shares[1].intent, Intent::kHarmful);
  EXPECT_EQ(m.shares[1].count, 30);
  EXPECT_FALSE(m.shares[0].within_tolerance);
  EXPECT_TRUE(m.shares[2].within_tolerance);
  EXPECT_FALSE(m.ok());
}

TEST(CompareMix, ExactlyAtTheToleranceIsWithinJustOverIsNot) {
  // 25/35/40 against 20/40/40: +5 and -5 points.
  EXPECT_TRUE(CompareMix(Counts(25, 35, 40), IntentMix(), 5).ok());
  // 251/349/400 of 1000: +5.1 and -5.1 points.
  EXPECT_FALSE(CompareMix(Counts(251, 349, 400), IntentMix(), 5).ok());
  EXPECT_TRUE(CompareMix(Counts(251, 349, 400), IntentMix(), 5.1).ok());
  // Thirds against a mix of thirds: rounding must not fail a zero tolerance.
  EXPECT_TRUE(CompareMix(Counts(1, 1, 1),
                         Mix("safe=33.333333333333336,harmful=33.333333333333336,"
                             "adversarial=33.33333333333333"),
                         0)
                  .ok());
}

TEST(CompareMix, NoPromptsIsOffEveryNonZeroTarget) {
  MixComparison m = CompareMix(Counts(0, 0, 0), IntentMix(), 5);
  EXPECT_DOUBLE_EQ(m.shares[0].actual_percent, 0);
  EXPECT_DOUBLE_EQ(m.shares[1].deviation_points, -40);
  EXPECT_FALSE(m.ok());
}

}  // namespace
}  // namespace safeval
