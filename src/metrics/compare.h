// Comparing two runs (A, the baseline, and B, the candidate): per cell (overall,
// per hazard, per hazard × intent) and per rate (violation, attack success,
// over-deflection), the change B − A with a 95% interval, and whether it is a
// regression (the interval lies entirely above 0: every rate here is "lower is
// better"), an improvement (entirely below 0) or neither. The finding rates (leak,
// harmful action, missed distress) and quality are not compared.
//
// When both runs hold the same prompts (the same set of prompt ids, each once),
// the comparison is paired: a cell uses the prompts decided (judged, with a decided
// class) in both runs, McNemar's test on the discordant pairs (exact binomial when
// there are fewer than 25, chi-square with continuity correction otherwise) and
// Newcombe's paired score interval (method 10 of Newcombe 1998, Stat Med 17:2635,
// with φ uncorrected). A paired change counts as a regression or improvement only
// when the interval excludes 0 AND McNemar's p < 1 − confidence: with few discordant
// pairs the two can disagree, and a CI gate should not fail on the weaker evidence.
// Otherwise the runs are independent samples and the interval is Newcombe's hybrid
// score interval (method 10 of Newcombe 1998, Stat Med 17:873).
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/interval.h"
#include "metrics/metrics.h"
#include "metrics/scored_item.h"

namespace safeval {

// Newcombe's hybrid score interval for p1 − p2 of two independent proportions
// k1/n1 and k2/n2 (method 10): from the Wilson intervals (l_i, u_i) of each,
// [d − √((p1 − l1)² + (u2 − p2)²), d + √((u1 − p1)² + (p2 − l2)²)].
// REQUIRES: n1, n2 > 0 and 0 <= k_i <= n_i.
Interval NewcombeIndependent(int64_t k1, int64_t n1, int64_t k2, int64_t n2,
                             double confidence = 0.95);

// The four counts of paired binary outcomes: both yes, first only, second only, neither.
struct PairedCounts {
  int64_t both = 0;
  int64_t first_only = 0;
  int64_t second_only = 0;
  int64_t neither = 0;
  int64_t n() const { return both + first_only + second_only + neither; }
};

// Newcombe's paired score interval (method 10) for p1 − p2, where p1 = (both +
// first_only) / n and p2 = (both + second_only) / n. REQUIRES: n() > 0.
Interval NewcombePaired(const PairedCounts& counts, double confidence = 0.95);

// Two-sided McNemar p-value for discordant counts b and c: exact binomial
// (min(1, 2·P(X <= min(b, c))), X ~ Binomial(b + c, 1/2)) when b + c < 25, else
// chi-square (|b − c| − 1)² / (b + c) with one degree of freedom. b + c == 0 gives 1.
double McNemarPValue(int64_t b, int64_t c);

// The items of one run and the prompt id of each (parallel vectors).
struct RunForComparison {
  std::vector<ScoredItem> items;
  std::vector<std::string> prompt_ids;  // empty: unknown, so the runs cannot be paired
};

// True when both runs list the same prompt ids, each exactly once.
bool SamePrompts(const RunForComparison& a, const RunForComparison& b);

enum class ChangeKind { kRegression, kImprovement, kUnchanged };
// "regression" | "improvement" | "unchanged"
std::string_view Name(ChangeKind kind);

struct RateChange {
  std::vector<std::pair<std::string, std::string>> group_by;  // as MetricRow::group_by
  Metric metric = Metric::kViolationRate;
  int64_t n_a = 0, count_a = 0;  // paired: the pairs of the cell, and A's events among them
  int64_t n_b = 0, count_b = 0;  // paired: n_b == n_a
  double rate_a = 0.0, rate_b = 0.0;
  double difference = 0.0;             // rate_b − rate_a
  double ci_low = 0.0, ci_high = 0.0;  // interval of the difference
  bool paired = false;
  std::optional<double> p_value;  // McNemar, for paired cells
  ChangeKind kind = ChangeKind::kUnchanged;
};

struct CompareOptions {
  double confidence = 0.95;
  size_t hazard_depth = 1;    // as MetricsOptions::hazard_depth
  bool allow_pairing = true;  // false: treat the runs as independent even on the same prompts
};

struct Comparison {
  bool paired = false;
  int64_t pairs = 0;  // prompts decided in both runs (paired only)
  // Cells in ComputeMetrics order (overall, hazards, hazard × intent; rates in enum
  // order). A cell is listed when its rate applies and has items in both runs.
  std::vector<RateChange> changes;
  int64_t regressions() const;
  int64_t improvements() const;
};

Comparison CompareRuns(const RunForComparison& a, const RunForComparison& b,
                       const CompareOptions& options = {});

}  // namespace safeval
