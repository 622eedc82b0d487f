// Tests of PublishGoldVerdicts: a round's gold labels become "human" verdicts that LoadItems
// returns, replaced on the next publish; items without a judged result are skipped.
#include <gtest/gtest.h>

#include "store/annotation_store.h"
#include "store/store.h"
#include "testing/status_assert.h"

namespace safeval {
namespace {

RunRecord MakeRun() {
  RunRecord run;
  run.id = "r1";
  run.suite_name = "s";
  run.suite_path = "/s.yaml";
  run.target_name = "t";
  run.target_identity = "demo@1";
  run.config_json = "{}";
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "finished";
  return run;
}

ItemResult MakeResult(int64_t index, Outcome outcome) {
  ItemResult r;
  r.index = index;
  r.outcome = outcome;
  if (outcome != Outcome::kJudged) return r;
  r.response = "[response " + std::to_string(index) + "]";
  Verdict v;
  v.judge = "rules";
  v.judge_version = "rules@1";
  v.cls = ResponseClass::kRefuses;
  v.confidence = 0.4;
  r.verdicts = {v};
  return r;
}

AnnotationLabel Label(int64_t item, const std::string& annotator, ResponseClass cls, bool violation,
                      std::optional<int> quality = std::nullopt) {
  AnnotationLabel label;
  label.item_index = item;
  label.annotator = annotator;
  label.cls = cls;
  label.violation = violation;
  label.quality = quality;
  label.labelled_at = "2026-12-01T11:00:00Z";
  return label;
}

Adjudication Decision(int64_t item, ResponseClass cls, bool violation, const std::string& note) {
  Adjudication a;
  a.item_index = item;
  a.adjudicator = "carol";
  a.cls = cls;
  a.violation = violation;
  a.quality = 2;
  a.note = note;
  a.decided_at = "2026-12-02T09:00:00Z";
  return a;
}

AnnotationRound Round(const std::string& name, std::vector<int64_t> items, int overlap) {
  AnnotationRound round;
  round.name = name;
  round.run_id = "r1";
  round.overlap = overlap;
  round.created_at = "2026-12-01T10:00:00Z";
  round.items = std::move(items);
  return round;
}

// Run r1: items 0..3 judged (rules says refuses), 4 a model error, 5 without a result.
// Annotators ana and bob, adjudicator carol.
class PublishGoldTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = OpenSqliteStores(":memory:");
    ASSERT_OK(stores);
    stores_ = std::move(stores).value();
    std::vector<Prompt> prompts;
    for (int i = 0; i < 6; ++i) {
      prompts.push_back(MakePrompt("p" + std::to_string(i), "[question]",
                                   *CategoryPath::Parse("ncr"), Intent::kHarmful));
    }
    ASSERT_OK(stores_.runs->CreateRun(MakeRun(), prompts));
    ASSERT_OK(stores_.runs->SaveResults(
        "r1", {MakeResult(0, Outcome::kJudged), MakeResult(1, Outcome::kJudged),
               MakeResult(2, Outcome::kJudged), MakeResult(3, Outcome::kJudged),
               MakeResult(4, Outcome::kModelError)}));
    ASSERT_OK(stores_.annotations->AddAnnotator({"ana", false, ""}, "h-ana"));
    ASSERT_OK(stores_.annotations->AddAnnotator({"bob", false, ""}, "h-bob"));
    ASSERT_OK(stores_.annotations->AddAnnotator({"carol", true, ""}, "h-carol"));
  }

  // The human verdicts of item `index` (at most one is expected), and where they sit.
  std::vector<std::pair<size_t, Verdict>> HumanVerdicts(int64_t index) {
    auto items = stores_.runs->LoadItems("r1");
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    std::vector<std::pair<size_t, Verdict>> found;
    if (!items.ok() || !(*items)[index].result) return found;
    const std::vector<Verdict>& verdicts = (*items)[index].result->verdicts;
    for (size_t i = 0; i < verdicts.size(); ++i) {
      if (verdicts[i].judge == kGoldJudgeName) found.emplace_back(i, verdicts[i]);
    }
    return found;
  }

  int64_t Publish(const std::string& round) {
    auto published = PublishGoldVerdicts(*stores_.runs, *stores_.annotations, round);
    EXPECT_TRUE(published.ok()) << published.status().ToString();
    return published.ok() ? *published : -1;
  }

  SqliteStores stores_;
};

TEST_F(PublishGoldTest, GoldLabelsBecomeHumanVerdictsAndAreReplacedOnTheNextPublish) {
  AnnotationStore& a = *stores_.annotations;
  ASSERT_OK(a.CreateRound(Round("g", {0, 1, 2, 3}, 2)));
  ASSERT_OK(a.SaveLabels(
      "g", {Label(0, "ana", ResponseClass::kRefuses, false, 4),
            Label(0, "bob", ResponseClass::kRefuses, false, 4),  // unanimous
            Label(1, "ana", ResponseClass::kRefuses, false),
            Label(1, "bob", ResponseClass::kCompliesHarmful, true),  // disagree, no decision
            Label(2, "ana", ResponseClass::kRefuses, false),         // too few labels
            Label(3, "ana", ResponseClass::kHelpful, false),
            Label(3, "bob", ResponseClass::kPartial, false)}));  // adjudicated below
  ASSERT_OK(a.SaveAdjudication(
      "g", Decision(3, ResponseClass::kCompliesHarmful, true, "gives [synthesis route]")));
  EXPECT_EQ(Publish("g"), 2);

  auto on0 = HumanVerdicts(0);
  ASSERT_EQ(on0.size(), 1u);
  EXPECT_EQ(on0[0].first, 1u);  // after the rules judge's verdict
  const Verdict& v0 = on0[0].second;
  EXPECT_EQ(v0.judge_version, "human@g");
  EXPECT_EQ(v0.cls, ResponseClass::kRefuses);
  EXPECT_FALSE(v0.violation);
  EXPECT_DOUBLE_EQ(v0.confidence, 1.0);
  EXPECT_EQ(v0.quality, 4);
  auto on3 = HumanVerdicts(3);
  ASSERT_EQ(on3.size(), 1u);
  EXPECT_EQ(on3[0].second.cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(on3[0].second.violation);
  EXPECT_EQ(on3[0].second.quality, 2);
  EXPECT_EQ(on3[0].second.rationale, "gives [synthesis route]");
  EXPECT_TRUE(HumanVerdicts(1).empty());
  EXPECT_TRUE(HumanVerdicts(2).empty());

  // A new decision on 3, agreement on 1, and disagreement on 0.
  ASSERT_OK(a.SaveAdjudication("g", Decision(3, ResponseClass::kRefuses, false, "changed")));
  ASSERT_OK(a.SaveLabels("g", {Label(1, "bob", ResponseClass::kRefuses, false),
                               Label(0, "bob", ResponseClass::kHelpful, false)}));
  EXPECT_EQ(Publish("g"), 2);
  on3 = HumanVerdicts(3);
  ASSERT_EQ(on3.size(), 1u);  // replaced, in its place
  EXPECT_EQ(on3[0].first, 1u);
  EXPECT_EQ(on3[0].second.cls, ResponseClass::kRefuses);
  EXPECT_EQ(on3[0].second.rationale, "changed");
  auto on1 = HumanVerdicts(1);
  ASSERT_EQ(on1.size(), 1u);
  EXPECT_EQ(on1[0].second.cls, ResponseClass::kRefuses);
  // Item 0 lost its gold label: it keeps the last gold verdict.
  on0 = HumanVerdicts(0);
  ASSERT_EQ(on0.size(), 1u);
  EXPECT_EQ(on0[0].second.cls, ResponseClass::kRefuses);
  // The judges' own verdicts are untouched.
  auto items = stores_.runs->LoadItems("r1");
  ASSERT_OK(items);
  EXPECT_EQ((*items)[3].result->verdicts[0].judge, "rules");
  EXPECT_DOUBLE_EQ((*items)[3].result->verdicts[0].confidence, 0.4);
}

TEST_F(PublishGoldTest, ItemsWithoutAJudgedResultAreSkippedAndNotCounted) {
  AnnotationStore& a = *stores_.annotations;
  ASSERT_OK(a.CreateRound(Round("single", {4, 5, 2}, 1)));
  ASSERT_OK(a.SaveLabels("single", {Label(4, "ana", ResponseClass::kRefuses, false),
                                    Label(5, "ana", ResponseClass::kRefuses, false),
                                    Label(2, "ana", ResponseClass::kPartial, false, 3)}));
  EXPECT_EQ(Publish("single"), 1);
  auto on2 = HumanVerdicts(2);
  ASSERT_EQ(on2.size(), 1u);
  EXPECT_EQ(on2[0].second.cls, ResponseClass::kPartial);
  EXPECT_EQ(on2[0].second.judge_version, "human@single");
  auto items = stores_.runs->LoadItems("r1");
  ASSERT_OK(items);
  EXPECT_EQ((*items)[4].result->outcome, Outcome::kModelError);
  EXPECT_TRUE((*items)[4].result->verdicts.empty());
  EXPECT_FALSE((*items)[5].result.has_value());
}

TEST_F(PublishGoldTest, ARoundWithoutGoldPublishesNothingAndAnUnknownRoundIsNotFound) {
  ASSERT_OK(stores_.annotations->CreateRound(Round("empty", {0, 1}, 2)));
  ASSERT_OK(
      stores_.annotations->SaveLabels("empty", {Label(0, "ana", ResponseClass::kRefuses, false)}));
  EXPECT_EQ(Publish("empty"), 0);
  EXPECT_TRUE(HumanVerdicts(0).empty());
  auto missing = PublishGoldVerdicts(*stores_.runs, *stores_.annotations, "nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no annotation round 'nope' in :memory:");
}

}  // namespace
}  // namespace safeval
