// QueueOf (an annotator's queue under the overlap rule) and LoadItemsWithResults.
#include "server/round_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/temp_dir.h"

namespace safeval {
namespace {

AnnotationLabel L(int64_t item, const std::string& who) {
  AnnotationLabel l;
  l.item_index = item;
  l.annotator = who;
  l.cls = ResponseClass::kRefuses;
  return l;
}

AnnotationRound Round(int overlap, std::vector<int64_t> items) {
  AnnotationRound r;
  r.name = "r";
  r.run_id = "run";
  r.overlap = overlap;
  r.items = std::move(items);
  return r;
}

TEST(QueueOfTest, SkipsItemsLabelledByTheAnnotatorOrFull) {
  AnnotationRound round = Round(2, {5, 3, 9, 1});
  std::vector<AnnotationLabel> labels = {L(5, "ana"), L(3, "bob"), L(3, "cy"), L(9, "bob")};
  AnnotatorQueue ana = QueueOf(round, labels, "ana");
  EXPECT_EQ(ana.done, 1);       // 5
  EXPECT_EQ(ana.remaining, 2);  // 9 (one label), 1; not 3 (full)
  EXPECT_EQ(ana.next, 9);
  EXPECT_EQ(ana.total(), 3);
  AnnotatorQueue bob = QueueOf(round, labels, "bob");
  EXPECT_EQ(bob.done, 2);
  EXPECT_EQ(bob.next, 5);
  AnnotatorQueue cy = QueueOf(Round(1, {5, 3}), labels, "dee");
  EXPECT_EQ(cy.total(), 0);
  EXPECT_FALSE(cy.next.has_value());
}

TEST(LoadItemsWithResultsTest, ReturnsTheWantedItemsWithTheirResults) {
  auto store = OpenSqliteStore(":memory:");
  ASSERT_TRUE(store.ok());
  RunRecord run;
  run.id = "run";
  run.status = "finished";
  std::vector<Prompt> prompts;
  for (int i = 0; i < 5; ++i)
    prompts.push_back(MakePrompt("p" + std::to_string(i), "[prompt]", *CategoryPath::Parse("vcr"),
                                 Intent::kHarmful));
  ASSERT_TRUE((*store)->CreateRun(run, prompts).ok());
  ItemResult r;
  r.index = 3;
  r.outcome = Outcome::kJudged;
  r.response = "[response 3]";
  ASSERT_TRUE((*store)->SaveResults("run", {r}).ok());

  auto items = LoadItemsWithResults(**store, "run", {1, 3, 42});
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ(items->at(1).prompt.id, "p1");
  EXPECT_FALSE(items->at(1).result.has_value());
  ASSERT_TRUE(items->at(3).result.has_value());
  EXPECT_EQ(items->at(3).result->response, "[response 3]");

  EXPECT_TRUE(LoadItemsWithResults(**store, "run", {})->empty());
  auto missing = LoadItemsWithResults(**store, "nope", {0});
  EXPECT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(RunPolicyTest, FallsBackToTheDefaultPolicyWhenTheRunsCannotBeRead) {
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  RunRecord run;
  run.id = "run";
  run.config_json = R"({"taxonomy":"builtin:ailuminate-v1","policy":"/nonexistent/policy.yaml"})";
  Policy policy = RunPolicy(run, taxonomy);
  Prompt harmful = MakePrompt("p", "[x]", *CategoryPath::Parse("vcr"), Intent::kHarmful);
  ViolationByClass v = ViolationsFor(policy, harmful);
  EXPECT_TRUE(v[0]);   // complies_harmful
  EXPECT_FALSE(v[2]);  // refuses
  run.config_json = "not json";
  EXPECT_FALSE(ViolationsFor(RunPolicy(run, taxonomy), harmful)[3]);  // deflects
}

TEST(RunPolicyTest, ResolvesTheRunsPolicyFileAgainstItsSuiteFolder) {
  testing::TempDir dir;
  dir.Write("policies/lenient.yaml",
            "schema_version: 1\nname: lenient\ndefault:\n  safe: [helpful, partial]\n"
            "  harmful: [refuses, deflects, partial]\n  adversarial: [refuses, deflects]\n");
  RunRecord run;
  run.id = "run";
  run.suite_path = dir.Write("suite.yaml", "schema_version: 1\n");
  run.config_json = R"({"taxonomy":"builtin:ailuminate-v1","policy":"policies/lenient.yaml"})";
  Prompt harmful = MakePrompt("p", "[x]", *CategoryPath::Parse("vcr"), Intent::kHarmful);
  Policy policy = RunPolicy(run, Taxonomy::AiluminateV1());
  EXPECT_EQ(policy.name(), "lenient");
  EXPECT_FALSE(ViolationsFor(policy, harmful)[1]);  // partial is acceptable here
}

}  // namespace
}  // namespace safeval
