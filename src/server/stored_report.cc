#include "server/stored_report.h"

#include <optional>
#include <set>
#include <utility>

#include "metrics/corrected_rate.h"
#include "metrics/grade.h"
#include "metrics/metrics.h"
#include "report/report_builder.h"

namespace safeval {
namespace {

RunSummary Summarize(const RunRecord& run, const std::string& policy_name,
                     const std::string& safeval_version) {
  RunSummary s;
  s.id = run.id;
  s.suite_name = run.suite_name;
  s.target_name = run.target_name;
  s.target_identity = run.target_identity;
  s.demo = run.demo;
  s.config_hash = run.config_hash;
  s.dataset_hash = run.dataset_hash;
  s.policy_name = policy_name;
  s.judges = run.judges;
  s.seed = run.seed;
  s.started_at = run.started_at;
  s.finished_at = run.finished_at;
  s.status = run.status;
  s.safeval_version = safeval_version;
  return s;
}

std::optional<MetricRow> OverallRow(const std::vector<MetricRow>& rows, Metric metric) {
  for (const MetricRow& row : rows)
    if (row.group_by.empty() && row.metric == metric) return row;
  return std::nullopt;
}

// What the report needs of a reference run: its headline rates (the trade-off chart) and, per
// hazard, its decided unsafe items and violations (the grade's reference).
struct ReferenceRun {
  ReferenceSummary summary;
  HazardUnsafeCounts unsafe;
};

// From the run's item summaries only (no prompt or response is read), in one pass.
Result<ReferenceRun> ScanReference(Store& store, const std::string& id) {
  SV_ASSIGN_OR_RETURN(RunRecord record, store.GetRun(id));
  ReferenceRun ref;
  MetricsAccumulator metrics;  // ComputeMetrics' default rows: the overall ones are used
  SV_RETURN_IF_ERROR(store.ScanItemSummaries(id, [&](const ItemSummary& s) {
    if (!s.has_result) return;
    ScoredItem item;  // as ScoreItems scores it, without the axes the overall rows ignore
    item.intent = s.intent;
    item.outcome = s.outcome;
    item.cls = s.cls;
    item.violation = s.violation;
    metrics.Add(item);
    bool decided = s.outcome == Outcome::kJudged && s.cls != ResponseClass::kUndetermined;
    if (!decided || !IsUnsafeIntent(s.intent) || s.category.empty()) return;
    UnsafeCounts& counts = ref.unsafe[s.category.substr(0, s.category.find('/'))];
    ++counts.n;
    counts.unsafe += s.violation;
  }));
  std::vector<MetricRow> rows = metrics.Rows();
  ref.summary = {record.id, record.target_name, OverallRow(rows, Metric::kViolationRate),
                 OverallRow(rows, Metric::kOverDeflectionRate)};
  return ref;
}

// Summarises each reference run and grades the run (its per-hazard `unsafe` counts) against all
// of them.
Status AddReferences(Store& store, const std::vector<std::string>& reference_ids,
                     const HazardUnsafeCounts& unsafe, ReportData* data) {
  if (reference_ids.empty()) return Status::Ok();
  std::vector<HazardUnsafeCounts> references;
  for (const std::string& id : reference_ids) {
    SV_ASSIGN_OR_RETURN(ReferenceRun ref, ScanReference(store, id));
    data->references.push_back(std::move(ref.summary));
    references.push_back(std::move(ref.unsafe));
  }
  GradeResult grades = ComputeGradesFromCounts(unsafe, references);
  data->grade = std::move(grades.report);
  data->ungraded = std::move(grades.ungraded);
  return Status::Ok();
}

// The rows a judge's errors bias: violation and attack success, overall and per hazard.
bool IsCorrectable(const MetricRow& row) {
  bool rate = row.metric == Metric::kViolationRate || row.metric == Metric::kAttackSuccessRate;
  bool group =
      row.group_by.empty() || (row.group_by.size() == 1 && row.group_by[0].first == "hazard");
  return rate && group;
}

CorrectedRates CorrectRates(const JudgeCalibration& calibration, const ReportData& data) {
  CorrectedRates corrected;
  corrected.calibration = calibration;
  CorrectedRateOptions options;
  options.seed = data.run.seed;  // the same run gives the same intervals
  std::set<std::string> reasons;
  for (const MetricRow& row : data.metrics) {
    if (!IsCorrectable(row)) continue;
    std::string why_not;
    std::optional<CorrectedRate> rate =
        CorrectRate(row.count, row.n, calibration, options, &why_not);
    if (rate) {
      corrected.rows.push_back({row.group_by, row.metric, *rate});
    } else {
      reasons.insert(why_not);
    }
  }
  for (const std::string& reason : reasons)
    corrected.note += (corrected.note.empty() ? "" : " ") + reason;
  return corrected;
}

Status AddCorrectedRates(Store& store, ReportData* data) {
  if (data->run.judges.empty()) return Status::Ok();
  SV_ASSIGN_OR_RETURN(std::optional<JudgeCalibration> calibration,
                      store.FindCalibration(data->run.judges.front()));
  if (calibration) data->corrected = CorrectRates(*calibration, *data);
  return Status::Ok();
}

}  // namespace

ReportItem ToReportItem(StoredItem&& stored) {
  ReportItem item;
  item.index = stored.index;
  item.prompt = std::move(stored.prompt);
  if (!stored.result) {
    item.pending = true;
    return item;
  }
  ItemResult& r = *stored.result;
  item.outcome = r.outcome;
  item.response = std::move(r.response);
  item.error = std::move(r.error);
  item.verdicts = std::move(r.verdicts);
  item.tool_calls = std::move(r.tool_calls);
  item.findings = std::move(r.findings);
  return item;
}

std::vector<ScoredItem> ScoreItems(const std::vector<StoredItem>& items) {
  std::vector<ScoredItem> scored;
  scored.reserve(items.size());
  for (const StoredItem& item : items)
    if (item.result) scored.push_back(ScoreItem(item));
  return scored;
}

ScoredItem ScoreItem(const StoredItem& item) {
  ScoredItem s;
  s.category = item.prompt.category;
  s.intent = item.prompt.intent;
  s.persona = item.prompt.persona;
  s.techniques = item.prompt.techniques;
  s.locale = item.prompt.locale;
  s.tags = item.prompt.tags;
  s.group = item.prompt.group;
  s.pair_id = item.prompt.pair_id;
  s.outcome = item.result->outcome;
  if (s.outcome == Outcome::kJudged && !item.result->verdicts.empty()) {
    const Verdict& v = item.result->verdicts.front();
    s.cls = v.cls;
    s.violation = v.violation;
    s.quality = v.quality;
    for (const Verdict& each : item.result->verdicts) {
      if (each.cls == ResponseClass::kUndetermined) continue;
      ++s.judge_votes;
      if (each.violation) ++s.violation_votes;
    }
  }
  const bool judged = s.outcome == Outcome::kJudged && !item.result->verdicts.empty();
  ApplyFindings(item.result->findings, judged ? &item.result->verdicts.front() : nullptr, &s);
  return s;
}

ReportItem ToReportItem(const StoredItem& item, const ItemResult& result) {
  StoredItem copy{item.index, item.prompt, result};
  return ToReportItem(std::move(copy));
}

Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name,
                                  const std::string& safeval_version,
                                  const MetricsOptions& metrics) {
  ReportBuilderOptions options;
  options.metrics = metrics;
  ReportDataBuilder builder(options);
  SV_RETURN_IF_ERROR(store.ScanItems(run.id, [&builder](StoredItem&& item) {
    builder.Add(ToReportItem(std::move(item)));
    return Status::Ok();
  }));
  return FinishReportData(std::move(builder), store, run, reference_ids, policy_name,
                          safeval_version);
}

Result<ReportData> FinishReportData(ReportDataBuilder&& builder, Store& store,
                                    const RunRecord& run,
                                    const std::vector<std::string>& reference_ids,
                                    const std::string& policy_name,
                                    const std::string& safeval_version) {
  HazardUnsafeCounts unsafe = builder.UnsafeCounts();
  ReportData data;
  data.run = Summarize(run, policy_name, safeval_version);
  std::move(builder).Finish(&data);
  SV_RETURN_IF_ERROR(AddReferences(store, reference_ids, unsafe, &data));
  SV_RETURN_IF_ERROR(AddCorrectedRates(store, &data));
  return data;
}

}  // namespace safeval
