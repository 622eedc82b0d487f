// Mapping between the SQLite store's rows and safeval's records, private to
// src/store/. Each kXxxColumns list is the column order the matching Bind and
// Read functions use, so a query selects exactly that list (optionally after
// other columns, passing the offset as `first`).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "core/verdict.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace safeval::store_internal {

inline constexpr std::string_view kRunColumns =
    "id, suite_name, suite_path, target_name, target_identity, demo, config_json, config_hash, "
    "dataset_hash, judges_json, seed, started_at, finished_at, status, output_dir";
inline constexpr int kRunColumnCount = 15;

// Binds all of `run` to parameters 1..kRunColumnCount.
Status BindRun(SqliteStatement& stmt, const RunRecord& run);
// Reads columns [first, first + kRunColumnCount). Fails with IoError on a corrupt judges list.
Result<RunRecord> ReadRun(const SqliteStatement& stmt, int first = 0);

// Without run_id, which the caller binds as parameter 1.
inline constexpr std::string_view kResultColumns =
    "idx, outcome, response, error, http_status, attempts, latency_ms, prompt_tokens, "
    "completion_tokens, cache_key, from_cache, media_path, tool_calls, findings";
inline constexpr int kResultColumnCount = 14;

// Binds `result` to parameters 2..kResultColumnCount + 1. Fails with InvalidArgument when a
// tool call or finding is not valid UTF-8 (nothing is bound then).
Status BindResult(SqliteStatement& stmt, const ItemResult& result);
// Reads columns [first, first + kResultColumnCount); verdicts stay empty.
// Fails with IoError on an unknown outcome name or corrupt tool calls or findings.
Result<ItemResult> ReadResult(const SqliteStatement& stmt, int first = 0);

// Without run_id and idx (parameters 1 and 2) and pos (parameter 3).
inline constexpr std::string_view kVerdictColumns =
    "judge, judge_version, class, violation, confidence, quality, severity, rationale, "
    "evidence_json, missed_distress";
inline constexpr int kVerdictColumnCount = 10;

// Binds `verdict` to parameters 4..kVerdictColumnCount + 3.
Status BindVerdict(SqliteStatement& stmt, const Verdict& verdict);
// Reads columns [first, first + kVerdictColumnCount). Fails with IoError on an
// unknown class name or corrupt evidence.
Result<Verdict> ReadVerdict(const SqliteStatement& stmt, int first = 0);

}  // namespace safeval::store_internal
