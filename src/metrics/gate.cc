#include "metrics/gate.h"

#include <utility>

#include "metrics/percent.h"

namespace safeval {
namespace {

const MetricRow* OverallRow(const std::vector<MetricRow>& rows, Metric metric) {
  for (const MetricRow& row : rows)
    if (row.group_by.empty() && row.metric == metric) return &row;
  return nullptr;
}

std::string_view Population(Metric metric) {
  switch (metric) {
    case Metric::kViolationRate:
      return "harmful or adversarial items";
    case Metric::kAttackSuccessRate:
      return "adversarial items";
    case Metric::kOverDeflectionRate:
      return "safe items";
    case Metric::kQualityMean:
      return "scored items";
    case Metric::kLeakRate:
      return "items checked for leaks (canary or expect.no_leak)";
    case Metric::kHarmfulActionRate:
      return "items checked for tool calls (tools or expect.no_tool_call)";
    case Metric::kMissedDistressRate:
      return "distress items (expect.distress)";
  }
  return "";
}

void CheckRate(const std::vector<MetricRow>& rows, Metric metric, double limit, bool on_upper_bound,
               GateResult* result) {
  const MetricRow* row = OverallRow(rows, metric);
  std::string name(Name(metric));
  if (row == nullptr) {
    result->failures.push_back(name + ": no judged " + std::string(Population(metric)) +
                               " to check against " + ThresholdText(limit));
    return;
  }
  double checked = on_upper_bound ? row->ci_high : row->value;
  std::string shown = RateText(row->value) + " " + RateIntervalText(row->ci_low, row->ci_high);
  std::string subject = on_upper_bound
                            ? name + " upper bound " + RateText(checked) + " (" + shown + ")"
                            : name + " " + shown;
  bool ok = checked <= limit;
  (ok ? result->passes : result->failures)
      .push_back(subject + (ok ? " <= " : " > ") + ThresholdText(limit));
}

// "group_gap 25.0% [3.1–45.2] (over-deflection: women 40.0% vs men 15.0%) > 10%"
void CheckGroupGap(const Disparity* disparity, double limit, bool on_upper_bound,
                   GateResult* result) {
  if (disparity == nullptr || !disparity->gap) {
    result->failures.push_back(
        "group_gap: fewer than two groups with judged safe items to check against " +
        ThresholdText(limit));
    return;
  }
  const GroupGap& gap = *disparity->gap;
  auto rate_of = [&](const std::string& name) {
    for (const GroupStats& g : disparity->groups)
      if (g.group == name) return RateText(g.over_deflection.value);
    return std::string("?");
  };
  double checked = on_upper_bound ? gap.ci_high : gap.difference;
  std::string shown = RateText(gap.difference) + " " + RateIntervalText(gap.ci_low, gap.ci_high) +
                      " (over-deflection: " + gap.higher + " " + rate_of(gap.higher) + " vs " +
                      gap.lower + " " + rate_of(gap.lower) + ")";
  std::string subject = on_upper_bound
                            ? "group_gap upper bound " + RateText(checked) + " (" + shown + ")"
                            : "group_gap " + shown;
  bool ok = checked <= limit;
  (ok ? result->passes : result->failures)
      .push_back(subject + (ok ? " <= " : " > ") + ThresholdText(limit));
}

void CheckGrade(const HazardGrade* overall, Grade minimum, bool on_upper_bound,
                GateResult* result) {
  if (overall == nullptr || !overall->graded) {
    result->failures.push_back(
        "grade: not graded (no reference run covers the run's hazards), "
        "so it cannot be at least " +
        std::string(Name(minimum)));
    return;
  }
  Grade checked = on_upper_bound ? overall->grade_at_high : overall->grade;
  std::string subject = on_upper_bound ? "grade at the upper bound " : "grade ";
  subject += std::string(Name(checked)) + " (" + DescribeGrade(*overall) + ")";
  bool ok = checked >= minimum;
  (ok ? result->passes : result->failures)
      .push_back(subject + (ok ? " >= " : " < ") + std::string(Name(minimum)));
}

}  // namespace

GateResult EvaluateGate(const std::vector<MetricRow>& rows, const HazardGrade* overall_grade,
                        const GateOptions& options, const Disparity* disparity) {
  GateResult result;
  if (options.max_violation_rate)
    CheckRate(rows, Metric::kViolationRate, *options.max_violation_rate, options.on_upper_bound,
              &result);
  if (options.max_over_deflection_rate)
    CheckRate(rows, Metric::kOverDeflectionRate, *options.max_over_deflection_rate,
              options.on_upper_bound, &result);
  if (options.max_attack_success_rate)
    CheckRate(rows, Metric::kAttackSuccessRate, *options.max_attack_success_rate,
              options.on_upper_bound, &result);
  const std::pair<const std::optional<double>*, Metric> findings[] = {
      {&options.max_leak_rate, Metric::kLeakRate},
      {&options.max_harmful_action_rate, Metric::kHarmfulActionRate},
      {&options.max_missed_distress_rate, Metric::kMissedDistressRate}};
  for (const auto& [limit, metric] : findings)
    if (*limit) CheckRate(rows, metric, **limit, options.on_upper_bound, &result);
  if (options.max_group_gap)
    CheckGroupGap(disparity, *options.max_group_gap, options.on_upper_bound, &result);
  if (options.min_grade)
    CheckGrade(overall_grade, *options.min_grade, options.on_upper_bound, &result);
  return result;
}

}  // namespace safeval
