// Turns a stored run into what reports render — the run's identity, totals, metric rows,
// counts over every item and the items shown (report/report_builder.h), the grade against
// reference runs, judge-error-corrected rates. Items are streamed from the store
// (Store::ScanItems, Store::ScanItemSummaries), never all held: a report of a run of any size
// takes bounded memory (a few thousand items at most, however long the run).
// Lives in server/ because it joins the store and report layers, which may not include each
// other; the web UI's run pages and the CLI (cli/run_report.h) both use it.
#pragma once

#include <string>
#include <vector>

#include "metrics/scored_item.h"
#include "report/report.h"
#include "report/report_builder.h"
#include "report/report_data.h"
#include "store/store.h"

namespace safeval {

// One ScoredItem per item that has a result; the first verdict decides (class, violation,
// quality); judge_votes counts the verdicts with a decided class, violation_votes those of them
// that found a violation.
std::vector<ScoredItem> ScoreItems(const std::vector<StoredItem>& items);
// ScoreItems for one item. REQUIRES: item.result.
ScoredItem ScoreItem(const StoredItem& item);

// The stored item as reports show it (pending when it has no result); moves from `stored`.
ReportItem ToReportItem(StoredItem&& stored);
// The item with `result` as reports show it: what ToReportItem gives once the result is stored.
ReportItem ToReportItem(const StoredItem& item, const ItemResult& result);

// The run's items streamed once through a ReportDataBuilder (metric rows with `metrics`), plus:
// - for each id in `reference_ids` (runs in the same store): its headline rates, and the grade
//   of the run against all of them (metrics/grade.h), from the references' item summaries;
// - when the deciding judge (run.judges[0]) has a calibration in the store: the violation and
//   attack success rates, overall and per hazard, corrected for its errors.
// `safeval_version` is what the report says made it ("0.1.0 (abc123)").
// Errors: NotFound for an unknown reference run; IoError from the store.
Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name,
                                  const std::string& safeval_version,
                                  const MetricsOptions& metrics = ReportMetricsOptions());

// LoadReportData's second half, for a builder that has been given every item of `run` in plan
// order (LoadReportData's scan, or LiveReportData during the run): the run's summary, the
// references and the corrected rates. Errors as LoadReportData.
Result<ReportData> FinishReportData(ReportDataBuilder&& builder, Store& store,
                                    const RunRecord& run,
                                    const std::vector<std::string>& reference_ids,
                                    const std::string& policy_name,
                                    const std::string& safeval_version);

}  // namespace safeval
