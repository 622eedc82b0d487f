// Mapping between the SQLite store's rows and safeval's records, private to
// src/store/. Each kXxxColumns list is the column order the matching Bind and
// Read functions use, so a query selects exactly that list (optionally after
// other columns, passing the offset as `first`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

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

// The JSON columns of the row being bound, encoded by BindResult and BindVerdict. They bind
// without copying, so the statement borrows these strings (and the record's own text) until it
// has run; one RowJson reused for many rows reuses its buffers.
struct RowJson {
  std::string tool_calls;
  std::string findings;
  std::string evidence;
};

// Binds `result` to parameters 2..kResultColumnCount + 1 and its key's CacheKeyHash (the
// cache_hash column, never read back) to kResultColumnCount + 2, borrowing its text and `json`
// (see RowJson). Fails with InvalidArgument when a tool call or finding is not valid UTF-8
// (nothing is bound then).
Status BindResult(SqliteStatement& stmt, const ItemResult& result, RowJson& json);
// Reads columns [first, first + kResultColumnCount); verdicts stay empty.
// Fails with IoError on an unknown outcome name or corrupt tool calls or findings.
Result<ItemResult> ReadResult(const SqliteStatement& stmt, int first = 0);

// results.cache_hash (schema version 6): the response cache's index holds this hash of a
// result's cache key instead of the key, because the keys end in a hash of the conversation
// and a batch's rows land all over an index of them: each commit rewrites about one index page
// per row, and an index entry of 8 bytes instead of the ~35-byte key means fewer pages. The
// high 32 bits hash the key's first kCacheHashPrefixBytes bytes (all of a shorter key), the
// low 32 bits the whole key, so a key is one seek and the keys starting with any one prefix of
// at least kCacheHashPrefixBytes bytes lie in one range (CacheHashRange). 0 for "" (no key).
// The values are stored: this function must never change (it is xxHash3, core/hash.h).
inline constexpr size_t kCacheHashPrefixBytes = 8;
int64_t CacheKeyHash(std::string_view key);
// The range [first, last] of CacheKeyHash over the keys that start with `prefix`.
// REQUIRES: prefix.size() >= kCacheHashPrefixBytes.
std::pair<int64_t, int64_t> CacheHashRange(std::string_view prefix);

// Without run_id and idx (parameters 1 and 2) and pos (parameter 3).
inline constexpr std::string_view kVerdictColumns =
    "judge, judge_version, class, violation, confidence, quality, severity, rationale, "
    "evidence_json, missed_distress";
inline constexpr int kVerdictColumnCount = 10;

// Binds `verdict` to parameters 4..kVerdictColumnCount + 3, borrowing its text and `json`.
// Fails with InvalidArgument when the evidence is not valid UTF-8 (nothing is bound then).
Status BindVerdict(SqliteStatement& stmt, const Verdict& verdict, RowJson& json);
// Reads columns [first, first + kVerdictColumnCount). Fails with IoError on an
// unknown class name or corrupt evidence.
Result<Verdict> ReadVerdict(const SqliteStatement& stmt, int first = 0);

}  // namespace safeval::store_internal
