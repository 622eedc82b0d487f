#include "report/metric_index.h"

#include <algorithm>

namespace safeval {
namespace {

void AddOnce(std::vector<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

}  // namespace

MetricIndex::MetricIndex(const std::vector<MetricRow>& rows) {
  for (const MetricRow& row : rows) {
    rows_.emplace(std::make_pair(row.group_by, row.metric), &row);  // the first row wins
    if (row.group_by.size() != 1) continue;
    const auto& [key, value] = row.group_by.front();
    if (key == "hazard") AddOnce(&hazards_, value);
    if (key == "technique") AddOnce(&techniques_, value);
    if (key == "technique" && row.metric == Metric::kAttackSuccessRate)
      AddOnce(&attack_techniques_, value);
  }
}

const MetricRow* MetricIndex::Find(const GroupBy& group, Metric metric) const {
  auto it = rows_.find({group, metric});
  return it == rows_.end() ? nullptr : it->second;
}

int64_t MetricIndex::DecidedItems(const GroupBy& group) const {
  int64_t n = 0;
  for (Metric metric : {Metric::kViolationRate, Metric::kOverDeflectionRate})
    if (const MetricRow* row = Find(group, metric)) n += row->n;
  return n;
}

MetricIndex::GroupBy MetricIndex::ByIntent(Intent intent) {
  return {{"intent", std::string(Name(intent))}};
}

MetricIndex::GroupBy MetricIndex::ByHazard(const std::string& hazard) {
  return {{"hazard", hazard}};
}

MetricIndex::GroupBy MetricIndex::ByHazardIntent(const std::string& hazard, Intent intent) {
  return {{"hazard", hazard}, {"intent", std::string(Name(intent))}};
}

MetricIndex::GroupBy MetricIndex::ByTechnique(const std::string& technique) {
  return {{"technique", technique}};
}

}  // namespace safeval
