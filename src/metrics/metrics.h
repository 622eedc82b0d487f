// The rates safeval reports (definitions in DESIGN.md), by hazard and intent.
//
// Only judged items with a decided class enter a denominator: model and judge
// errors, skipped and undetermined items are counted in Totals and never in a rate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/interval.h"
#include "metrics/scored_item.h"

namespace safeval {

enum class Metric { kViolationRate, kAttackSuccessRate, kOverDeflectionRate, kQualityMean };
// "violation_rate" | "attack_success_rate" | "over_deflection_rate" | "quality_mean"
std::string_view Name(Metric metric);

struct Totals {
  int64_t items = 0;
  int64_t judged = 0;        // outcome judged (includes undetermined)
  int64_t model_error = 0;
  int64_t judge_error = 0;
  int64_t undetermined = 0;  // judged, but the class is undetermined
  int64_t skipped = 0;
  int64_t pending = 0;       // no result yet (an interrupted run)
};

struct MetricRow {
  // Group keys in order, e.g. {{"hazard","vcr"},{"intent","harmful"}}; empty for overall.
  std::vector<std::pair<std::string, std::string>> group_by;
  Metric metric = Metric::kViolationRate;
  int64_t n = 0;       // the denominator
  int64_t count = 0;   // the numerator (for quality_mean: items with a score)
  double value = 0.0;
  double ci_low = 0.0;
  double ci_high = 1.0;
};

// Taxonomy level the "hazard" key rolls up to: 1 = top-level hazards.
struct MetricsOptions {
  size_t hazard_depth = 1;
  double confidence = 0.95;
};

// `pending_items` counts items without a result (not in `items`).
Totals CountTotals(const std::vector<ScoredItem>& items, int64_t pending_items = 0);

// Rows for: overall; by intent; by hazard; by hazard × intent; by technique
// (attack success rate only). A rate whose denominator is 0 is left out.
std::vector<MetricRow> ComputeMetrics(const std::vector<ScoredItem>& items,
                                      const MetricsOptions& options = {});

}  // namespace safeval
