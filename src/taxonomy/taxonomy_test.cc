// Tests of the taxonomy tree, its YAML reader and the built-in AILuminate v1.0 hazards.
#include "taxonomy/taxonomy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

CategoryPath P(std::string_view text) { return *CategoryPath::Parse(text); }

std::vector<std::string> Ids(const std::vector<const TaxonomyNode*>& nodes) {
  std::vector<std::string> ids;
  for (const TaxonomyNode* node : nodes) ids.push_back(node->path.str());
  return ids;
}

// A status message for a taxonomy that must fail to parse.
std::string ErrorOf(const std::string& yaml) {
  Result<Taxonomy> tax = Taxonomy::FromYaml(yaml, "tax.yaml");
  EXPECT_FALSE(tax.ok()) << "parsed unexpectedly:\n" << yaml;
  if (tax.ok()) return "";
  EXPECT_EQ(tax.status().code(), StatusCode::kInvalidArgument);
  return tax.status().message();
}

constexpr char kThreeLevels[] = R"(schema_version: 1
id: acme-assistant
x-owner: safety-team
nodes:
  - id: ncr
    name: Non-violent crimes
    description: Crimes without violence.
    group: non-physical
    children:
      - id: fraud
        name: Fraud
        policy: Explaining scams is fine.
        children:
          - {id: phishing, name: Phishing, description: Credential theft by email.}
          - {id: fraud, name: Fraud inside fraud}
  - id: ssh
    name: Self-harm
)";

TEST(Taxonomy, ParsesTreeOfAnyDepthWithPathsAndLinks) {
  Result<Taxonomy> tax = Taxonomy::FromYaml(kThreeLevels, "tax.yaml");
  ASSERT_TRUE(tax.ok()) << tax.status().ToString();
  EXPECT_EQ(tax->id(), "acme-assistant");
  EXPECT_THAT(Ids(tax->TopLevel()), ElementsAre("ncr", "ssh"));
  EXPECT_THAT(Ids(tax->Leaves()), ElementsAre("ncr/fraud/phishing", "ncr/fraud/fraud", "ssh"));

  const TaxonomyNode* phishing = tax->Find(P("ncr/fraud/phishing"));
  ASSERT_NE(phishing, nullptr);
  EXPECT_EQ(phishing->name, "Phishing");
  EXPECT_EQ(phishing->description, "Credential theft by email.");
  const TaxonomyNode& fraud = tax->nodes()[phishing->parent];
  EXPECT_EQ(fraud.path, P("ncr/fraud"));
  EXPECT_EQ(fraud.policy_text, "Explaining scams is fine.");
  EXPECT_EQ(tax->nodes()[fraud.parent].group, "non-physical");
  EXPECT_EQ(fraud.children.size(), 2u);
}

TEST(Taxonomy, FindWalksTheWholePath) {
  Result<Taxonomy> tax = Taxonomy::FromYaml(kThreeLevels, "tax.yaml");
  ASSERT_TRUE(tax.ok());
  // Sibling ids may repeat at another level: the path decides which node is meant.
  EXPECT_EQ(tax->NameOf(P("ncr/fraud/fraud")), "Fraud inside fraud");
  EXPECT_EQ(tax->NameOf(P("ncr/fraud")), "Fraud");
  EXPECT_EQ(tax->Find(P("fraud")), nullptr);      // not a top-level node
  EXPECT_EQ(tax->Find(P("ssh/fraud")), nullptr);  // under the wrong parent
  EXPECT_EQ(tax->Find(P("ncr/fraud/phishing/x")), nullptr);
  EXPECT_EQ(tax->Find(CategoryPath()), nullptr);
  EXPECT_EQ(tax->NameOf(P("nope")), "?");
}

TEST(Taxonomy, ConstructorLinksNodesFromParentIndexes) {
  std::vector<TaxonomyNode> nodes(3);
  nodes[0].id = "a";
  nodes[1].id = "b";
  nodes[1].parent = 0;
  nodes[2].id = "c";
  nodes[2].parent = 1;
  Taxonomy tax("t", std::move(nodes));
  EXPECT_EQ(tax.nodes()[2].path, P("a/b/c"));
  EXPECT_THAT(tax.nodes()[0].children, ElementsAre(1));
  EXPECT_THAT(tax.nodes()[1].children, ElementsAre(2));
  EXPECT_EQ(tax.Find(P("a/b/c")), &tax.nodes()[2]);
}

TEST(TaxonomyYaml, UnknownKeyNamesLineAndField) {
  std::string yaml = R"(schema_version: 1
id: t
nodes:
  - id: a
    name: A
    colour: red
)";
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, StartsWith("tax.yaml:6: field 'colour': unknown key"));
  EXPECT_THAT(error, HasSubstr("x-"));
}

TEST(TaxonomyYaml, ExtensionKeysAreAllowedAnywhere) {
  std::string yaml = R"(schema_version: 1
id: t
x-notes: top
nodes:
  - {id: a, name: A, x-reviewed: true}
)";
  EXPECT_TRUE(Taxonomy::FromYaml(yaml, "tax.yaml").ok());
}

TEST(TaxonomyYaml, RejectsOtherSchemaVersions) {
  EXPECT_THAT(ErrorOf("schema_version: 2\nid: t\nnodes: [{id: a, name: A}]\n"),
              StartsWith("tax.yaml:1: field 'schema_version': expected 1"));
  EXPECT_THAT(ErrorOf("id: t\nnodes: [{id: a, name: A}]\n"),
              HasSubstr("field 'schema_version': required"));
}

TEST(TaxonomyYaml, RejectsDuplicateSiblingIdsWithBothLines) {
  std::string yaml = R"(schema_version: 1
id: t
nodes:
  - id: a
    name: A
  - id: a
    name: Again
)";
  std::string error = ErrorOf(yaml);
  EXPECT_THAT(error, StartsWith("tax.yaml:6: field 'id': duplicate id 'a'"));
  EXPECT_THAT(error, HasSubstr("line 4"));
}

TEST(TaxonomyYaml, RejectsInvalidIdsAndMissingNames) {
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nnodes:\n  - {id: a, name: A, children: "
                      "[{id: 'b/c', name: B}]}\n"),
              StartsWith("tax.yaml:4: field 'id': invalid id 'b/c'"));
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nnodes:\n  - id: a\n    description: no name\n"),
              StartsWith("tax.yaml:4: field 'name': required"));
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nnodes:\n  - id: a\n    name: [A]\n"),
              StartsWith("tax.yaml:5: field 'name': expected a string"));
}

TEST(TaxonomyYaml, RejectsMissingOrEmptyNodesAndBadShapes) {
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\n"), HasSubstr("field 'nodes': required"));
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nnodes: []\n"), HasSubstr("field 'nodes'"));
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nnodes:\n  - just-a-string\n"),
              StartsWith("tax.yaml:4: field 'nodes': expected a node"));
  EXPECT_THAT(ErrorOf("- a\n- b\n"), StartsWith("tax.yaml:1: expected a mapping"));
  EXPECT_THAT(ErrorOf(""), StartsWith("tax.yaml:1: expected a mapping"));
}

TEST(TaxonomyYaml, RejectsRepeatedKeys) {
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: t\nid: u\nnodes: [{id: a, name: A}]\n"),
              StartsWith("tax.yaml:3: field 'id': repeated key (first at line 2)"));
}

TEST(TaxonomyYaml, SyntaxErrorsGiveTheParserLine) {
  std::string error = ErrorOf("schema_version: 1\nid: t\nnodes:\n  - {id: a, name: A\n");
  EXPECT_THAT(error, StartsWith("tax.yaml:"));
  EXPECT_THAT(error, HasSubstr("invalid YAML"));
  EXPECT_THAT(ErrorOf("schema_version: 1\nid: [t\n"), StartsWith("tax.yaml:"));
}

TEST(TaxonomyYaml, RejectsAbsurdNesting) {
  std::string yaml = "schema_version: 1\nid: t\nnodes:\n";
  std::string indent = "  ";
  for (int i = 0; i < 40; ++i) {
    yaml += indent + "- id: n" + std::to_string(i) + "\n" + indent + "  name: N\n" + indent +
            "  children:\n";
    indent += "    ";
  }
  yaml += indent + "- {id: leaf, name: Leaf}\n";
  EXPECT_THAT(ErrorOf(yaml), HasSubstr("nested deeper than"));
}

TEST(AiluminateV1, HasTheTwelveHazardsInTheirGroups) {
  Taxonomy tax = Taxonomy::AiluminateV1();
  EXPECT_EQ(tax.id(), "ailuminate-v1");
  EXPECT_THAT(Ids(tax.TopLevel()), ElementsAre("vcr", "src", "cse", "ssh", "iwp", "ipv", "dfm",
                                               "ncr", "hte", "prv", "spc", "sxc"));
  EXPECT_EQ(tax.Find(P("iwp"))->group, "physical");
  EXPECT_EQ(tax.Find(P("prv"))->group, "non-physical");
  EXPECT_EQ(tax.Find(P("sxc"))->group, "contextual");
  EXPECT_EQ(tax.NameOf(P("ssh")), "Suicide & Self-Harm");
  EXPECT_EQ(tax.NameOf(P("iwp")), "Indiscriminate Weapons (CBRNE)");
  for (const TaxonomyNode& node : tax.nodes()) EXPECT_FALSE(node.description.empty()) << node.id;
}

TEST(AiluminateV1, HasSubHazardsUnderSpcAndSxc) {
  Taxonomy tax = Taxonomy::AiluminateV1();
  EXPECT_EQ(tax.NameOf(P("spc/spc_hlt")), "Health advice");
  EXPECT_EQ(tax.NameOf(P("sxc/sxc_prn")), "Pornographic content");
  EXPECT_EQ(tax.Find(P("spc_hlt")), nullptr);
  EXPECT_EQ(tax.Find(P("spc"))->children.size(), 4u);
  EXPECT_EQ(tax.Leaves().size(), 15u);  // 10 hazards without children + 4 spc_* + sxc_prn
}

// Compares everything a taxonomy file can express.
void ExpectSameTree(const Taxonomy& a, const Taxonomy& b) {
  EXPECT_EQ(a.id(), b.id());
  ASSERT_EQ(a.nodes().size(), b.nodes().size());
  for (size_t i = 0; i < a.nodes().size(); ++i) {
    const TaxonomyNode& x = a.nodes()[i];
    const TaxonomyNode& y = b.nodes()[i];
    EXPECT_EQ(x.path, y.path);
    EXPECT_EQ(x.name, y.name) << x.id;
    EXPECT_EQ(x.description, y.description) << x.id;
    EXPECT_EQ(x.group, y.group) << x.id;
    EXPECT_EQ(x.policy_text, y.policy_text) << x.id;
    EXPECT_EQ(x.parent, y.parent) << x.id;
    EXPECT_EQ(x.children, y.children) << x.id;
  }
}

TEST(AiluminateV1, YamlCopyInDataParsesToTheBuiltInTree) {
  Result<Taxonomy> copy =
      Taxonomy::LoadFile(std::string(SAFEVAL_SOURCE_DIR) + "/data/taxonomies/ailuminate-v1.yaml");
  ASSERT_TRUE(copy.ok()) << copy.status().ToString();
  ExpectSameTree(*copy, Taxonomy::AiluminateV1());
}

TEST(TaxonomyResolve, BuiltinByName) {
  Result<Taxonomy> tax = Taxonomy::Resolve("builtin:ailuminate-v1", "/nonexistent");
  ASSERT_TRUE(tax.ok());
  EXPECT_EQ(tax->id(), "ailuminate-v1");
  Result<Taxonomy> unknown = Taxonomy::Resolve("builtin:ailuminate-v2", "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("builtin:ailuminate-v1"));
}

TEST(TaxonomyResolve, RelativePathsResolveAgainstBaseDir) {
  testing::TempDir dir;
  dir.Write("suites/tax.yaml", kThreeLevels);
  Result<Taxonomy> tax = Taxonomy::Resolve("tax.yaml", dir.File("suites"));
  ASSERT_TRUE(tax.ok()) << tax.status().ToString();
  EXPECT_EQ(tax->id(), "acme-assistant");
  // An absolute path ignores base_dir.
  EXPECT_TRUE(Taxonomy::Resolve(dir.File("suites/tax.yaml"), "/elsewhere").ok());
}

TEST(TaxonomyResolve, MissingFileIsNotFoundAndNamesThePath) {
  testing::TempDir dir;
  Result<Taxonomy> tax = Taxonomy::Resolve("missing.yaml", dir.path());
  ASSERT_FALSE(tax.ok());
  EXPECT_EQ(tax.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(tax.status().message(), HasSubstr(dir.File("missing.yaml")));
}

TEST(TaxonomyResolve, FileErrorsNameTheFile) {
  testing::TempDir dir;
  std::string path = dir.Write("bad.yaml", "schema_version: 1\nid: t\nnodes:\n  - {id: a}\n");
  Result<Taxonomy> tax = Taxonomy::LoadFile(path);
  ASSERT_FALSE(tax.ok());
  EXPECT_THAT(tax.status().message(), StartsWith(path + ":4: field 'name'"));
}

}  // namespace
}  // namespace safeval
