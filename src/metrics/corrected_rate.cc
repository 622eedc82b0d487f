#include "metrics/corrected_rate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace safeval {
namespace {

std::string Percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100 * fraction);
  return buffer;
}

// Why the correction is undefined for these inputs, or "" when it is defined.
std::string WhyUndefined(int64_t n, const JudgeCalibration& c) {
  std::string judge = c.judge.empty() ? "the judge" : "judge '" + c.judge + "'";
  if (n <= 0) return "no judged items to correct";
  if (c.true_positives + c.false_negatives <= 0) {
    return "the calibration of " + judge +
           " has no labelled violations, so its sensitivity is unknown";
  }
  if (c.true_negatives + c.false_positives <= 0) {
    return "the calibration of " + judge +
           " has no labelled non-violations, so its specificity is unknown";
  }
  if (c.sensitivity() + c.specificity() - 1 <= 0) {
    return judge + " is no better than chance on its labelled set (sensitivity " +
           Percent(c.sensitivity()) + " + specificity " + Percent(c.specificity()) +
           " - 1 <= 0), so its errors cannot be corrected";
  }
  return "";
}

// The q-quantile of sorted values, interpolating between neighbours (type 7).
// REQUIRES: !sorted.empty(), 0 <= q <= 1.
double Quantile(const std::vector<double>& sorted, double q) {
  double h = (static_cast<double>(sorted.size()) - 1) * q;
  size_t lo = static_cast<size_t>(std::floor(h));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// Draws Binomial(n, p) proportions: the resampled share of n items with rate p.
class ProportionSampler {
 public:
  ProportionSampler(int64_t n, double p) : n_(n), draw_(n, std::clamp(p, 0.0, 1.0)) {}
  double operator()(std::mt19937_64& rng) {
    return static_cast<double>(draw_(rng)) / static_cast<double>(n_);
  }

 private:
  int64_t n_;
  std::binomial_distribution<int64_t> draw_;
};

// Bootstrap replicates of the corrected rate; *undefined counts the replicates
// whose resampled Se* + Sp* − 1 is not positive.
std::vector<double> Replicates(const CorrectedRate& rate, const JudgeCalibration& c,
                               const CorrectedRateOptions& options, int* undefined) {
  std::mt19937_64 rng(options.seed);
  ProportionSampler raw(rate.n, rate.raw);
  ProportionSampler se(c.true_positives + c.false_negatives, rate.sensitivity);
  ProportionSampler sp(c.true_negatives + c.false_positives, rate.specificity);
  std::vector<double> estimates;
  estimates.reserve(static_cast<size_t>(options.bootstrap_samples));
  *undefined = 0;
  for (int b = 0; b < options.bootstrap_samples; ++b) {
    double p = raw(rng), se_b = se(rng), sp_b = sp(rng);
    if (se_b + sp_b - 1 <= 0) {
      ++*undefined;
      continue;
    }
    estimates.push_back(RoganGladen(p, se_b, sp_b));
  }
  std::sort(estimates.begin(), estimates.end());
  return estimates;
}

}  // namespace

double RoganGladen(double p, double se, double sp) {
  return std::clamp((p + sp - 1) / (se + sp - 1), 0.0, 1.0);
}

std::optional<CorrectedRate> CorrectRate(int64_t count, int64_t n,
                                         const JudgeCalibration& calibration,
                                         const CorrectedRateOptions& options,
                                         std::string* why_not) {
  std::string reason = WhyUndefined(n, calibration);
  if (!reason.empty()) {
    if (why_not != nullptr) *why_not = reason;
    return std::nullopt;
  }
  CorrectedRate rate;
  rate.count = std::clamp<int64_t>(count, 0, n);
  rate.n = n;
  rate.raw = static_cast<double>(rate.count) / static_cast<double>(n);
  rate.sensitivity = calibration.sensitivity();
  rate.specificity = calibration.specificity();
  rate.value = RoganGladen(rate.raw, rate.sensitivity, rate.specificity);
  rate.ci_low = rate.ci_high = rate.value;
  if (options.bootstrap_samples < 1) return rate;

  std::vector<double> estimates =
      Replicates(rate, calibration, options, &rate.undefined_replicates);
  if (estimates.empty()) {  // every replicate undefined: nothing is known
    rate.ci_low = 0.0;
    rate.ci_high = 1.0;
    return rate;
  }
  double alpha = 1 - std::clamp(options.confidence, 0.0, 1.0);
  rate.ci_low = Quantile(estimates, alpha / 2);
  rate.ci_high = Quantile(estimates, 1 - alpha / 2);
  return rate;
}

}  // namespace safeval
