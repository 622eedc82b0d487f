#include "store/store_rows.h"

#include "core/hash.h"
#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

uint64_t High32(std::string_view key) { return Hash64(key.substr(0, kCacheHashPrefixBytes)) << 32; }

}  // namespace

int64_t CacheKeyHash(std::string_view key) {
  if (key.empty()) return 0;
  return static_cast<int64_t>(High32(key) | (Hash64(key) & 0xFFFFFFFFu));
}

std::pair<int64_t, int64_t> CacheHashRange(std::string_view prefix) {
  uint64_t high = High32(prefix);
  // Two's complement keeps the order of equal high halves: first <= last as signed values too.
  return {static_cast<int64_t>(high), static_cast<int64_t>(high | 0xFFFFFFFFu)};
}

Status BindRun(SqliteStatement& stmt, const RunRecord& run) {
  SV_ASSIGN_OR_RETURN(std::string judges, StringsToJson(run.judges));
  stmt.Bind(1, run.id)
      .Bind(2, run.suite_name)
      .Bind(3, run.suite_path)
      .Bind(4, run.target_name)
      .Bind(5, run.target_identity)
      .Bind(6, run.demo)
      .Bind(7, run.config_json)
      .Bind(8, run.config_hash)
      .Bind(9, run.dataset_hash)
      .Bind(10, judges)
      // SQLite integers are signed: the seed's bits go in and come back unchanged.
      .Bind(11, static_cast<int64_t>(run.seed))
      .Bind(12, run.started_at)
      .Bind(13, run.finished_at)
      .Bind(14, run.status)
      .Bind(15, run.output_dir);
  return Status::Ok();
}

Result<RunRecord> ReadRun(const SqliteStatement& stmt, int first) {
  RunRecord run;
  run.id = stmt.ColumnText(first);
  run.suite_name = stmt.ColumnText(first + 1);
  run.suite_path = stmt.ColumnText(first + 2);
  run.target_name = stmt.ColumnText(first + 3);
  run.target_identity = stmt.ColumnText(first + 4);
  run.demo = stmt.ColumnInt(first + 5) != 0;
  run.config_json = stmt.ColumnText(first + 6);
  run.config_hash = stmt.ColumnText(first + 7);
  run.dataset_hash = stmt.ColumnText(first + 8);
  SV_ASSIGN_OR_RETURN(run.judges, StringsFromJson(stmt.ColumnText(first + 9)));
  run.seed = static_cast<uint64_t>(stmt.ColumnInt(first + 10));
  run.started_at = stmt.ColumnText(first + 11);
  run.finished_at = stmt.ColumnText(first + 12);
  run.status = stmt.ColumnText(first + 13);
  run.output_dir = stmt.ColumnText(first + 14);
  return run;
}

Status BindResult(SqliteStatement& stmt, const ItemResult& result, RowJson& json) {
  SV_ASSIGN_OR_RETURN(json.tool_calls, ToolCallsToJson(result.tool_calls));
  SV_ASSIGN_OR_RETURN(json.findings, FindingsToJson(result.findings));
  stmt.Bind(2, result.index)
      .BindBorrowed(3, Name(result.outcome))
      .BindBorrowed(4, result.response)
      .BindBorrowed(5, result.error)
      .Bind(6, result.http_status)
      .Bind(7, result.attempts)
      .Bind(8, result.latency_ms)
      .Bind(9, result.prompt_tokens)
      .Bind(10, result.completion_tokens)
      .BindBorrowed(11, result.cache_key)
      .Bind(12, result.from_cache)
      .BindBorrowed(13, result.media_path)
      .BindBorrowed(14, json.tool_calls)
      .BindBorrowed(15, json.findings)
      .Bind(16, CacheKeyHash(result.cache_key));
  return Status::Ok();
}

Result<ItemResult> ReadResult(const SqliteStatement& stmt, int first) {
  ItemResult result;
  result.index = stmt.ColumnInt(first);
  std::string outcome = stmt.ColumnText(first + 1);
  std::optional<Outcome> parsed = ParseOutcome(outcome);
  if (!parsed) return Status::IoError("unknown outcome '" + outcome + "' in the store");
  result.outcome = *parsed;
  result.response = stmt.ColumnText(first + 2);
  result.error = stmt.ColumnText(first + 3);
  result.http_status = static_cast<int>(stmt.ColumnInt(first + 4));
  result.attempts = static_cast<int>(stmt.ColumnInt(first + 5));
  result.latency_ms = stmt.ColumnInt(first + 6);
  result.prompt_tokens = static_cast<int>(stmt.ColumnInt(first + 7));
  result.completion_tokens = static_cast<int>(stmt.ColumnInt(first + 8));
  result.cache_key = stmt.ColumnText(first + 9);
  result.from_cache = stmt.ColumnInt(first + 10) != 0;
  result.media_path = stmt.ColumnText(first + 11);
  SV_ASSIGN_OR_RETURN(result.tool_calls, ToolCallsFromJson(stmt.ColumnText(first + 12)));
  SV_ASSIGN_OR_RETURN(result.findings, FindingsFromJson(stmt.ColumnText(first + 13)));
  return result;
}

Status BindVerdict(SqliteStatement& stmt, const Verdict& verdict, RowJson& json) {
  SV_RETURN_IF_ERROR(EvidenceToJson(verdict.evidence, json.evidence));
  stmt.BindBorrowed(4, verdict.judge)
      .BindBorrowed(5, verdict.judge_version)
      .BindBorrowed(6, Name(verdict.cls))
      .Bind(7, verdict.violation)
      .Bind(8, verdict.confidence)
      .Bind(9, verdict.quality)
      .Bind(10, verdict.severity)
      .BindBorrowed(11, verdict.rationale)
      .BindBorrowed(12, json.evidence)
      .Bind(13,
            verdict.missed_distress ? std::optional<int>(*verdict.missed_distress) : std::nullopt);
  return Status::Ok();
}

Result<Verdict> ReadVerdict(const SqliteStatement& stmt, int first) {
  Verdict v;
  v.judge = stmt.ColumnText(first);
  v.judge_version = stmt.ColumnText(first + 1);
  std::string cls = stmt.ColumnText(first + 2);
  std::optional<ResponseClass> parsed = ParseResponseClass(cls);
  if (!parsed) return Status::IoError("unknown response class '" + cls + "' in the store");
  v.cls = *parsed;
  v.violation = stmt.ColumnInt(first + 3) != 0;
  v.confidence = stmt.ColumnDouble(first + 4);
  v.quality = stmt.ColumnOptionalInt(first + 5);
  v.severity = stmt.ColumnOptionalInt(first + 6);
  v.rationale = stmt.ColumnText(first + 7);
  SV_ASSIGN_OR_RETURN(v.evidence, EvidenceFromJson(stmt.ColumnText(first + 8)));
  if (std::optional<int> missed = stmt.ColumnOptionalInt(first + 9)) {
    v.missed_distress = *missed != 0;
  }
  return v;
}

}  // namespace safeval::store_internal
