#include "store/postgres_rows.h"

#include "store/store_json.h"

namespace safeval::store_internal {

Status AddRunParams(PgParams& params, const RunRecord& run) {
  SV_ASSIGN_OR_RETURN(std::string judges, StringsToJson(run.judges));
  params.Text(run.id)
      .Text(run.suite_name)
      .Text(run.suite_path)
      .Text(run.target_name)
      .Text(run.target_identity)
      .Bool(run.demo)
      .Text(run.config_json)
      .Text(run.config_hash)
      .Text(run.dataset_hash)
      .Text(judges)
      // bigint is signed: the seed's bits go in and come back unchanged.
      .Int(static_cast<int64_t>(run.seed))
      .Text(run.started_at)
      .Text(run.finished_at)
      .Text(run.status)
      .Text(run.output_dir);
  return Status::Ok();
}

Result<RunRecord> ReadPgRun(const pqxx::row& row, int first) {
  RunRecord run;
  run.id = PgText(row[first]);
  run.suite_name = PgText(row[first + 1]);
  run.suite_path = PgText(row[first + 2]);
  run.target_name = PgText(row[first + 3]);
  run.target_identity = PgText(row[first + 4]);
  run.demo = PgBool(row[first + 5]);
  run.config_json = PgText(row[first + 6]);
  run.config_hash = PgText(row[first + 7]);
  run.dataset_hash = PgText(row[first + 8]);
  SV_ASSIGN_OR_RETURN(run.judges, StringsFromJson(PgText(row[first + 9])));
  run.seed = static_cast<uint64_t>(PgInt(row[first + 10]));
  run.started_at = PgText(row[first + 11]);
  run.finished_at = PgText(row[first + 12]);
  run.status = PgText(row[first + 13]);
  run.output_dir = PgText(row[first + 14]);
  return run;
}

Status AddResultParams(PgParams& params, const ItemResult& result) {
  SV_ASSIGN_OR_RETURN(std::string tool_calls, ToolCallsToJson(result.tool_calls));
  SV_ASSIGN_OR_RETURN(std::string findings, FindingsToJson(result.findings));
  params.Int(result.index)
      .Text(Name(result.outcome))
      .Bytes(result.response)
      .Bytes(result.error)
      .Int(result.http_status)
      .Int(result.attempts)
      .Int(result.latency_ms)
      .Int(result.prompt_tokens)
      .Int(result.completion_tokens)
      .Text(result.cache_key)
      .Bool(result.from_cache)
      .Text(result.media_path)
      .Text(tool_calls)
      .Text(findings);
  return Status::Ok();
}

Result<ItemResult> ReadPgResult(const pqxx::row& row, int first) {
  ItemResult result;
  result.index = PgInt(row[first]);
  std::string outcome = PgText(row[first + 1]);
  std::optional<Outcome> parsed = ParseOutcome(outcome);
  if (!parsed) return Status::IoError("unknown outcome '" + outcome + "' in the store");
  result.outcome = *parsed;
  result.response = PgBytes(row[first + 2]);
  result.error = PgBytes(row[first + 3]);
  result.http_status = static_cast<int>(PgInt(row[first + 4]));
  result.attempts = static_cast<int>(PgInt(row[first + 5]));
  result.latency_ms = PgInt(row[first + 6]);
  result.prompt_tokens = static_cast<int>(PgInt(row[first + 7]));
  result.completion_tokens = static_cast<int>(PgInt(row[first + 8]));
  result.cache_key = PgText(row[first + 9]);
  result.from_cache = PgBool(row[first + 10]);
  result.media_path = PgText(row[first + 11]);
  SV_ASSIGN_OR_RETURN(result.tool_calls, ToolCallsFromJson(PgText(row[first + 12])));
  SV_ASSIGN_OR_RETURN(result.findings, FindingsFromJson(PgText(row[first + 13])));
  return result;
}

Status AddVerdictParams(PgParams& params, const Verdict& verdict) {
  SV_ASSIGN_OR_RETURN(std::string evidence, EvidenceToJson(verdict.evidence));
  params.Text(verdict.judge)
      .Text(verdict.judge_version)
      .Text(Name(verdict.cls))
      .Bool(verdict.violation)
      .Double(verdict.confidence)
      .OptionalInt(verdict.quality)
      .OptionalInt(verdict.severity)
      .Bytes(verdict.rationale)
      .Text(evidence)
      .OptionalBool(verdict.missed_distress);
  return Status::Ok();
}

Result<Verdict> ReadPgVerdict(const pqxx::row& row, int first) {
  Verdict v;
  v.judge = PgText(row[first]);
  v.judge_version = PgText(row[first + 1]);
  std::string cls = PgText(row[first + 2]);
  std::optional<ResponseClass> parsed = ParseResponseClass(cls);
  if (!parsed) return Status::IoError("unknown response class '" + cls + "' in the store");
  v.cls = *parsed;
  v.violation = PgBool(row[first + 3]);
  v.confidence = row[first + 4].as<double>();
  v.quality = PgOptionalInt(row[first + 5]);
  v.severity = PgOptionalInt(row[first + 6]);
  v.rationale = PgBytes(row[first + 7]);
  SV_ASSIGN_OR_RETURN(v.evidence, EvidenceFromJson(PgText(row[first + 8])));
  if (!row[first + 9].is_null()) v.missed_distress = PgBool(row[first + 9]);
  return v;
}

std::string PgUnnest(std::string_view types, int first) {
  std::string out = "unnest(";
  int n = first;
  while (!types.empty()) {
    size_t comma = types.find(", ");
    if (n > first) out += ", ";
    out += "$" + std::to_string(n++) + "::" + std::string(types.substr(0, comma)) + "[]";
    types = comma == std::string_view::npos ? "" : types.substr(comma + 2);
  }
  return out + ")";
}

std::string PgValuesList(int rows, int columns, int first) {
  std::string out;
  int n = first;
  for (int r = 0; r < rows; ++r) {
    out += r == 0 ? "(" : ", (";
    for (int c = 0; c < columns; ++c) {
      if (c > 0) out += ", ";
      out += "$" + std::to_string(n++);
    }
    out += ")";
  }
  return out;
}

}  // namespace safeval::store_internal
