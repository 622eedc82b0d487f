// Which items of a run an annotation round gets (`safeval annotate create --sample ...`).
// The store is read once (Store::ScanItems) into one small SampleCandidate per judged item;
// SelectRoundItems is a pure function of those candidates and the options, so the same run,
// kind, --n and --seed always give the same round. Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/annotation.h"
#include "core/intent.h"
#include "core/response_class.h"
#include "store/store.h"

namespace safeval {

// What selection needs of one judged item, nothing more (no prompt, no response).
struct SampleCandidate {
  int64_t index = 0;  // in the run's plan
  Intent intent = Intent::kSafe;
  ResponseClass cls = ResponseClass::kUndetermined;  // the deciding (first) verdict's
  // The deciding verdict's violation, or a leak or harmful action the deterministic checks
  // found (a violation whatever the class, as reports count it).
  bool violation = false;
  double confidence = 0.0;  // the deciding verdict's
  // Two of the machine judges' verdicts differ in class or in violation. Human verdicts
  // ("human", "human:NAME") are left out: they are labels, not judges.
  bool judges_disagree = false;
};

// The candidate for `item`, or nullopt when it is not judged (no result, an error, skipped,
// or no verdict): only judged items can be labelled.
std::optional<SampleCandidate> ToSampleCandidate(const StoredItem& item);

// Below this confidence the deciding verdict makes an item borderline.
inline constexpr double kBorderlineConfidence = 0.6;

// borderline: judges_disagree, or confidence < kBorderlineConfidence.
// failures:   violation, or an over-deflection (safe intent, refuses or deflects).
bool IsBorderline(const SampleCandidate& candidate);
bool IsFailure(const SampleCandidate& candidate);

struct SampleOptions {
  RoundSample sample = RoundSample::kAll;
  std::optional<int64_t> n;  // at most this many items (> 0); nullopt: every qualifying item
  uint64_t seed = 0;         // kRandom only
};

struct RoundSelection {
  std::vector<int64_t> items;  // item indexes, in the order annotators get them
  int64_t qualifying = 0;      // candidates of the kind before --n cut them
};

// Selects the round's items from `candidates` (any order; indexes unique).
//   borderline, failures: the qualifying items by plan index, the first n of them;
//   all: every candidate by plan index, the first n;
//   random: n candidates drawn uniformly without replacement (all of them when n is unset or
//           not smaller), in the order drawn. Algorithm (stable across platforms and library
//           versions): sort candidates by index; std::mt19937_64 seeded with `seed`; a partial
//           Fisher–Yates shuffle where step i (0-based) swaps position i with position
//           i + UniformBelow(size − i), and the first n positions are the sample.
//           UniformBelow(b) draws 64-bit values, rejects those ≥ 2^64 − (2^64 mod b) and
//           returns the value mod b, so it has no modulo bias.
// Fewer qualifying items than n is not an error: the selection is just shorter (never padded).
RoundSelection SelectRoundItems(std::vector<SampleCandidate> candidates,
                                const SampleOptions& options);

}  // namespace safeval
