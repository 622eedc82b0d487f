// Confidence intervals for binomial proportions.
#pragma once

#include <cstdint>

namespace safeval {

struct Interval {
  double low = 0.0;
  double high = 1.0;
};

// Wilson score interval for `successes` out of `n` at the given two-sided
// confidence (0.95 → z = 1.959964). n == 0 gives [0, 1].
Interval WilsonInterval(int64_t successes, int64_t n, double confidence = 0.95);

// The standard normal quantile for a two-sided confidence level, e.g. 0.95 → 1.959964.
double TwoSidedZ(double confidence);

}  // namespace safeval
