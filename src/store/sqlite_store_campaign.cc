// What SqliteStore keeps for campaigns: the response cache (results that remember the key
// their response answers) and the record of each batch.
#include "store/sqlite_store.h"
#include "store/store_json.h"
#include "store/store_rows.h"

namespace safeval::store_internal {

// Both lookups go through the partial index results_by_cache_hash (store_rows.h, CacheKeyHash):
// their WHERE repeats the index's condition, which SQLite needs to use a partial index.
Result<bool> SqliteStore::HasCachedResponses(const std::string& prefix) {
  auto find = [&]() -> Result<bool> {
    // Keys in [prefix, prefix + U+FFFF). A prefix as long as the hash's prefix part (a target's
    // namespace is) reads one range of the index; a shorter one reads every result.
    bool ranged = prefix.size() >= kCacheHashPrefixBytes;
    SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                        db_->Prepare(std::string("SELECT 1 FROM results WHERE ") +
                                     (ranged ? "cache_hash BETWEEN ?3 AND ?4 AND " : "") +
                                     "cache_key >= ?1 AND cache_key < ?2"
                                     " AND cache_key != '' AND outcome = 'judged' LIMIT 1"));
    stmt.Bind(1, prefix).Bind(2, prefix + "\xef\xbf\xbf");
    if (ranged) {
      auto [first, last] = CacheHashRange(prefix);
      stmt.Bind(3, first).Bind(4, last);
    }
    return stmt.Step();
  };
  return WithOperation(find(), "reading the response cache");
}

Result<std::vector<std::pair<std::string, CachedResponse>>> SqliteStore::FindCachedResponses(
    const std::vector<std::string>& keys) {
  auto find = [&]() -> Result<std::vector<std::pair<std::string, CachedResponse>>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement stmt,
        db_->Prepare("SELECT response, prompt_tokens, completion_tokens, media_path, tool_calls"
                     " FROM results WHERE cache_hash = ? AND cache_key = ?"
                     " AND cache_key != '' AND outcome = 'judged' LIMIT 1"));
    std::vector<std::pair<std::string, CachedResponse>> found;
    for (const std::string& key : keys) {
      stmt.Reset();
      SV_ASSIGN_OR_RETURN(bool row, stmt.Bind(1, CacheKeyHash(key)).Bind(2, key).Step());
      if (!row) continue;
      CachedResponse cached;
      cached.response = stmt.ColumnText(0);
      cached.prompt_tokens = static_cast<int>(stmt.ColumnInt(1));
      cached.completion_tokens = static_cast<int>(stmt.ColumnInt(2));
      cached.media_path = stmt.ColumnText(3);
      Result<std::vector<ToolCall>> calls = ToolCallsFromJson(stmt.ColumnText(4));
      if (!calls.ok()) return calls.status().WithContext("cached response '" + key + "'");
      cached.tool_calls = std::move(calls).value();
      found.emplace_back(key, std::move(cached));
    }
    return found;
  };
  return WithOperation(find(), "reading the response cache");
}

Status SqliteStore::SaveBatch(const std::string& run_id, const BatchRecord& batch) {
  auto save = [&]() -> Status {
    SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement stmt,
        db_->Prepare("INSERT OR REPLACE INTO batches (run_id, number, strategy, started_at,"
                     " finished_at, allocation_json, estimates_json, requests, tokens,"
                     " stop_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    stmt.Bind(1, run_id)
        .Bind(2, batch.number)
        .Bind(3, batch.strategy)
        .Bind(4, batch.started_at)
        .Bind(5, batch.finished_at)
        .Bind(6, CellsToJson(batch.allocation))
        .Bind(7, CellsToJson(batch.estimates))
        .Bind(8, batch.requests)
        .Bind(9, batch.tokens)
        .Bind(10, batch.stop_reason);
    SV_RETURN_IF_ERROR(stmt.Run());
    return tx.Commit();
  };
  return WithOperation(save(), "saving a batch of run '" + run_id + "'");
}

Result<std::vector<BatchRecord>> SqliteStore::LoadBatches(const std::string& run_id) {
  auto load = [&]() -> Result<std::vector<BatchRecord>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement stmt,
        db_->Prepare("SELECT number, strategy, started_at, finished_at, allocation_json,"
                     " estimates_json, requests, tokens, stop_reason FROM batches"
                     " WHERE run_id = ? ORDER BY number"));
    stmt.Bind(1, run_id);
    std::vector<BatchRecord> batches;
    while (true) {
      SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return batches;
      BatchRecord b;
      b.number = static_cast<int>(stmt.ColumnInt(0));
      b.strategy = stmt.ColumnText(1);
      b.started_at = stmt.ColumnText(2);
      b.finished_at = stmt.ColumnText(3);
      Result<std::vector<CellCount>> allocation = CellsFromJson(stmt.ColumnText(4));
      if (!allocation.ok()) return Corrupt(allocation.status(), run_id, -1);
      Result<std::vector<CellCount>> estimates = CellsFromJson(stmt.ColumnText(5));
      if (!estimates.ok()) return Corrupt(estimates.status(), run_id, -1);
      b.allocation = std::move(allocation).value();
      b.estimates = std::move(estimates).value();
      b.requests = stmt.ColumnInt(6);
      b.tokens = stmt.ColumnInt(7);
      b.stop_reason = stmt.ColumnText(8);
      batches.push_back(std::move(b));
    }
  };
  return WithOperation(load(), "reading the batches of run '" + run_id + "'");
}

}  // namespace safeval::store_internal
