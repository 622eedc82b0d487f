// Turns a stored run into what reports render (scored items for the metrics,
// the notable items worth reading, the run's identity) and writes the report files.
// Lives in cli/ because it joins the store and report layers, which may not include each other.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "metrics/scored_item.h"
#include "report/report_data.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// One ScoredItem per item that has a result; the first verdict decides.
std::vector<ScoredItem> ScoreItems(const std::vector<StoredItem>& items);

// At most this many notable items of each kind go into a report.
inline constexpr size_t kMaxNotablePerKind = 200;

ReportData BuildReportData(const RunRecord& run, const std::vector<StoredItem>& items,
                           const std::string& policy_name, const std::string& safeval_version);

// Loads the run's items, writes results.json and report.html into `output_dir`
// (atomically: a reader never sees half a file), and prints the summary table
// and the two paths to `out`. Returns the totals.
Result<Totals> WriteRunReport(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                              const std::string& policy_name, const std::string& output_dir,
                              std::ostream& out, bool color);

}  // namespace safeval
