// Tests of the binomial and mean intervals against hand-computed values.
#include "metrics/interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

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

TEST(RegularizedIncompleteBeta, MatchesClosedForms) {
  // I_x(2, 3) = sum_{j=2..4} C(4, j) x^j (1 - x)^(4 - j); at 1/2 that is 11/16.
  EXPECT_NEAR(RegularizedIncompleteBeta(2, 3, 0.5), 11.0 / 16, 1e-14);
  // I_x(1, 1) = x (uniform); I_x(a, 1) = x^a.
  EXPECT_NEAR(RegularizedIncompleteBeta(1, 1, 0.3), 0.3, 1e-14);
  EXPECT_NEAR(RegularizedIncompleteBeta(4, 1, 0.7), std::pow(0.7, 4), 1e-14);
  // Symmetry: I_x(a, b) = 1 - I_{1-x}(b, a), on both sides of the switch point.
  EXPECT_NEAR(RegularizedIncompleteBeta(30, 5, 0.8), 1 - RegularizedIncompleteBeta(5, 30, 0.2),
              1e-13);
  EXPECT_EQ(RegularizedIncompleteBeta(2, 3, 0.0), 0.0);
  EXPECT_EQ(RegularizedIncompleteBeta(2, 3, 1.0), 1.0);
}

TEST(ClopperPearsonInterval, TextbookValues) {
  Interval none = ClopperPearsonInterval(0, 10);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.3085, 1e-4);
  Interval half = ClopperPearsonInterval(5, 10);
  EXPECT_NEAR(half.low, 0.1871, 1e-4);
  EXPECT_NEAR(half.high, 0.8129, 1e-4);
  Interval all = ClopperPearsonInterval(10, 10);
  EXPECT_NEAR(all.low, 0.6915, 1e-4);
  EXPECT_EQ(all.high, 1.0);
  // 0 of n: the upper end is 1 - (α/2)^(1/n) exactly.
  EXPECT_NEAR(ClopperPearsonInterval(0, 50).high, 1 - std::pow(0.025, 1.0 / 50), 1e-12);
}

TEST(ClopperPearsonInterval, WiderThanWilson) {
  Interval exact = ClopperPearsonInterval(3, 40);
  Interval wilson = WilsonInterval(3, 40);
  EXPECT_LT(exact.low, wilson.low);
  EXPECT_GT(exact.high, wilson.high);
}

TEST(ClopperPearsonInterval, DegenerateInputs) {
  Interval empty = ClopperPearsonInterval(0, 0);
  EXPECT_EQ(empty.low, 0.0);
  EXPECT_EQ(empty.high, 1.0);
  Interval point = ClopperPearsonInterval(3, 12, 0.0);
  EXPECT_EQ(point.low, 0.25);
  EXPECT_EQ(point.high, 0.25);
}

TEST(ClopperPearsonInterval, LargeSamplesStayAccurate) {
  // 50,000 of 10,000,000: close to the normal approximation at this size.
  Interval ci = ClopperPearsonInterval(50000, 10000000);
  double p = 0.005, se = std::sqrt(p * (1 - p) / 1e7);
  EXPECT_NEAR(ci.low, p - 1.959964 * se, 2e-6);
  EXPECT_NEAR(ci.high, p + 1.959964 * se, 2e-6);
  EXPECT_LT(ci.low, p);
  EXPECT_GT(ci.high, p);
}

// Naive reference: the binomial tail summed term by term, inverted by bisection.
double BinomialTailAtLeast(int k, int n, double p) {
  double total = 0;
  for (int j = k; j <= n; ++j) {
    total += std::exp(std::lgamma(n + 1.0) - std::lgamma(j + 1.0) - std::lgamma(n - j + 1.0) +
                      j * std::log(p) + (n - j) * std::log1p(-p));
  }
  return total;
}

double SolveIncreasing(const std::function<double(double)>& f, double target) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 100; ++i) {
    double mid = (lo + hi) / 2;
    (f(mid) < target ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

TEST(ClopperPearsonInterval, AgreesWithNaiveTailSumsOnRandomCounts) {
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    int n = 1 + static_cast<int>(rng() % 150);
    int k = static_cast<int>(rng() % (n + 1));
    double confidence = round % 2 ? 0.95 : 0.90;
    double alpha = 1 - confidence;
    SCOPED_TRACE(std::to_string(k) + "/" + std::to_string(n));
    Interval ci = ClopperPearsonInterval(k, n, confidence);
    // low: P(X >= k | p) = α/2 (increasing in p); high: P(X <= k | p) = α/2.
    double low =
        k == 0 ? 0.0
               : SolveIncreasing([&](double p) { return BinomialTailAtLeast(k, n, p); }, alpha / 2);
    double high = k == n
                      ? 1.0
                      : SolveIncreasing([&](double p) { return BinomialTailAtLeast(k + 1, n, p); },
                                        1 - alpha / 2);
    EXPECT_NEAR(ci.low, low, 1e-9);
    EXPECT_NEAR(ci.high, high, 1e-9);
  }
}

TEST(IntervalMethod, NamesAndParsing) {
  EXPECT_EQ(Name(IntervalMethod::kWilson), "wilson");
  EXPECT_EQ(Name(IntervalMethod::kExact), "exact");
  EXPECT_EQ(ParseIntervalMethod("exact"), IntervalMethod::kExact);
  EXPECT_EQ(ParseIntervalMethod("clopper-pearson"), IntervalMethod::kExact);
  EXPECT_EQ(ParseIntervalMethod("wilson"), IntervalMethod::kWilson);
  EXPECT_EQ(ParseIntervalMethod("Wald"), std::nullopt);
  Interval exact = BinomialInterval(5, 10, 0.95, IntervalMethod::kExact);
  EXPECT_NEAR(exact.low, 0.1871, 1e-4);
  Interval wilson = BinomialInterval(5, 10, 0.95, IntervalMethod::kWilson);
  EXPECT_NEAR(wilson.low, 0.2366, 1e-4);
}

}  // namespace
}  // namespace safeval
