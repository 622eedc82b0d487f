// Tests of the built-in safeval-v1 taxonomy: AILuminate v1.0's hazards with 52 finer leaves.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;

CategoryPath P(std::string_view text) { return *CategoryPath::Parse(text); }

Taxonomy SafevalV1() {
  Result<Taxonomy> tax = Taxonomy::Resolve("builtin:safeval-v1", "/nonexistent");
  EXPECT_TRUE(tax.ok()) << tax.status().ToString();
  return tax.ok() ? *tax : Taxonomy();
}

// Every leaf of safeval-v1: the categories the starter dataset is written against.
constexpr const char* kLeaves[] = {
    "vcr/terror/attack_planning",
    "vcr/terror/recruitment",
    "vcr/assault/murder",
    "vcr/assault/physical_assault",
    "vcr/assault/threats",
    "vcr/kidnapping",
    "vcr/animal_cruelty",
    "src/trafficking",
    "src/sexual_assault",
    "src/ncii",
    "src/solicitation",
    "cse/grooming",
    "cse/csam",
    "ssh/suicide",
    "ssh/self_injury",
    "ssh/eating_disorders",
    "iwp/chemical",
    "iwp/biological",
    "iwp/radiological_nuclear",
    "iwp/explosives",
    "ipv/piracy",
    "ipv/counterfeiting",
    "ipv/plagiarism",
    "dfm/public_figures",
    "dfm/private_individuals",
    "ncr/fraud/phishing",
    "ncr/fraud/financial_scams",
    "ncr/fraud/identity_theft",
    "ncr/cyber/malware",
    "ncr/cyber/intrusion",
    "ncr/cyber/account_takeover",
    "ncr/drugs/manufacturing",
    "ncr/drugs/trafficking",
    "ncr/theft",
    "ncr/weapons_trafficking",
    "hte/dehumanization",
    "hte/discrimination",
    "hte/extremist_ideology",
    "prv/doxxing",
    "prv/stalking_surveillance",
    "prv/personal_data",
    "spc/spc_ele/voting_procedures",
    "spc/spc_ele/election_misinformation",
    "spc/spc_fin/investments",
    "spc/spc_fin/taxes",
    "spc/spc_hlt/medication",
    "spc/spc_hlt/diagnosis",
    "spc/spc_hlt/mental_health",
    "spc/spc_lgl/legal_procedure",
    "spc/spc_lgl/contracts",
    "sxc/sxc_prn/explicit_writing",
    "sxc/sxc_prn/sexual_roleplay",
};

TEST(SafevalV1, HasExactlyTheFiftyTwoStarterLeaves) {
  Taxonomy tax = SafevalV1();
  EXPECT_EQ(tax.id(), "safeval-v1");
  std::set<std::string> leaves;
  for (const TaxonomyNode* leaf : tax.Leaves()) {
    leaves.insert(leaf->path.str());
    EXPECT_FALSE(leaf->name.empty()) << leaf->path.str();
    EXPECT_FALSE(leaf->description.empty()) << leaf->path.str();
  }
  EXPECT_EQ(leaves.size(), 52u);
  EXPECT_EQ(leaves, std::set<std::string>(std::begin(kLeaves), std::end(kLeaves)));
}

TEST(SafevalV1, HasThreeLevelsWithIntermediateNodes) {
  Taxonomy tax = SafevalV1();
  const TaxonomyNode* phishing = tax.Find(P("ncr/fraud/phishing"));
  ASSERT_NE(phishing, nullptr);
  EXPECT_EQ(phishing->path.depth(), 3u);
  for (const char* middle : {"vcr/terror", "vcr/assault", "ncr/fraud", "ncr/cyber", "ncr/drugs"}) {
    const TaxonomyNode* node = tax.Find(P(middle));
    ASSERT_NE(node, nullptr) << middle;
    EXPECT_FALSE(node->children.empty()) << middle;
    EXPECT_FALSE(node->description.empty()) << middle;
  }
  // The same id under two parents is two nodes.
  EXPECT_NE(tax.NameOf(P("src/trafficking")), tax.NameOf(P("ncr/drugs/trafficking")));
  EXPECT_EQ(tax.nodes().size(), 74u);  // 12 hazards + 5 sub-hazards + 5 intermediate + 52 leaves
}

TEST(SafevalV1, EveryAiluminateNodeExistsUnchanged) {
  Taxonomy tax = SafevalV1();
  Taxonomy ailuminate = Taxonomy::AiluminateV1();
  std::vector<std::string> top;
  for (const TaxonomyNode* node : tax.TopLevel()) top.push_back(node->id);
  std::vector<std::string> ailuminate_top;
  for (const TaxonomyNode* node : ailuminate.TopLevel()) ailuminate_top.push_back(node->id);
  EXPECT_EQ(top, ailuminate_top);  // same hazards, same order
  for (const TaxonomyNode& expected : ailuminate.nodes()) {
    const TaxonomyNode* node = tax.Find(expected.path);
    ASSERT_NE(node, nullptr) << expected.path.str();
    EXPECT_EQ(node->name, expected.name) << expected.path.str();
    EXPECT_EQ(node->description, expected.description) << expected.path.str();
    EXPECT_EQ(node->group, expected.group) << expected.path.str();
  }
}

TEST(SafevalV1, UnknownBuiltinListsBothNames) {
  Result<Taxonomy> unknown = Taxonomy::Resolve("builtin:safeval-v2", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("builtin:ailuminate-v1"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("builtin:safeval-v1"));
}

}  // namespace
}  // namespace safeval
