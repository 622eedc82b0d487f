// Confidence intervals for binomial proportions and for means of bounded scores.
//
// Pure functions; thread-safe. None of them fails: degenerate inputs (no data,
// a confidence outside (0, 1)) give the widest or narrowest interval, as documented.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

// Clopper–Pearson "exact" interval for `successes` out of `n`: the endpoints are
// the Beta(k, n − k + 1) and Beta(k + 1, n − k) quantiles at α/2 and 1 − α/2, found
// by bisection on the regularized incomplete beta function (continued fraction).
// Wider than Wilson; guaranteed coverage. Same edge rules as WilsonInterval:
// n == 0 gives [0, 1]; low == 0 when successes == 0; high == 1 when successes == n.
// REQUIRES: 0 <= successes <= n.
Interval ClopperPearsonInterval(int64_t successes, int64_t n, double confidence = 0.95);

// Which interval a binomial rate gets: Wilson (the default) or Clopper–Pearson.
enum class IntervalMethod { kWilson, kExact };
// "wilson" | "exact"
std::string_view Name(IntervalMethod method);
// Accepts "wilson", "exact" and "clopper-pearson"/"clopper_pearson".
std::optional<IntervalMethod> ParseIntervalMethod(std::string_view text);
Interval BinomialInterval(int64_t successes, int64_t n, double confidence, IntervalMethod method);

// The regularized incomplete beta function I_x(a, b) for a, b > 0 and x in [0, 1]
// (the Beta(a, b) CDF at x), by Lentz's continued fraction; ~1e-14 accuracy.
double RegularizedIncompleteBeta(double a, double b, double x);

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
