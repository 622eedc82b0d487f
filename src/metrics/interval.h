// Confidence intervals for binomial proportions and for means of bounded scores.
//
// Pure functions; thread-safe. None of them fails: degenerate inputs (no data,
// a confidence outside (0, 1)) give the widest or narrowest interval, as documented.
#pragma once

#include <cstdint>

namespace safeval {

struct Interval {
  double low = 0.0;
  double high = 1.0;
};

// Wilson score interval for `successes` out of `n` at the given two-sided
// confidence (0.95 → z = 1.959964). n == 0 gives [0, 1]. The result is clamped
// to [0, 1] and exact at the edges: low == 0 when successes == 0, high == 1 when
// successes == n. A confidence >= 1 gives [0, 1]; <= 0 gives [p, p].
// REQUIRES: 0 <= successes <= n.
Interval WilsonInterval(int64_t successes, int64_t n, double confidence = 0.95);

// The standard normal quantile for a two-sided confidence level, e.g. 0.95 → 1.959964
// (Acklam's rational approximation plus one Halley step: ~1e-15 relative error).
// confidence <= 0 gives 0; confidence >= 1 gives +infinity.
double TwoSidedZ(double confidence);

// Normal-approximation interval for the mean of `n` scores that lie in [lo, hi],
// given their sum and sum of squares: mean ± z·s/√n with s the sample standard
// deviation. Clamped to [lo, hi]; with fewer than two scores the spread is unknown
// and the result is [lo, hi].
Interval MeanInterval(int64_t n, double sum, double sum_of_squares, double lo, double hi,
                      double confidence = 0.95);

}  // namespace safeval
