// Writes a stored run's report files. Loading what reports render (ScoreItems, LoadReportData)
// lives in server/stored_report.h, shared with the web UI; this header includes it, so callers
// see both. Items are streamed from the store (Store::ScanItems), never all held: a report of a
// run of any size takes bounded memory.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "metrics/scored_item.h"
#include "report/report.h"
#include "report/report_data.h"
#include "server/live_report_data.h"
#include "server/stored_report.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// "0.1.0 (abc123)": this binary's version and commit, as reports show it.
std::string SafevalVersionString();

// server/stored_report.h's LoadReportData with this binary's version (SafevalVersionString).
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
// WriteRunReport from the results `live` was told about during the run (read from the store
// only when they were not the whole run: server/live_report_data.h).
Result<Totals> WriteRunReport(LiveReportData&& live, Store& store, const RunRecord& run,
                              const Taxonomy& taxonomy, const std::string& policy_name,
                              const std::string& output_dir, std::ostream& out, bool color);

}  // namespace safeval
