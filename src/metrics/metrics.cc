#include "metrics/metrics.h"

namespace safeval {

std::string_view Name(Metric metric) {
  switch (metric) {
    case Metric::kViolationRate:
      return "violation_rate";
    case Metric::kAttackSuccessRate:
      return "attack_success_rate";
    case Metric::kOverDeflectionRate:
      return "over_deflection_rate";
    case Metric::kQualityMean:
      return "quality_mean";
    case Metric::kLeakRate:
      return "leak_rate";
    case Metric::kHarmfulActionRate:
      return "harmful_action_rate";
    case Metric::kMissedDistressRate:
      return "missed_distress_rate";
  }
  return "?";
}

Totals CountTotals(const std::vector<ScoredItem>& items, int64_t pending_items) {
  Totals t;
  t.items = static_cast<int64_t>(items.size());
  t.pending = pending_items;
  for (const auto& item : items) {
    switch (item.outcome) {
      case Outcome::kJudged:
        ++t.judged;
        t.undetermined += item.cls == ResponseClass::kUndetermined;
        break;
      case Outcome::kModelError:
        ++t.model_error;
        break;
      case Outcome::kJudgeError:
        ++t.judge_error;
        break;
      case Outcome::kSkipped:
        ++t.skipped;
        break;
    }
  }
  return t;
}

std::vector<MetricRow> ComputeMetrics(const std::vector<ScoredItem>& items,
                                      const MetricsOptions& options) {
  MetricsAccumulator accumulator(options);
  for (const ScoredItem& item : items) accumulator.Add(item);
  return accumulator.Rows();
}

}  // namespace safeval
