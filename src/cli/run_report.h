// Turns a stored run into what reports render — scored items for the metrics, every item with
// its verdicts, the grade against reference runs, judge-error-corrected rates, the run's
// identity — and writes the report files.
// Lives in cli/ because it joins the store and report layers, which may not include each other.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "metrics/scored_item.h"
#include "report/report.h"
#include "report/report_data.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// One ScoredItem per item that has a result; the first verdict decides (class, violation,
// quality); judge_votes counts the verdicts with a decided class, violation_votes those of them
// that found a violation.
std::vector<ScoredItem> ScoreItems(const std::vector<StoredItem>& items);

// The run's identity, totals, metric rows (report::ReportMetricsOptions), every item (moved
// out of `items`) and its top failures. No grade, references or corrected rates.
ReportData BuildReportData(const RunRecord& run, std::vector<StoredItem> items,
                           const std::string& policy_name, const std::string& safeval_version,
                           const MetricsOptions& metrics = ReportMetricsOptions());

// BuildReportData over the run's stored items, plus:
// - for each id in `reference_ids` (runs in the same store): its headline rates, and the grade
//   of the run against all of them (metrics/grade.h);
// - when the deciding judge (run.judges[0]) has a calibration in the store: the violation and
//   attack success rates, overall and per hazard, corrected for its errors.
// Errors: NotFound for an unknown reference run; IoError from the store.
Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name,
                                  const MetricsOptions& metrics = ReportMetricsOptions());

// Writes `content` to `path` atomically (PATH.tmp renamed over PATH, so a reader never sees
// half a file), creating parent folders. IoError naming the path on failure.
Status WriteReportFile(const std::string& path, const std::string& content);

// Writes results.json and report.html of `data` into `output_dir` and prints the summary table
// and the two paths to `out`.
Status WriteDefaultReports(const ReportData& data, const Taxonomy& taxonomy,
                           const std::string& output_dir, std::ostream& out, bool color);

// LoadReportData (no references) and WriteDefaultReports into `output_dir`. Returns the totals.
Result<Totals> WriteRunReport(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                              const std::string& policy_name, const std::string& output_dir,
                              std::ostream& out, bool color);

}  // namespace safeval
