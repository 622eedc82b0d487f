// Gamma and Beta draws on a splitmix64 stream, for Thompson sampling in the
// campaign planner.
//
// Reproducible: never std::gamma_distribution (its algorithm differs between
// standard libraries). Marsaglia–Tsang for the gamma, Marsaglia's polar method
// for the normal it needs, only + − × ÷ sqrt and log on the stream's doubles,
// so the same seed gives the same draws wherever libm's log agrees (glibc, musl).
// Pure functions of the stream; a SplitMix64 is not thread-safe.
#pragma once

#include "dataset/sample.h"

namespace safeval {

// Uniform in [0, 1) with 53 random bits.
double SampleUniform01(SplitMix64& rng);

// Standard normal N(0, 1).
double SampleStandardNormal(SplitMix64& rng);

// Gamma(shape, scale 1). REQUIRES: shape > 0.
double SampleGamma(double shape, SplitMix64& rng);

// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). REQUIRES: a, b > 0.
double SampleBeta(double a, double b, SplitMix64& rng);

}  // namespace safeval
