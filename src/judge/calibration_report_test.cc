// Calibration maths against values computed by hand.
#include "judge/calibration_report.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

using RC = ResponseClass;

// Adds `count` items labelled `human` and judged `judge`; violation means complies_harmful.
void AddMany(std::vector<LabelledVerdict>& items, RC human, RC judge, int count) {
  for (int i = 0; i < count; ++i) {
    items.push_back({human, human == RC::kCompliesHarmful, judge, judge == RC::kCompliesHarmful});
  }
}

size_t I(RC cls) { return static_cast<size_t>(cls); }

const ClassScore& ScoreOf(const CalibrationReport& r, RC cls) {
  for (const ClassScore& s : r.classes)
    if (s.cls == cls) return s;
  static const ClassScore kNone;
  ADD_FAILURE() << "no score for " << Name(cls);
  return kNone;
}

// Humans (rows) × judge (columns), n = 100:
//                  refuses  complies  helpful | row
//   refuses           20        5        0    |  25
//   complies_harmful  10       15        5    |  30
//   helpful            0        5       40    |  45
//   column            30       25       45
// p_o = 75/100; p_e = (25·30 + 30·25 + 45·45) / 100² = 0.3525;
// kappa = (0.75 − 0.3525) / (1 − 0.3525) = 0.3975 / 0.6475.
std::vector<LabelledVerdict> ThreeByThree() {
  std::vector<LabelledVerdict> items;
  AddMany(items, RC::kRefuses, RC::kRefuses, 20);
  AddMany(items, RC::kRefuses, RC::kCompliesHarmful, 5);
  AddMany(items, RC::kCompliesHarmful, RC::kRefuses, 10);
  AddMany(items, RC::kCompliesHarmful, RC::kCompliesHarmful, 15);
  AddMany(items, RC::kCompliesHarmful, RC::kHelpful, 5);
  AddMany(items, RC::kHelpful, RC::kCompliesHarmful, 5);
  AddMany(items, RC::kHelpful, RC::kHelpful, 40);
  return items;
}

TEST(CalibrationReport, ThreeByThreeMatrixAccuracyAndKappa) {
  CalibrationReport r = ComputeCalibrationReport(ThreeByThree());
  EXPECT_EQ(r.items, 100);
  EXPECT_EQ(r.confusion[I(RC::kCompliesHarmful)][I(RC::kRefuses)], 10);
  EXPECT_EQ(r.confusion[I(RC::kHelpful)][I(RC::kHelpful)], 40);
  EXPECT_EQ(r.confusion[I(RC::kRefuses)][I(RC::kHelpful)], 0);
  EXPECT_EQ(r.correct, 75);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
  ASSERT_TRUE(r.kappa.has_value());
  EXPECT_NEAR(*r.kappa, 0.3975 / 0.6475, 1e-12);  // 0.61390
  EXPECT_EQ(r.undetermined, 0);
}

TEST(CalibrationReport, PerClassPrecisionRecallF1) {
  CalibrationReport r = ComputeCalibrationReport(ThreeByThree());
  ASSERT_EQ(r.classes.size(), 5u);
  const ClassScore& refuses = ScoreOf(r, RC::kRefuses);
  EXPECT_EQ(refuses.support, 25);
  EXPECT_EQ(refuses.predicted, 30);
  EXPECT_NEAR(refuses.precision, 20.0 / 30.0, 1e-12);
  EXPECT_NEAR(refuses.recall, 20.0 / 25.0, 1e-12);
  EXPECT_NEAR(refuses.f1, 40.0 / 55.0, 1e-12);
  const ClassScore& complies = ScoreOf(r, RC::kCompliesHarmful);
  EXPECT_NEAR(complies.precision, 0.6, 1e-12);
  EXPECT_NEAR(complies.recall, 0.5, 1e-12);
  EXPECT_NEAR(complies.f1, 30.0 / 55.0, 1e-12);
  const ClassScore& helpful = ScoreOf(r, RC::kHelpful);
  EXPECT_NEAR(helpful.f1, 80.0 / 90.0, 1e-12);
  // Classes nobody used score 0 and stay out of the macro average.
  EXPECT_EQ(ScoreOf(r, RC::kPartial).f1, 0.0);
  EXPECT_NEAR(r.macro_f1, (40.0 / 55.0 + 30.0 / 55.0 + 80.0 / 90.0) / 3.0, 1e-12);
}

TEST(CalibrationReport, ViolationSensitivityAndSpecificity) {
  CalibrationReport r = ComputeCalibrationReport(ThreeByThree());
  // Positive = complies_harmful: TP 15, FN 10 + 5, FP 5 + 5, TN the other 60.
  EXPECT_EQ(r.true_positives, 15);
  EXPECT_EQ(r.false_negatives, 15);
  EXPECT_EQ(r.false_positives, 10);
  EXPECT_EQ(r.true_negatives, 60);
  EXPECT_DOUBLE_EQ(r.sensitivity, 0.5);
  EXPECT_NEAR(r.specificity, 60.0 / 70.0, 1e-12);
}

TEST(CalibrationReport, UndeterminedCountsAgainstAccuracyButNotViolation) {
  std::vector<LabelledVerdict> items;
  AddMany(items, RC::kRefuses, RC::kRefuses, 2);
  AddMany(items, RC::kCompliesHarmful, RC::kUndetermined, 1);
  AddMany(items, RC::kCompliesHarmful, RC::kCompliesHarmful, 1);
  CalibrationReport r = ComputeCalibrationReport(items);
  EXPECT_EQ(r.undetermined, 1);
  EXPECT_DOUBLE_EQ(r.accuracy, 0.75);
  EXPECT_EQ(r.confusion[I(RC::kCompliesHarmful)][I(RC::kUndetermined)], 1);
  EXPECT_EQ(r.true_positives + r.false_negatives, 1);  // the undetermined one is left out
  EXPECT_DOUBLE_EQ(r.sensitivity, 1.0);
  EXPECT_DOUBLE_EQ(ScoreOf(r, RC::kCompliesHarmful).recall, 0.5);
  // p_e = (2/4)(2/4) + (2/4)(1/4) = 0.375; kappa = (0.75 − 0.375) / 0.625 = 0.6.
  ASSERT_TRUE(r.kappa.has_value());
  EXPECT_NEAR(*r.kappa, 0.6, 1e-12);
}

TEST(CalibrationReport, DegenerateInputs) {
  CalibrationReport empty = ComputeCalibrationReport({});
  EXPECT_EQ(empty.items, 0);
  EXPECT_EQ(empty.accuracy, 0.0);
  EXPECT_FALSE(empty.kappa.has_value());
  EXPECT_EQ(empty.sensitivity, 0.0);

  std::vector<LabelledVerdict> one_class;
  AddMany(one_class, RC::kRefuses, RC::kRefuses, 3);
  CalibrationReport r = ComputeCalibrationReport(one_class);
  EXPECT_DOUBLE_EQ(r.accuracy, 1.0);
  EXPECT_FALSE(r.kappa.has_value());  // expected agreement is 1
  EXPECT_DOUBLE_EQ(r.specificity, 1.0);
  EXPECT_EQ(r.sensitivity, 0.0);  // no positives
}

TEST(CalibrationReport, TallyStreamsToTheSameReport) {
  CalibrationTally tally;
  for (const LabelledVerdict& item : ThreeByThree()) tally.Add(item);
  CalibrationReport streamed = tally.Finish();
  EXPECT_EQ(streamed.confusion, ComputeCalibrationReport(ThreeByThree()).confusion);
  EXPECT_EQ(streamed.kappa, ComputeCalibrationReport(ThreeByThree()).kappa);
}

}  // namespace
}  // namespace safeval
