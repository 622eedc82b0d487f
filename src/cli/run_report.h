// Turns a stored run into what reports render — the run's identity, totals, metric rows,
// counts over every item and the items shown (report/report_builder.h), the grade against
// reference runs, judge-error-corrected rates — and writes the report files. Items are streamed
// from the store (Store::ScanItems, Store::ScanItemSummaries), never all held: a report of a
// run of any size takes bounded memory (a few thousand items at most, however long the run).
// Lives in cli/ because it joins the store and report layers, which may not include each other.
#pragma once

#include <optional>
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
// ScoreItems for one item. REQUIRES: item.result.
ScoredItem ScoreItem(const StoredItem& item);

// The run's items streamed once through a ReportDataBuilder (metric rows with `metrics`), plus:
// - for each id in `reference_ids` (runs in the same store): its headline rates, and the grade
//   of the run against all of them (metrics/grade.h), from the references' item summaries;
// - when the deciding judge (run.judges[0]) has a calibration in the store: the violation and
//   attack success rates, overall and per hazard, corrected for its errors.
// Errors: NotFound for an unknown reference run; IoError from the store.
Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name,
                                  const MetricsOptions& metrics = ReportMetricsOptions());

// The CSV of every item of the run (RenderItemsCsv's format), streamed from the store into `out`
// a window of items at a time; with `redact_to`, responses are cut as RedactHarmfulResponses
// cuts them. IoError from the store, or when writing to `out` fails (what was written stays).
Status StreamItemsCsv(Store& store, const std::string& run_id, std::optional<size_t> redact_to,
                      std::ostream& out);
// StreamItemsCsv into the file at `path`, which appears only when complete (PATH.tmp renamed
// over it, parent folders created). IoError or InvalidArgument naming the path on failure.
Status WriteItemsCsvFile(Store& store, const std::string& run_id, std::optional<size_t> redact_to,
                         const std::string& path);

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
