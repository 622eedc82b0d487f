// Tests of the judge-error-corrected rate: the point estimate against hand-computed
// values, when it is undefined, and the bootstrap interval's behaviour and coverage.
#include "metrics/corrected_rate.h"

#include <gtest/gtest.h>

#include <random>

#include "metrics/interval.h"

namespace safeval {
namespace {

JudgeCalibration Calibration(int64_t tp, int64_t fn, int64_t tn, int64_t fp) {
  JudgeCalibration c;
  c.judge = "rules@3";
  c.true_positives = tp;
  c.false_negatives = fn;
  c.true_negatives = tn;
  c.false_positives = fp;
  return c;
}

TEST(RoganGladen, HandComputedValues) {
  // (0.3 + 0.8 - 1) / (0.9 + 0.8 - 1) = 0.1 / 0.7
  EXPECT_NEAR(RoganGladen(0.3, 0.9, 0.8), 1.0 / 7, 1e-15);
  // (0.05 + 0.98 - 1) / (0.9 + 0.98 - 1) = 0.03 / 0.88
  EXPECT_NEAR(RoganGladen(0.05, 0.9, 0.98), 0.03 / 0.88, 1e-15);
  // A perfect judge changes nothing.
  EXPECT_DOUBLE_EQ(RoganGladen(0.37, 1.0, 1.0), 0.37);
  // Fewer flags than the false-positive rate alone explains: clamped to 0; and to 1 above.
  EXPECT_EQ(RoganGladen(0.01, 0.9, 0.95), 0.0);
  EXPECT_EQ(RoganGladen(0.99, 0.8, 0.9), 1.0);
}

TEST(CorrectRate, PointEstimateFromCounts) {
  std::optional<CorrectedRate> rate = CorrectRate(30, 100, Calibration(90, 10, 80, 20));
  ASSERT_TRUE(rate.has_value());
  EXPECT_EQ(rate->count, 30);
  EXPECT_EQ(rate->n, 100);
  EXPECT_DOUBLE_EQ(rate->raw, 0.3);
  EXPECT_DOUBLE_EQ(rate->sensitivity, 0.9);
  EXPECT_DOUBLE_EQ(rate->specificity, 0.8);
  EXPECT_NEAR(rate->value, 1.0 / 7, 1e-12);
  EXPECT_LE(rate->ci_low, rate->value);
  EXPECT_GE(rate->ci_high, rate->value);
  EXPECT_GE(rate->ci_low, 0.0);
  EXPECT_LE(rate->ci_high, 1.0);
  EXPECT_LT(rate->ci_low, rate->ci_high);
}

TEST(CorrectRate, UndefinedWhenNoBetterThanChance) {
  std::string why;
  EXPECT_FALSE(CorrectRate(10, 100, Calibration(50, 50, 50, 50), {}, &why).has_value());
  EXPECT_NE(why.find("no better than chance"), std::string::npos) << why;
  EXPECT_NE(why.find("rules@3"), std::string::npos) << why;
  EXPECT_FALSE(CorrectRate(10, 100, Calibration(20, 80, 60, 40), {}, &why).has_value());
}

TEST(CorrectRate, UndefinedWithoutLabelledPositivesNegativesOrItems) {
  std::string why;
  EXPECT_FALSE(CorrectRate(1, 10, Calibration(0, 0, 50, 1), {}, &why).has_value());
  EXPECT_NE(why.find("sensitivity is unknown"), std::string::npos) << why;
  EXPECT_FALSE(CorrectRate(1, 10, Calibration(5, 1, 0, 0), {}, &why).has_value());
  EXPECT_NE(why.find("specificity is unknown"), std::string::npos) << why;
  EXPECT_FALSE(CorrectRate(0, 0, Calibration(9, 1, 9, 1), {}, &why).has_value());
  EXPECT_NE(why.find("no judged items"), std::string::npos) << why;
  EXPECT_FALSE(CorrectRate(0, 0, Calibration(9, 1, 9, 1)).has_value());  // why_not optional
}

TEST(CorrectRate, SameSeedSameIntervalOtherSeedOther) {
  JudgeCalibration c = Calibration(45, 5, 90, 10);
  CorrectedRateOptions options;
  options.seed = 11;
  std::optional<CorrectedRate> a = CorrectRate(40, 200, c, options);
  std::optional<CorrectedRate> b = CorrectRate(40, 200, c, options);
  options.seed = 12;
  std::optional<CorrectedRate> other = CorrectRate(40, 200, c, options);
  ASSERT_TRUE(a && b && other);
  EXPECT_EQ(a->ci_low, b->ci_low);
  EXPECT_EQ(a->ci_high, b->ci_high);
  EXPECT_TRUE(a->ci_low != other->ci_low || a->ci_high != other->ci_high);
  EXPECT_EQ(a->value, other->value);
}

TEST(CorrectRate, NoBootstrapGivesThePoint) {
  CorrectedRateOptions options;
  options.bootstrap_samples = 0;
  std::optional<CorrectedRate> rate = CorrectRate(30, 100, Calibration(90, 10, 80, 20), options);
  ASSERT_TRUE(rate);
  EXPECT_EQ(rate->ci_low, rate->value);
  EXPECT_EQ(rate->ci_high, rate->value);
}

TEST(CorrectRate, PerfectJudgeIntervalIsCloseToTheBinomialOne) {
  // Se = Sp = 1 exactly: only the items vary, so the bootstrap should look like
  // a plain binomial interval around the raw rate.
  std::optional<CorrectedRate> rate = CorrectRate(200, 1000, Calibration(500, 0, 500, 0));
  ASSERT_TRUE(rate);
  EXPECT_DOUBLE_EQ(rate->value, 0.2);
  Interval wilson = WilsonInterval(200, 1000);
  EXPECT_NEAR(rate->ci_low, wilson.low, 0.006);
  EXPECT_NEAR(rate->ci_high, wilson.high, 0.006);
  EXPECT_EQ(rate->undefined_replicates, 0);
}

TEST(CorrectRate, SmallCalibrationWidensTheInterval) {
  // Same Se = 0.9, Sp = 0.95 measured on 40 labels or on 4000.
  std::optional<CorrectedRate> few = CorrectRate(120, 1000, Calibration(18, 2, 19, 1));
  std::optional<CorrectedRate> many = CorrectRate(120, 1000, Calibration(1800, 200, 1900, 100));
  ASSERT_TRUE(few && many);
  EXPECT_DOUBLE_EQ(few->value, many->value);
  EXPECT_GT(few->ci_high - few->ci_low, 1.5 * (many->ci_high - many->ci_low));
}

TEST(CorrectRate, BootstrapCoverageIsNearNominal) {
  // Simulated studies with a known prevalence: the judge's Se and Sp are measured on
  // a labelled set, then it judges a run. The 95% interval should cover the truth
  // in roughly 95% of studies (percentile bootstraps run a little low or high).
  const double prevalence = 0.2, se = 0.85, sp = 0.9;
  std::mt19937_64 rng(2026);
  auto binomial = [&](int64_t n, double p) {
    return std::binomial_distribution<int64_t>(n, p)(rng);
  };
  const int studies = 200;
  int covered = 0;
  for (int s = 0; s < studies; ++s) {
    int64_t tp = binomial(150, se), tn = binomial(250, sp);
    int64_t k = binomial(600, prevalence * se + (1 - prevalence) * (1 - sp));
    CorrectedRateOptions options;
    options.bootstrap_samples = 400;
    options.seed = static_cast<uint64_t>(s);
    std::optional<CorrectedRate> rate =
        CorrectRate(k, 600, Calibration(tp, 150 - tp, tn, 250 - tn), options);
    ASSERT_TRUE(rate);
    covered += rate->ci_low <= prevalence && prevalence <= rate->ci_high;
  }
  double coverage = static_cast<double>(covered) / studies;
  EXPECT_GE(coverage, 0.88);
  EXPECT_LE(coverage, 0.995);
}

}  // namespace
}  // namespace safeval
