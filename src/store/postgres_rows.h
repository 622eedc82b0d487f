// Mapping between the PostgreSQL store's rows and safeval's records, private to src/store/.
// Each kPgXxxColumns list is the column order of the matching Params and Read functions, so a
// query selects exactly that list (optionally after other columns, passing the offset as `first`).
// The JSON columns are the SQLite store's (store_json.h).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/verdict.h"
#include "store/postgres_connection.h"
#include "store/store.h"

namespace safeval::store_internal {

inline constexpr std::string_view kPgRunColumns =
    "id, suite_name, suite_path, target_name, target_identity, demo, config_json, config_hash, "
    "dataset_hash, judges_json, seed, started_at, finished_at, status, output_dir";
inline constexpr int kPgRunColumnCount = 15;
Status AddRunParams(PgParams& params, const RunRecord& run);
// Fails with IoError on a corrupt judges list.
Result<RunRecord> ReadPgRun(const pqxx::row& row, int first = 0);

// Without run_id.
inline constexpr std::string_view kPgResultColumns =
    "idx, outcome, response, error, http_status, attempts, latency_ms, prompt_tokens, "
    "completion_tokens, cache_key, from_cache, media_path, tool_calls, findings";
inline constexpr int kPgResultColumnCount = 14;
// The columns' types, in the same order (for PgUnnest).
inline constexpr std::string_view kPgResultTypes =
    "bigint, text, bytea, bytea, integer, integer, bigint, integer, integer, text, boolean, text, "
    "text, text";
// InvalidArgument (nothing added) when a tool call or finding is not valid UTF-8.
Status AddResultParams(PgParams& params, const ItemResult& result);
// Verdicts stay empty. IoError on an unknown outcome or corrupt tool calls or findings.
Result<ItemResult> ReadPgResult(const pqxx::row& row, int first = 0);

// Without run_id, idx and pos.
inline constexpr std::string_view kPgVerdictColumns =
    "judge, judge_version, class, violation, confidence, quality, severity, rationale, "
    "evidence_json, missed_distress";
inline constexpr int kPgVerdictColumnCount = 10;
inline constexpr std::string_view kPgVerdictTypes =
    "text, text, text, boolean, double precision, integer, integer, bytea, text, boolean";
// InvalidArgument (nothing added) when an evidence cue is not valid UTF-8.
Status AddVerdictParams(PgParams& params, const Verdict& verdict);
// IoError on an unknown class or corrupt evidence.
Result<Verdict> ReadPgVerdict(const pqxx::row& row, int first = 0);

// The number of entries of a ", "-separated list.
constexpr int PgListSize(std::string_view list) {
  int n = list.empty() ? 0 : 1;
  for (size_t at = list.find(", "); at != std::string_view::npos; at = list.find(", ", at + 2)) ++n;
  return n;
}
static_assert(PgListSize(kPgResultColumns) == kPgResultColumnCount);
static_assert(PgListSize(kPgResultTypes) == kPgResultColumnCount);
static_assert(PgListSize(kPgVerdictColumns) == kPgVerdictColumnCount);
static_assert(PgListSize(kPgVerdictTypes) == kPgVerdictColumnCount);

// "unnest($k::t1[], $k+1::t2[], …)" for the ", "-separated `types`: the rows of array
// parameters made by PgColumns.
std::string PgUnnest(std::string_view types, int first);

// "($k, $k+1, …), (…)": `rows` groups of `columns` placeholders numbered from `first`.
std::string PgValuesList(int rows, int columns, int first = 1);

// Prefixes IoErrors with the operation (they name the store but not what was being done);
// other codes carry complete messages from where they were made.
inline Status PgWithOperation(Status status, const std::string& operation) {
  if (status.code() != StatusCode::kIoError) return status;
  return status.WithContext(operation);
}
template <typename T>
Result<T> PgWithOperation(Result<T> result, const std::string& operation) {
  if (result.ok()) return result;
  return PgWithOperation(result.status(), operation);
}

}  // namespace safeval::store_internal
