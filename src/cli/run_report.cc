#include "cli/run_report.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <utility>

#include "cli/version.h"
#include "metrics/corrected_rate.h"
#include "metrics/grade.h"
#include "metrics/metrics.h"
#include "report/report.h"

namespace safeval {
namespace {

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
  return item;
}

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

// Loads each reference run, summarises it, and grades `scored` against all of them.
Status AddReferences(Store& store, const std::vector<std::string>& reference_ids,
                     const std::vector<ScoredItem>& scored, ReportData* data) {
  if (reference_ids.empty()) return Status::Ok();
  std::vector<std::vector<ScoredItem>> references;
  for (const std::string& id : reference_ids) {
    SV_ASSIGN_OR_RETURN(RunRecord ref, store.GetRun(id));
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.LoadItems(id));
    references.push_back(ScoreItems(items));
    std::vector<MetricRow> rows = ComputeMetrics(references.back());
    data->references.push_back({ref.id, ref.target_name, OverallRow(rows, Metric::kViolationRate),
                                OverallRow(rows, Metric::kOverDeflectionRate)});
  }
  GradeResult grades = ComputeGrades(scored, references);
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

std::string VersionString() { return std::string(SafevalVersion()) + " (" + SafevalCommit() + ")"; }

}  // namespace

std::vector<ScoredItem> ScoreItems(const std::vector<StoredItem>& items) {
  std::vector<ScoredItem> scored;
  scored.reserve(items.size());
  for (const StoredItem& item : items) {
    if (!item.result) continue;
    ScoredItem s;
    s.category = item.prompt.category;
    s.intent = item.prompt.intent;
    s.persona = item.prompt.persona;
    s.techniques = item.prompt.techniques;
    s.locale = item.prompt.locale;
    s.tags = item.prompt.tags;
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
    scored.push_back(std::move(s));
  }
  return scored;
}

ReportData BuildReportData(const RunRecord& run, std::vector<StoredItem> items,
                           const std::string& policy_name, const std::string& safeval_version,
                           const MetricsOptions& metrics) {
  ReportData data;
  data.run = Summarize(run, policy_name, safeval_version);
  std::vector<ScoredItem> scored = ScoreItems(items);
  data.totals = CountTotals(scored, static_cast<int64_t>(items.size() - scored.size()));
  data.metrics = ComputeMetrics(scored, metrics);
  data.items.reserve(items.size());
  for (StoredItem& item : items) data.items.push_back(ToReportItem(std::move(item)));
  data.top_failures = TopFailuresOf(data.items);
  return data;
}

Result<ReportData> LoadReportData(Store& store, const RunRecord& run,
                                  const std::vector<std::string>& reference_ids,
                                  const std::string& policy_name, const MetricsOptions& metrics) {
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.LoadItems(run.id));
  std::vector<ScoredItem> scored;
  if (!reference_ids.empty()) scored = ScoreItems(items);
  ReportData data =
      BuildReportData(run, std::move(items), policy_name, VersionString(), metrics);
  SV_RETURN_IF_ERROR(AddReferences(store, reference_ids, scored, &data));
  SV_RETURN_IF_ERROR(AddCorrectedRates(store, &data));
  return data;
}

Status WriteReportFile(const std::string& path, const std::string& content) {
  std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Status::IoError("cannot write '" + tmp.string() + "'");
  }
  std::filesystem::rename(tmp, target, ec);
  if (ec) return Status::IoError("cannot write '" + path + "': " + ec.message());
  return Status::Ok();
}

Status WriteDefaultReports(const ReportData& data, const Taxonomy& taxonomy,
                           const std::string& output_dir, std::ostream& out, bool color) {
  std::filesystem::path dir(output_dir);
  std::string json = (dir / "results.json").string(), html = (dir / "report.html").string();
  SV_RETURN_IF_ERROR(WriteReportFile(json, RenderResultsJson(data)));
  SV_RETURN_IF_ERROR(WriteReportFile(html, RenderHtmlReport(data, taxonomy)));
  out << "\n" << RenderSummaryTable(data, taxonomy, color) << "\n";
  out << "Report:  " << html << "\n";
  out << "Results: " << json << "\n";
  return Status::Ok();
}

Result<Totals> WriteRunReport(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                              const std::string& policy_name, const std::string& output_dir,
                              std::ostream& out, bool color) {
  SV_ASSIGN_OR_RETURN(ReportData data, LoadReportData(store, run, {}, policy_name));
  SV_RETURN_IF_ERROR(WriteDefaultReports(data, taxonomy, output_dir, out, color));
  return data.totals;
}

}  // namespace safeval
