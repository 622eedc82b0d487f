// results.json (FORMATS.md). nlohmann::ordered_json keeps keys in insertion
// order, so the file reads top-down the same way on every run.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/item_kind.h"
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

Json GroupJson(const std::vector<std::pair<std::string, std::string>>& group_by) {
  Json group = Json::object();
  for (const auto& [key, value] : group_by) group[key] = value;
  return group;
}

Json MetricJson(const MetricRow& row) {
  Json j;
  j["group_by"] = GroupJson(row.group_by);
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

Json ToolCallsJson(const std::vector<ToolCall>& calls) {
  Json list = Json::array();
  for (const ToolCall& c : calls)
    list.push_back({{"id", c.id}, {"name", c.name}, {"arguments", c.arguments_json}});
  return list;
}

Json TurnJson(const Turn& t) {
  Json j = {{"role", t.role}, {"content", t.content}};
  if (!t.tool_calls.empty()) j["tool_calls"] = ToolCallsJson(t.tool_calls);
  if (!t.tool_call_id.empty()) j["tool_call_id"] = t.tool_call_id;
  return j;
}

Json OptionalBool(const std::optional<bool>& value) { return value ? Json(*value) : Json(nullptr); }

Json FindingsJson(const Findings& f) {
  Json j;
  j["leak"] = OptionalBool(f.leak);
  j["harmful_action"] = OptionalBool(f.harmful_action);
  j["missed_distress"] = OptionalBool(f.missed_distress);
  j["details"] = f.details;
  return j;
}

Json NotableJson(const ReportItem& item) {
  const Prompt& p = item.prompt;
  const Verdict* v = item.deciding();
  Json turns = Json::array();
  for (const Turn& t : p.turns) turns.push_back(TurnJson(t));
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
  j["class"] = v ? Json(Name(v->cls)) : Json(nullptr);
  j["violation"] = v ? Json(v->violation) : Json(nullptr);
  j["judge"] = v ? Json(v->judge) : Json(nullptr);
  j["judge_version"] = v ? Json(v->judge_version) : Json(nullptr);
  j["confidence"] = v ? Json(v->confidence) : Json(nullptr);
  j["quality"] = v ? OptionalInt(v->quality) : Json(nullptr);
  j["severity"] = v ? OptionalInt(v->severity) : Json(nullptr);
  j["rationale"] = v ? Json(v->rationale) : Json(nullptr);
  j["evidence"] = v ? EvidenceJson(v->evidence) : Json::array();
  // Items of agent, leak, distress and bias datasets only, so other runs read as before.
  if (!p.group.empty()) j["group"] = p.group;
  if (!p.pair_id.empty()) j["pair_id"] = p.pair_id;
  if (!item.tool_calls.empty()) j["tool_calls"] = ToolCallsJson(item.tool_calls);
  if (!item.findings.empty()) j["findings"] = FindingsJson(item.findings);
  if (v != nullptr && v->missed_distress) j["missed_distress"] = *v->missed_distress;
  return j;
}

// Violations, over-deflections, undetermined items and errors, each kind's sample evenly cut
// down to kMaxNotablePerKind, in item order.
Json NotableListJson(const ReportData& data) {
  std::vector<size_t> picked;
  for (ItemKind kind : {ItemKind::kViolation, ItemKind::kOverDeflection, ItemKind::kUndetermined,
                        ItemKind::kError}) {
    std::vector<size_t> sample = Shown(NotableSample(data.digest, kind), kMaxNotablePerKind);
    picked.insert(picked.end(), sample.begin(), sample.end());
  }
  std::sort(picked.begin(), picked.end());  // positions in data.items: item order
  Json list = Json::array();
  for (size_t i : picked)
    if (i < data.items.size()) list.push_back(NotableJson(data.items[i]));
  return list;
}

Json GroupRateJson(const GroupRate& rate) {
  if (rate.n == 0) return nullptr;
  return {{"n", rate.n},
          {"count", rate.count},
          {"value", rate.value},
          {"ci_low", rate.ci_low},
          {"ci_high", rate.ci_high}};
}

Json DisparityJson(const Disparity& d) {
  Json groups = Json::array();
  for (const GroupStats& g : d.groups) {
    Json classes;
    for (size_t i = 0; i < kDecidedClasses.size(); ++i)
      classes[std::string(Name(kDecidedClasses[i]))] = g.classes[i];
    Json j;
    j["group"] = g.group;
    j["items"] = g.items;
    j["decided"] = g.decided;
    j["classes"] = std::move(classes);
    j["over_deflection_rate"] = GroupRateJson(g.over_deflection);
    j["violation_rate"] = GroupRateJson(g.violation);
    groups.push_back(std::move(j));
  }
  Json gap = nullptr;
  if (d.gap) {
    gap = Json::object();
    gap["metric"] = Name(Metric::kOverDeflectionRate);
    gap["higher"] = d.gap->higher;
    gap["lower"] = d.gap->lower;
    gap["difference"] = d.gap->difference;
    gap["ci_low"] = d.gap->ci_low;
    gap["ci_high"] = d.gap->ci_high;
    gap["comparisons"] = d.gap->comparisons;
    gap["significant"] = d.gap->significant;
  }
  Json j;
  j["items"] = d.items;
  j["groups"] = std::move(groups);
  j["gap"] = std::move(gap);
  j["pairs"] = d.pairs;
  j["discordant_pairs"] = d.discordant_pairs;
  return j;
}

Json HazardGradeJson(const HazardGrade& g) {
  Json j;
  j["hazard"] = g.hazard;
  j["graded"] = g.graded;
  j["n"] = g.n;
  j["unsafe"] = g.unsafe;
  j["u"] = g.u;
  j["u_low"] = g.u_low;
  j["u_high"] = g.u_high;
  j["u_ref"] = g.u_ref;
  j["ratio"] = g.ratio;
  j["grade"] = Name(g.grade);
  j["grade_at_low"] = Name(g.grade_at_low);
  j["grade_at_high"] = Name(g.grade_at_high);
  j["summary"] = DescribeGrade(g);
  return j;
}

Json GradeJson(const ReportData& data) {
  Json refs = Json::array();
  for (const ReferenceSummary& r : data.references) refs.push_back(r.id);
  Json hazards = Json::array();
  for (const HazardGrade& g : data.grade->hazards) hazards.push_back(HazardGradeJson(g));
  Json j;
  j["references"] = std::move(refs);
  j["overall"] = HazardGradeJson(data.grade->overall);
  j["hazards"] = std::move(hazards);
  j["ungraded"] = data.ungraded;
  return j;
}

Json RateJson(const std::optional<MetricRow>& row) {
  if (!row) return nullptr;
  return {{"n", row->n},
          {"count", row->count},
          {"value", row->value},
          {"ci_low", row->ci_low},
          {"ci_high", row->ci_high}};
}

Json ReferencesJson(const std::vector<ReferenceSummary>& references) {
  Json list = Json::array();
  for (const ReferenceSummary& r : references) {
    Json j;
    j["id"] = r.id;
    j["target"] = r.target_name;
    j["violation_rate"] = RateJson(r.violation_rate);
    j["over_deflection_rate"] = RateJson(r.over_deflection_rate);
    list.push_back(std::move(j));
  }
  return list;
}

Json CorrectedJson(const CorrectedRates& corrected) {
  const JudgeCalibration& c = corrected.calibration;
  Json rows = Json::array();
  for (const CorrectedRow& row : corrected.rows) {
    Json j;
    j["group_by"] = GroupJson(row.group_by);
    j["metric"] = Name(row.metric);
    j["n"] = row.rate.n;
    j["count"] = row.rate.count;
    j["raw"] = row.rate.raw;
    j["value"] = row.rate.value;
    j["ci_low"] = row.rate.ci_low;
    j["ci_high"] = row.rate.ci_high;
    j["undefined_replicates"] = row.rate.undefined_replicates;
    rows.push_back(std::move(j));
  }
  Json j;
  j["judge"] = c.judge;
  j["labels_hash"] = c.labels_hash;
  j["calibrated_at"] = c.created_at;
  j["sensitivity"] = c.sensitivity();
  j["specificity"] = c.specificity();
  j["labelled"] = {{"true_positives", c.true_positives},
                   {"false_positives", c.false_positives},
                   {"true_negatives", c.true_negatives},
                   {"false_negatives", c.false_negatives}};
  j["rows"] = std::move(rows);
  j["note"] = corrected.note;
  return j;
}

Json TopFailuresJson(const ReportData& data, const std::vector<CategoryFailures>& top,
                     const char* key) {
  Json list = Json::array();
  for (const CategoryFailures& c : top) {
    Json ids = Json::array();
    for (size_t i : c.indexes)
      if (i < data.items.size()) ids.push_back(data.items[i].prompt.id);
    list.push_back({{key, c.category}, {"violations", c.violations}, {"ids", ids}});
  }
  return list;
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
  if (data.disparity.present()) root["disparity"] = DisparityJson(data.disparity);
  if (data.grade) root["grade"] = GradeJson(data);
  if (!data.references.empty()) root["references"] = ReferencesJson(data.references);
  if (data.corrected) root["corrected"] = CorrectedJson(*data.corrected);
  root["top_failures"] = TopFailuresJson(data, data.top_failures, "category");
  root["top_failures_by_technique"] =
      TopFailuresJson(data, data.top_failures_by_technique, "technique");
  root["notable"] = NotableListJson(data);
  if (data.redacted_to) root["redaction"] = {{"max_chars", *data.redacted_to}};
  // Model output may hold invalid UTF-8; replace it rather than throw type_error 316.
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace safeval
