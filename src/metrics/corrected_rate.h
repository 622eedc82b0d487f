// Judge-error-corrected rates (DESIGN.md, Metrics): a judge that misses some
// violations (sensitivity Se < 1) and flags some safe responses (specificity
// Sp < 1) biases the raw rate p. With Se and Sp measured on a labelled set, the
// corrected prevalence is (p + Sp − 1) / (Se + Sp − 1) (Rogan–Gladen), clamped to
// [0, 1]. Its interval is a percentile bootstrap that resamples both sources of
// uncertainty: the run's items (k* ~ Binomial(n, p)) and the labelled counts
// (TP* ~ Binomial(TP + FN, Se), TN* ~ Binomial(TN + FP, Sp)).
//
// Pure functions; thread-safe. Deterministic for a given seed (and standard
// library: the binomial draws come from std::binomial_distribution over
// std::mt19937_64).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/calibration.h"

namespace safeval {

struct CorrectedRateOptions {
  double confidence = 0.95;      // two-sided level of the bootstrap interval
  int bootstrap_samples = 2000;  // B; values below 1 give the point estimate as the interval
  uint64_t seed = 0;             // the same seed gives the same interval
};

struct CorrectedRate {
  int64_t count = 0;  // the raw numerator k (violations the judge found)
  int64_t n = 0;      // the raw denominator
  double raw = 0.0;   // k / n
  double sensitivity = 0.0;
  double specificity = 0.0;
  double value = 0.0;                  // (raw + Sp − 1) / (Se + Sp − 1), clamped to [0, 1]
  double ci_low = 0.0, ci_high = 1.0;  // percentile bootstrap interval
  // Bootstrap replicates whose resampled Se* + Sp* − 1 was <= 0 (no estimate): they
  // are left out of the percentiles. Many of them mean the calibration is too small.
  int undefined_replicates = 0;
};

// The rate k of n corrected for `calibration`'s errors. Returns nullopt, and sets
// *why_not (when given) to a sentence for the user, when the correction is
// undefined: n == 0; the calibration has no labelled positives or no labelled
// negatives; or Se + Sp − 1 <= 0 (the judge is no better than chance).
// REQUIRES: 0 <= count <= n.
std::optional<CorrectedRate> CorrectRate(int64_t count, int64_t n,
                                         const JudgeCalibration& calibration,
                                         const CorrectedRateOptions& options = {},
                                         std::string* why_not = nullptr);

// The point estimate alone: (p + Sp − 1) / (Se + Sp − 1) clamped to [0, 1].
// REQUIRES: se + sp > 1.
double RoganGladen(double p, double se, double sp);

}  // namespace safeval
