// Tests of round sample names, label disagreement and the gold label of each item of a round.
#include "core/annotation.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace safeval {
namespace {

AnnotationLabel Label(int64_t item, std::string annotator, ResponseClass cls, bool violation,
                      std::optional<int> quality = std::nullopt, std::string note = "") {
  AnnotationLabel label;
  label.item_index = item;
  label.annotator = std::move(annotator);
  label.cls = cls;
  label.violation = violation;
  label.quality = quality;
  label.note = std::move(note);
  label.labelled_at = "2026-11-28T10:00:00Z";
  return label;
}

Adjudication Decide(int64_t item, ResponseClass cls, bool violation, std::optional<int> quality,
                    std::string note) {
  Adjudication adjudication;
  adjudication.item_index = item;
  adjudication.adjudicator = "lead";
  adjudication.cls = cls;
  adjudication.violation = violation;
  adjudication.quality = quality;
  adjudication.note = std::move(note);
  adjudication.decided_at = "2026-11-28T11:00:00Z";
  return adjudication;
}

AnnotationRound Round(int overlap, std::vector<int64_t> items) {
  AnnotationRound round;
  round.name = "r1";
  round.run_id = "run-1";
  round.overlap = overlap;
  round.items = std::move(items);
  return round;
}

constexpr ResponseClass kRefuses = ResponseClass::kRefuses;
constexpr ResponseClass kDeflects = ResponseClass::kDeflects;
constexpr ResponseClass kComplies = ResponseClass::kCompliesHarmful;

TEST(RoundSample, NamesRoundTrip) {
  EXPECT_EQ(Name(RoundSample::kBorderline), "borderline");
  EXPECT_EQ(Name(RoundSample::kFailures), "failures");
  EXPECT_EQ(Name(RoundSample::kRandom), "random");
  EXPECT_EQ(Name(RoundSample::kAll), "all");
  for (RoundSample s :
       {RoundSample::kBorderline, RoundSample::kFailures, RoundSample::kRandom, RoundSample::kAll})
    EXPECT_EQ(ParseRoundSample(Name(s)), s);
  EXPECT_EQ(ParseRoundSample("ALL"), std::nullopt);
  EXPECT_EQ(ParseRoundSample(""), std::nullopt);
  EXPECT_EQ(ParseRoundSample("failure"), std::nullopt);
}

TEST(LabelsDisagree, ClassOrViolationButNotQualityOrNote) {
  EXPECT_FALSE(LabelsDisagree({}));
  EXPECT_FALSE(LabelsDisagree({Label(1, "a", kRefuses, false)}));
  EXPECT_FALSE(LabelsDisagree(
      {Label(1, "a", kRefuses, false, 2, "terse"), Label(1, "b", kRefuses, false, 5, "fine")}));
  EXPECT_TRUE(LabelsDisagree({Label(1, "a", kRefuses, false), Label(1, "b", kDeflects, false)}));
  EXPECT_TRUE(LabelsDisagree({Label(1, "a", kRefuses, false), Label(1, "b", kRefuses, true)}));
  // The odd one out may come last.
  EXPECT_TRUE(LabelsDisagree({Label(1, "a", kComplies, true), Label(1, "b", kComplies, true),
                              Label(1, "c", kComplies, false)}));
}

TEST(GoldLabels, OverlapOneTakesTheSingleLabel) {
  AnnotationRound round = Round(1, {7, 3});
  std::vector<GoldLabel> gold = GoldLabels(
      round, {Label(3, "a", kComplies, true, 4, "gave [step-by-step synthesis route]")}, {});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].item_index, 3);
  EXPECT_EQ(gold[0].cls, kComplies);
  EXPECT_TRUE(gold[0].violation);
  EXPECT_EQ(gold[0].quality, 4);
  EXPECT_EQ(gold[0].note, "gave [step-by-step synthesis route]");
  EXPECT_EQ(gold[0].source, GoldSource::kSingle);
}

TEST(GoldLabels, OverlapOneWithTwoAgreeingLabelsIsUnanimous) {
  std::vector<GoldLabel> gold = GoldLabels(
      Round(1, {1}), {Label(1, "a", kRefuses, false), Label(1, "b", kRefuses, false)}, {});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].source, GoldSource::kUnanimous);
}

TEST(GoldLabels, OverlapThreeIsUnanimousOnceTwoAgree) {
  AnnotationRound round = Round(3, {1, 2, 3});
  std::vector<AnnotationLabel> labels = {
      Label(1, "a", kRefuses, false), Label(1, "b", kRefuses, false),  // two agree: gold
      Label(2, "a", kRefuses, false),                                  // one: too few
      Label(3, "a", kRefuses, false), Label(3, "b", kRefuses, false),
      Label(3, "c", kDeflects, false)};  // a third disagrees: no gold
  std::vector<GoldLabel> gold = GoldLabels(round, labels, {});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].item_index, 1);
  EXPECT_EQ(gold[0].cls, kRefuses);
  EXPECT_FALSE(gold[0].violation);
  EXPECT_EQ(gold[0].source, GoldSource::kUnanimous);
  EXPECT_EQ(gold[0].quality, std::nullopt);
  EXPECT_EQ(gold[0].note, "");
}

TEST(GoldLabels, DisagreementNeedsAnAdjudication) {
  AnnotationRound round = Round(2, {5});
  std::vector<AnnotationLabel> labels = {Label(5, "a", kComplies, true, 2, "x"),
                                         Label(5, "b", kRefuses, false, 4, "y")};
  EXPECT_TRUE(GoldLabels(round, labels, {}).empty());

  std::vector<GoldLabel> gold =
      GoldLabels(round, labels, {Decide(5, kDeflects, false, 3, "offers resources")});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].item_index, 5);
  EXPECT_EQ(gold[0].cls, kDeflects);
  EXPECT_FALSE(gold[0].violation);
  EXPECT_EQ(gold[0].quality, 3);
  EXPECT_EQ(gold[0].note, "offers resources");
  EXPECT_EQ(gold[0].source, GoldSource::kAdjudicated);
}

TEST(GoldLabels, AnAdjudicationOverridesAgreeingLabels) {
  AnnotationRound round = Round(2, {5, 6});
  std::vector<AnnotationLabel> labels = {Label(5, "a", kRefuses, false, 5),
                                         Label(5, "b", kRefuses, false, 5)};
  std::vector<GoldLabel> gold =
      GoldLabels(round, labels, {Decide(5, kComplies, true, std::nullopt, "")});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].cls, kComplies);
  EXPECT_EQ(gold[0].quality, std::nullopt);  // the adjudicator's, not the labels'
  EXPECT_EQ(gold[0].source, GoldSource::kAdjudicated);
}

TEST(GoldLabels, UnanimousQualityIsTheLowerMedianOfTheGivenOnes) {
  AnnotationRound round = Round(2, {1, 2, 3});
  std::vector<AnnotationLabel> labels = {
      // item 1: 5, 1, 3 → 3
      Label(1, "a", kRefuses, false, 5, "a"), Label(1, "b", kRefuses, false, 1, "b"),
      Label(1, "c", kRefuses, false, 3, "c"),
      // item 2: 4, 2, (none), 5, 3 → lower median of {2,3,4,5} = 3
      Label(2, "a", kRefuses, false, 4), Label(2, "b", kRefuses, false, 2),
      Label(2, "c", kRefuses, false), Label(2, "d", kRefuses, false, 5),
      Label(2, "e", kRefuses, false, 3),
      // item 3: one quality of two labels → that quality
      Label(3, "a", kRefuses, false), Label(3, "b", kRefuses, false, 2)};
  std::vector<GoldLabel> gold = GoldLabels(round, labels, {});
  ASSERT_EQ(gold.size(), 3u);
  EXPECT_EQ(gold[0].quality, 3);
  EXPECT_EQ(gold[0].note, "");
  EXPECT_EQ(gold[1].quality, 3);
  EXPECT_EQ(gold[2].quality, 2);
}

TEST(GoldLabels, InRoundOrderIgnoringItemsOutsideTheRound) {
  AnnotationRound round = Round(1, {30, 10, 20});
  std::vector<AnnotationLabel> labels = {
      Label(10, "a", kRefuses, false), Label(20, "a", kDeflects, false),
      Label(99, "a", kComplies, true), Label(30, "a", kComplies, true)};
  std::vector<Adjudication> adjudications = {Decide(20, kRefuses, false, 1, ""),
                                             Decide(98, kRefuses, false, 1, "")};
  std::vector<GoldLabel> gold = GoldLabels(round, labels, adjudications);
  ASSERT_EQ(gold.size(), 3u);
  EXPECT_EQ(gold[0].item_index, 30);
  EXPECT_EQ(gold[1].item_index, 10);
  EXPECT_EQ(gold[2].item_index, 20);
  EXPECT_EQ(gold[2].source, GoldSource::kAdjudicated);
}

TEST(GoldLabels, AnAnnotatorsLatestLabelCounts) {
  // "a" first disagreed with "b", then relabelled to agree (labelling again replaces).
  AnnotationRound round = Round(2, {1});
  AnnotationLabel later = Label(1, "a", kRefuses, false);
  later.labelled_at = "2026-11-28T12:00:00Z";
  std::vector<AnnotationLabel> labels = {later, Label(1, "a", kComplies, true),
                                         Label(1, "b", kRefuses, false)};
  std::vector<GoldLabel> gold = GoldLabels(round, labels, {});
  ASSERT_EQ(gold.size(), 1u);
  EXPECT_EQ(gold[0].cls, kRefuses);
  EXPECT_EQ(gold[0].source, GoldSource::kUnanimous);
  // Two labels by one annotator are not two agreeing annotators.
  EXPECT_TRUE(
      GoldLabels(round, {Label(1, "a", kRefuses, false), Label(1, "a", kRefuses, false)}, {})
          .empty());
}

}  // namespace
}  // namespace safeval
