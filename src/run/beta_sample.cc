#include "run/beta_sample.h"

#include <cmath>

namespace safeval {

double SampleUniform01(SplitMix64& rng) {
  return static_cast<double>(rng.Next() >> 11) * 0x1.0p-53;
}

double SampleStandardNormal(SplitMix64& rng) {
  for (;;) {
    double u = 2.0 * SampleUniform01(rng) - 1.0;
    double v = 2.0 * SampleUniform01(rng) - 1.0;
    double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

double SampleGamma(double shape, SplitMix64& rng) {
  if (shape < 1.0) {
    // Gamma(a) = Gamma(a + 1) · U^(1/a) (Marsaglia & Tsang 2000, section 6).
    double u = 1.0 - SampleUniform01(rng);  // (0, 1]
    return SampleGamma(shape + 1.0, rng) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x = SampleStandardNormal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    double u = SampleUniform01(rng);
    double x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (std::log(u) < 0.5 * x2 + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double SampleBeta(double a, double b, SplitMix64& rng) {
  double x = SampleGamma(a, rng);
  double y = SampleGamma(b, rng);
  double sum = x + y;
  return sum > 0.0 ? x / sum : 0.5;
}

}  // namespace safeval
