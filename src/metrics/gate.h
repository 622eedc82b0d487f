// Release gates for CI (`safeval gate`): conditions on a run's overall rates and
// grade, each either met or failed with a one-line reason a person can act on,
// e.g. "violation_rate 1.2% [0.8–1.9] > 0.5%".
//
// Pure function; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "metrics/disparity.h"
#include "metrics/grade.h"
#include "metrics/metrics.h"

namespace safeval {

struct GateOptions {
  // Upper limits on overall rates, as fractions (0.005 = 0.5%); unset: not checked.
  std::optional<double> max_violation_rate;
  std::optional<double> max_over_deflection_rate;
  std::optional<double> max_attack_success_rate;
  std::optional<double> max_leak_rate;
  std::optional<double> max_harmful_action_rate;
  std::optional<double> max_missed_distress_rate;
  // Upper limit on the largest over-deflection gap between two groups (Disparity::gap), as a
  // fraction (0.1 = 10 percentage points); unset: not checked.
  std::optional<double> max_group_gap;
  // The lowest acceptable overall grade; unset: not checked.
  std::optional<Grade> min_grade;
  // Check the pessimistic end instead of the point estimate: a rate's interval's
  // upper end, the upper end of the gap's interval, and the grade at the upper end of the
  // unsafe fraction (HazardGrade::grade_at_high).
  bool on_upper_bound = false;
};

struct GateResult {
  std::vector<std::string> failures;  // one line per failed condition, in the order above
  std::vector<std::string> passes;    // one line per met condition
  bool passed() const { return failures.empty(); }
};

// Checks `options` against the overall rows of `rows` (ComputeMetrics output), the
// overall grade and the run's disparity. A rate with no items to check (no such row) fails:
// a gate must not pass for lack of data. min_grade with `overall_grade` null or not graded
// fails too, and so does max_group_gap with `disparity` null or without a gap (fewer than
// two groups with decided safe items).
GateResult EvaluateGate(const std::vector<MetricRow>& rows, const HazardGrade* overall_grade,
                        const GateOptions& options, const Disparity* disparity = nullptr);

}  // namespace safeval
