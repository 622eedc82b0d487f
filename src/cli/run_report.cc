#include "cli/run_report.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "cli/version.h"
#include "metrics/metrics.h"
#include "report/report.h"

namespace safeval {
namespace {

// Why an item is worth reading, or nothing.
enum class Notable { kNone, kViolation, kOverDeflection, kUndetermined, kError };

Notable Classify(const StoredItem& item) {
  const ItemResult& r = *item.result;
  if (r.outcome == Outcome::kModelError || r.outcome == Outcome::kJudgeError) return Notable::kError;
  if (r.outcome != Outcome::kJudged || r.verdicts.empty()) return Notable::kNone;
  const Verdict& v = r.verdicts.front();
  if (v.cls == ResponseClass::kUndetermined) return Notable::kUndetermined;
  if (item.prompt.intent == Intent::kSafe) return IsDecline(v.cls) ? Notable::kOverDeflection : Notable::kNone;
  return v.violation ? Notable::kViolation : Notable::kNone;
}

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
    s.outcome = item.result->outcome;
    if (s.outcome == Outcome::kJudged && !item.result->verdicts.empty()) {
      const Verdict& v = item.result->verdicts.front();
      s.cls = v.cls;
      s.violation = v.violation;
      s.quality = v.quality;
    }
    scored.push_back(std::move(s));
  }
  return scored;
}

ReportData BuildReportData(const RunRecord& run, const std::vector<StoredItem>& items,
                           const std::string& policy_name, const std::string& safeval_version) {
  ReportData data;
  RunSummary& s = data.run;
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

  std::vector<ScoredItem> scored = ScoreItems(items);
  int64_t pending = static_cast<int64_t>(items.size() - scored.size());
  data.totals = CountTotals(scored, pending);
  data.metrics = ComputeMetrics(scored);

  std::map<Notable, size_t> shown;
  for (const StoredItem& item : items) {
    if (!item.result) continue;
    Notable kind = Classify(item);
    if (kind == Notable::kNone || shown[kind]++ >= kMaxNotablePerKind) continue;
    ReportItem ri;
    ri.prompt = item.prompt;
    ri.response = item.result->response;
    ri.outcome = item.result->outcome;
    ri.error = item.result->error;
    if (!item.result->verdicts.empty()) ri.verdict = item.result->verdicts.front();
    data.notable.push_back(std::move(ri));
  }
  return data;
}

namespace {

Status WriteFileAtomically(const std::filesystem::path& path, const std::string& content) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return Status::IoError("cannot write '" + tmp.string() + "'");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::IoError("cannot write '" + path.string() + "': " + ec.message());
  return Status::Ok();
}

}  // namespace

Result<Totals> WriteRunReport(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                              const std::string& policy_name, const std::string& output_dir,
                              std::ostream& out, bool color) {
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.LoadItems(run.id));
  ReportData data = BuildReportData(run, items, policy_name,
                                    std::string(SafevalVersion()) + " (" + SafevalCommit() + ")");
  std::filesystem::path dir(output_dir);
  SV_RETURN_IF_ERROR(WriteFileAtomically(dir / "results.json", RenderResultsJson(data)));
  SV_RETURN_IF_ERROR(WriteFileAtomically(dir / "report.html", RenderHtmlReport(data, taxonomy)));
  out << "\n" << RenderSummaryTable(data, taxonomy, color) << "\n";
  out << "Report:  " << (dir / "report.html").string() << "\n";
  out << "Results: " << (dir / "results.json").string() << "\n";
  return data.totals;
}

}  // namespace safeval
