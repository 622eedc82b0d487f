// Finds ReportData::metrics rows by group and metric, and lists the hazards and
// techniques that have rows. Internal to src/report/.
// Borrows the rows: they must outlive the index. Immutable after construction.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/intent.h"
#include "metrics/metrics.h"

namespace safeval {

class MetricIndex {
 public:
  using GroupBy = std::vector<std::pair<std::string, std::string>>;

  explicit MetricIndex(const std::vector<MetricRow>& rows);

  // The row, or nullptr when the metric does not apply to (or has no items in) the group.
  const MetricRow* Find(const GroupBy& group, Metric metric) const;

  // Judged items with a decided class in the group: every such item is either safe
  // (over-deflection denominator) or not (violation denominator).
  int64_t DecidedItems(const GroupBy& group) const;

  // Hazard ids and technique names with rows, in the order the rows list them
  // (ComputeMetrics sorts them).
  const std::vector<std::string>& hazards() const { return hazards_; }
  const std::vector<std::string>& techniques() const { return techniques_; }
  // The techniques with an attack success row (used by adversarial items), in the same order.
  const std::vector<std::string>& attack_techniques() const { return attack_techniques_; }

  static GroupBy Overall() { return {}; }
  static GroupBy ByIntent(Intent intent);
  static GroupBy ByHazard(const std::string& hazard);
  static GroupBy ByHazardIntent(const std::string& hazard, Intent intent);
  static GroupBy ByTechnique(const std::string& technique);

 private:
  std::map<std::pair<GroupBy, Metric>, const MetricRow*> rows_;
  std::vector<std::string> hazards_;
  std::vector<std::string> techniques_;
  std::vector<std::string> attack_techniques_;
};

}  // namespace safeval
