// Tests of the binomial and mean intervals against hand-computed values.
#include "metrics/interval.h"

#include <gtest/gtest.h>

#include <cmath>

namespace safeval {
namespace {

TEST(TwoSidedZ, MatchesNormalQuantiles) {
  EXPECT_NEAR(TwoSidedZ(0.95), 1.959964, 1e-6);
  EXPECT_NEAR(TwoSidedZ(0.90), 1.644854, 1e-6);
  EXPECT_NEAR(TwoSidedZ(0.99), 2.575829, 1e-6);
  EXPECT_NEAR(TwoSidedZ(0.6827), 1.000022, 1e-6);
  // Far in the tail the refinement step keeps full precision (Φ⁻¹(1 - 5e-7)).
  EXPECT_NEAR(TwoSidedZ(0.999999), 4.891638, 1e-6);
}

TEST(TwoSidedZ, DegenerateConfidences) {
  EXPECT_EQ(TwoSidedZ(0.0), 0.0);
  EXPECT_TRUE(std::isinf(TwoSidedZ(1.0)));
}

TEST(WilsonInterval, NoSuccessesStartsAtZero) {
  Interval ci = WilsonInterval(0, 10);
  EXPECT_EQ(ci.low, 0.0);
  EXPECT_NEAR(ci.high, 0.2775, 1e-4);
}

TEST(WilsonInterval, HalfIsSymmetric) {
  Interval ci = WilsonInterval(5, 10);
  EXPECT_NEAR(ci.low, 0.2366, 1e-4);
  EXPECT_NEAR(ci.high, 0.7634, 1e-4);
}

TEST(WilsonInterval, AllSuccessesEndsAtOne) {
  Interval ci = WilsonInterval(10, 10);
  EXPECT_NEAR(ci.low, 0.7225, 1e-4);
  EXPECT_EQ(ci.high, 1.0);
}

TEST(WilsonInterval, SmallProportionOfLargeSample) {
  // 1/100, computed by hand with z = 1.959964.
  Interval ci = WilsonInterval(1, 100);
  EXPECT_NEAR(ci.low, 0.001767, 1e-6);
  EXPECT_NEAR(ci.high, 0.054486, 1e-6);
}

TEST(WilsonInterval, EmptySampleIsWholeRange) {
  Interval ci = WilsonInterval(0, 0);
  EXPECT_EQ(ci.low, 0.0);
  EXPECT_EQ(ci.high, 1.0);
}

TEST(WilsonInterval, HigherConfidenceIsWider) {
  Interval narrow = WilsonInterval(3, 20, 0.80);
  Interval wide = WilsonInterval(3, 20, 0.99);
  EXPECT_LT(wide.low, narrow.low);
  EXPECT_GT(wide.high, narrow.high);
}

TEST(MeanInterval, NormalApproximation) {
  // Scores 2, 4, 4, 5: mean 3.75, s² = (61 - 225/4) / 3 = 1.583333, s/√n = 0.629153.
  Interval ci = MeanInterval(4, 15, 61, 1, 5);
  EXPECT_NEAR(ci.low, 3.75 - 1.959964 * 0.629153, 1e-5);
  EXPECT_NEAR(ci.high, 3.75 + 1.959964 * 0.629153, 1e-5);
}

TEST(MeanInterval, ClampedToScoreRange) {
  // Scores 1, 5: mean 3, s = 2.828, half-width 3.92 → the whole scale.
  Interval ci = MeanInterval(2, 6, 26, 1, 5);
  EXPECT_EQ(ci.low, 1.0);
  EXPECT_EQ(ci.high, 5.0);
}

TEST(MeanInterval, SingleScoreGivesWholeRange) {
  Interval ci = MeanInterval(1, 4, 16, 1, 5);
  EXPECT_EQ(ci.low, 1.0);
  EXPECT_EQ(ci.high, 5.0);
}

TEST(MeanInterval, EqualScoresHaveNoSpread) {
  Interval ci = MeanInterval(3, 12, 48, 1, 5);
  EXPECT_DOUBLE_EQ(ci.low, 4.0);
  EXPECT_DOUBLE_EQ(ci.high, 4.0);
}

}  // namespace
}  // namespace safeval
