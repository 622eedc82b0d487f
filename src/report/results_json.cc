// results.json (FORMATS.md). nlohmann::ordered_json keeps keys in insertion
// order, so the file reads top-down the same way on every run.
#include <nlohmann/json.hpp>

#include "report/report.h"

namespace safeval {
namespace {

using Json = nlohmann::ordered_json;

Json RunJson(const RunSummary& run) {
  Json j;
  j["id"] = run.id;
  j["suite"] = run.suite_name;
  j["target"] = run.target_name;
  j["target_identity"] = run.target_identity;
  j["demo"] = run.demo;
  j["config_hash"] = run.config_hash;
  j["dataset_hash"] = run.dataset_hash;
  j["policy"] = run.policy_name;
  j["judges"] = run.judges;
  j["seed"] = run.seed;
  j["started_at"] = run.started_at;
  j["finished_at"] = run.finished_at;
  j["status"] = run.status;
  j["safeval_version"] = run.safeval_version;
  return j;
}

Json TotalsJson(const Totals& t) {
  Json j;
  j["items"] = t.items;
  j["judged"] = t.judged;
  j["model_error"] = t.model_error;
  j["judge_error"] = t.judge_error;
  j["undetermined"] = t.undetermined;
  j["skipped"] = t.skipped;
  j["pending"] = t.pending;
  return j;
}

Json MetricJson(const MetricRow& row) {
  Json group = Json::object();
  for (const auto& [key, value] : row.group_by) group[key] = value;
  Json j;
  j["group_by"] = std::move(group);
  j["metric"] = Name(row.metric);
  j["n"] = row.n;
  j["count"] = row.count;
  j["value"] = row.value;
  j["ci_low"] = row.ci_low;
  j["ci_high"] = row.ci_high;
  return j;
}

Json OptionalInt(const std::optional<int>& value) { return value ? Json(*value) : Json(nullptr); }

Json EvidenceJson(const std::vector<Evidence>& evidence) {
  Json list = Json::array();
  for (const Evidence& e : evidence)
    list.push_back({{"start", e.start}, {"end", e.end}, {"cue", e.cue}});
  return list;
}

Json NotableJson(const ReportItem& item) {
  const Prompt& p = item.prompt;
  bool judged = item.outcome == Outcome::kJudged;
  Json turns = Json::array();
  for (const Turn& t : p.turns) turns.push_back({{"role", t.role}, {"content", t.content}});
  Json j;
  j["id"] = p.id;
  j["category"] = p.category.str();
  j["intent"] = Name(p.intent);
  j["persona"] = p.persona ? Json(Name(*p.persona)) : Json(nullptr);
  j["techniques"] = p.techniques;
  j["parent_id"] = p.parent_id;
  j["turns"] = std::move(turns);
  j["response"] = item.response;
  j["outcome"] = Name(item.outcome);
  j["error"] = item.error;
  // Only a judged item has a deciding verdict; null says "no verdict", not "safe".
  j["class"] = judged ? Json(Name(item.verdict.cls)) : Json(nullptr);
  j["violation"] = judged ? Json(item.verdict.violation) : Json(nullptr);
  j["judge"] = judged ? Json(item.verdict.judge) : Json(nullptr);
  j["judge_version"] = judged ? Json(item.verdict.judge_version) : Json(nullptr);
  j["confidence"] = judged ? Json(item.verdict.confidence) : Json(nullptr);
  j["quality"] = judged ? OptionalInt(item.verdict.quality) : Json(nullptr);
  j["severity"] = judged ? OptionalInt(item.verdict.severity) : Json(nullptr);
  j["rationale"] = judged ? Json(item.verdict.rationale) : Json(nullptr);
  j["evidence"] = judged ? EvidenceJson(item.verdict.evidence) : Json::array();
  return j;
}

}  // namespace

std::string RenderResultsJson(const ReportData& data) {
  Json root;
  root["schema_version"] = 1;
  root["run"] = RunJson(data.run);
  root["totals"] = TotalsJson(data.totals);
  Json metrics = Json::array();
  for (const MetricRow& row : data.metrics) metrics.push_back(MetricJson(row));
  root["metrics"] = std::move(metrics);
  Json notable = Json::array();
  for (const ReportItem& item : data.notable) notable.push_back(NotableJson(item));
  root["notable"] = std::move(notable);
  // Model output may hold invalid UTF-8; replace it rather than throw type_error 316.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace safeval
