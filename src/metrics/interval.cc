#include "metrics/interval.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace safeval {
namespace {

// Acklam's coefficients for the inverse standard normal CDF.
constexpr double kA[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                         1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
constexpr double kB[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                         6.680131188771972e+01, -1.328068155288572e+01};
constexpr double kC[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                         -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
constexpr double kD[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                         3.754408661907416e+00};
constexpr double kTail = 0.02425;  // below this (and above 1 - this) the tail formula is used

double TailApproximation(double q) {  // q = sqrt(-2 log p), for the lower tail
  return (((((kC[0] * q + kC[1]) * q + kC[2]) * q + kC[3]) * q + kC[4]) * q + kC[5]) /
         ((((kD[0] * q + kD[1]) * q + kD[2]) * q + kD[3]) * q + 1);
}

double CentralApproximation(double q) {  // q = p - 0.5
  double r = q * q;
  return (((((kA[0] * r + kA[1]) * r + kA[2]) * r + kA[3]) * r + kA[4]) * r + kA[5]) * q /
         (((((kB[0] * r + kB[1]) * r + kB[2]) * r + kB[3]) * r + kB[4]) * r + 1);
}

// REQUIRES: 0 < p < 1.
double InverseNormalCdf(double p) {
  double x;
  if (p < kTail) {
    x = TailApproximation(std::sqrt(-2 * std::log(p)));
  } else if (p > 1 - kTail) {
    x = -TailApproximation(std::sqrt(-2 * std::log(1 - p)));
  } else {
    x = CentralApproximation(p - 0.5);
  }
  // One Halley step on Φ(x) - p brings the ~1e-9 approximation to full precision.
  double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
  double u = e * std::sqrt(2 * std::numbers::pi) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

// Lentz's continued fraction for I_x(a, b) (Numerical Recipes' betacf): converges
// fast for x < (a + 1) / (a + b + 2); the caller uses the symmetry otherwise.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  // Terms needed grow like sqrt(max(a, b)); n = 10^7 items needs a few thousand.
  const int max_iterations = 1000 + static_cast<int>(10 * std::sqrt(std::max(a, b)));
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= max_iterations; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));  // even step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));  // odd step
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return h;
}

// The Beta(a, b) quantile at probability q, by bisection on the CDF: the CDF is
// monotone, so bisection cannot diverge however skewed the distribution is.
double BetaQuantile(double a, double b, double q) {
  double lo = 0, hi = 1;
  for (int i = 0; i < 200 && hi - lo > 1e-15; ++i) {
    double mid = lo + (hi - lo) / 2;
    if (RegularizedIncompleteBeta(a, b, mid) < q) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo + (hi - lo) / 2;
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // log of x^a (1 − x)^b / B(a, b), the continued fraction's prefactor.
  double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(log_front);
  if (x < (a + 1) / (a + b + 2)) return front * BetaContinuedFraction(a, b, x) / a;
  return 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
}

Interval ClopperPearsonInterval(int64_t successes, int64_t n, double confidence) {
  if (n <= 0 || confidence >= 1) return {0.0, 1.0};
  successes = std::clamp<int64_t>(successes, 0, n);
  double k = static_cast<double>(successes);
  double nd = static_cast<double>(n);
  if (!(confidence > 0)) return {k / nd, k / nd};
  double alpha = 1 - confidence;
  Interval ci;
  ci.low = successes == 0 ? 0.0 : BetaQuantile(k, nd - k + 1, alpha / 2);
  ci.high = successes == n ? 1.0 : BetaQuantile(k + 1, nd - k, 1 - alpha / 2);
  return ci;
}

std::string_view Name(IntervalMethod method) {
  switch (method) {
    case IntervalMethod::kWilson:
      return "wilson";
    case IntervalMethod::kExact:
      return "exact";
  }
  return "?";
}

std::optional<IntervalMethod> ParseIntervalMethod(std::string_view text) {
  if (text == "wilson") return IntervalMethod::kWilson;
  if (text == "exact" || text == "clopper-pearson" || text == "clopper_pearson")
    return IntervalMethod::kExact;
  return std::nullopt;
}

Interval BinomialInterval(int64_t successes, int64_t n, double confidence, IntervalMethod method) {
  return method == IntervalMethod::kExact ? ClopperPearsonInterval(successes, n, confidence)
                                          : WilsonInterval(successes, n, confidence);
}

double TwoSidedZ(double confidence) {
  if (!(confidence > 0)) return 0;
  if (confidence >= 1) return std::numeric_limits<double>::infinity();
  return InverseNormalCdf(1 - (1 - confidence) / 2);
}

Interval WilsonInterval(int64_t successes, int64_t n, double confidence) {
  if (n <= 0 || confidence >= 1) return {0.0, 1.0};
  successes = std::clamp<int64_t>(successes, 0, n);  // a broken REQUIRES must not yield NaN
  double nd = static_cast<double>(n);
  double p = static_cast<double>(successes) / nd;
  double z = TwoSidedZ(confidence);
  double z2 = z * z;
  double denom = 1 + z2 / nd;
  double center = (p + z2 / (2 * nd)) / denom;
  double half = z / denom * std::sqrt(p * (1 - p) / nd + z2 / (4 * nd * nd));
  Interval ci{std::clamp(center - half, 0.0, 1.0), std::clamp(center + half, 0.0, 1.0)};
  // At the edges the formula is exact in theory; pin it so rounding cannot show 1e-17.
  if (successes <= 0) ci.low = 0.0;
  if (successes >= n) ci.high = 1.0;
  return ci;
}

Interval MeanInterval(int64_t n, double sum, double sum_of_squares, double lo, double hi,
                      double confidence) {
  if (n < 2 || confidence >= 1) return {lo, hi};
  double nd = static_cast<double>(n);
  double mean = sum / nd;
  double variance = std::max(0.0, (sum_of_squares - sum * sum / nd) / (nd - 1));
  double half = TwoSidedZ(confidence) * std::sqrt(variance / nd);
  return {std::clamp(mean - half, lo, hi), std::clamp(mean + half, lo, hi)};
}

}  // namespace safeval
