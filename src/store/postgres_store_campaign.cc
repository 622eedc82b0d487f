// What PostgresStore keeps besides items: the response cache, campaign batches and judge
// calibrations.
#include <map>

#include "store/postgres_rows.h"
#include "store/postgres_store.h"
#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

}  // namespace

Result<bool> PostgresStore::HasCachedResponses(const std::string& prefix) {
  Result<bool> found = PgCall(*db_, [&]() -> Result<bool> {
    pqxx::read_transaction tx(db_->conn());
    // A range over the partial index (cache_key is COLLATE "C": byte order, as in SQLite).
    return !tx.exec_params(
                  "SELECT 1 FROM results WHERE cache_key >= $1 AND cache_key < $2"
                  " AND cache_key <> '' AND outcome = 'judged' LIMIT 1",
                  prefix, prefix + "\xef\xbf\xbf")
                .empty();
  });
  return PgWithOperation(std::move(found), "reading the response cache");
}

// One query for all the keys (a window of a run is ~1000): a round trip per key made a cached
// run on a remote database wait on the network, not the model.
Result<std::vector<std::pair<std::string, CachedResponse>>> PostgresStore::FindCachedResponses(
    const std::vector<std::string>& keys) {
  using Found = std::vector<std::pair<std::string, CachedResponse>>;
  Result<Found> found = PgCall(*db_, [&]() -> Result<Found> {
    Found out;
    if (keys.empty()) return out;
    Snapshot tx(db_->conn());
    // DISTINCT ON: one response per key, as SQLite's LIMIT 1 per key.
    pqxx::result rows = tx.exec_params(
        "SELECT DISTINCT ON (cache_key) cache_key, response, prompt_tokens, completion_tokens,"
        " media_path, tool_calls FROM results"
        " WHERE cache_key = ANY($1::text[]) AND cache_key <> '' AND outcome = 'judged'"
        " ORDER BY cache_key",
        PgTextArray(keys));
    std::map<std::string, CachedResponse> by_key;
    for (const pqxx::row& row : rows) {
      std::string key = PgText(row[0]);
      CachedResponse cached;
      cached.response = PgBytes(row[1]);
      cached.prompt_tokens = static_cast<int>(PgInt(row[2]));
      cached.completion_tokens = static_cast<int>(PgInt(row[3]));
      cached.media_path = PgText(row[4]);
      Result<std::vector<ToolCall>> calls = ToolCallsFromJson(PgText(row[5]));
      if (!calls.ok()) return calls.status().WithContext("cached response '" + key + "'");
      cached.tool_calls = std::move(calls).value();
      by_key.emplace(std::move(key), std::move(cached));
    }
    // In the order of `keys` (a key asked twice is answered twice), as the store contract says.
    for (const std::string& key : keys) {
      auto it = by_key.find(key);
      if (it != by_key.end()) out.emplace_back(key, it->second);
    }
    return out;
  });
  return PgWithOperation(std::move(found), "reading the response cache");
}

Status PostgresStore::SaveBatch(const std::string& run_id, const BatchRecord& batch) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    tx.exec_params0(
        "INSERT INTO batches (run_id, number, strategy, started_at, finished_at, allocation_json,"
        " estimates_json, requests, tokens, stop_reason)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (run_id, number) DO UPDATE SET strategy = excluded.strategy,"
        " started_at = excluded.started_at, finished_at = excluded.finished_at,"
        " allocation_json = excluded.allocation_json, estimates_json = excluded.estimates_json,"
        " requests = excluded.requests, tokens = excluded.tokens,"
        " stop_reason = excluded.stop_reason",
        run_id, batch.number, batch.strategy, batch.started_at, batch.finished_at,
        CellsToJson(batch.allocation), CellsToJson(batch.estimates), batch.requests, batch.tokens,
        batch.stop_reason);
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving a batch of run '" + run_id + "'");
}

Result<std::vector<BatchRecord>> PostgresStore::LoadBatches(const std::string& run_id) {
  Result<std::vector<BatchRecord>> batches =
      PgCall(*db_, [&]() -> Result<std::vector<BatchRecord>> {
        Snapshot tx(db_->conn());
        SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
        std::vector<BatchRecord> out;
        for (const pqxx::row& row :
             tx.exec_params("SELECT number, strategy, started_at, finished_at, allocation_json,"
                            " estimates_json, requests, tokens, stop_reason FROM batches"
                            " WHERE run_id = $1 ORDER BY number",
                            run_id)) {
          BatchRecord b;
          b.number = static_cast<int>(PgInt(row[0]));
          b.strategy = PgText(row[1]);
          b.started_at = PgText(row[2]);
          b.finished_at = PgText(row[3]);
          Result<std::vector<CellCount>> allocation = CellsFromJson(PgText(row[4]));
          if (!allocation.ok()) return Corrupt(allocation.status(), run_id, -1);
          Result<std::vector<CellCount>> estimates = CellsFromJson(PgText(row[5]));
          if (!estimates.ok()) return Corrupt(estimates.status(), run_id, -1);
          b.allocation = std::move(allocation).value();
          b.estimates = std::move(estimates).value();
          b.requests = PgInt(row[6]);
          b.tokens = PgInt(row[7]);
          b.stop_reason = PgText(row[8]);
          out.push_back(std::move(b));
        }
        return out;
      });
  return PgWithOperation(std::move(batches), "reading the batches of run '" + run_id + "'");
}

Status PostgresStore::SaveCalibration(const JudgeCalibration& c) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    tx.exec_params0(
        "INSERT INTO calibrations (judge, labels_hash, created_at, true_positives,"
        " false_positives, true_negatives, false_negatives, details_json)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (judge) DO UPDATE SET labels_hash = excluded.labels_hash,"
        " created_at = excluded.created_at, true_positives = excluded.true_positives,"
        " false_positives = excluded.false_positives, true_negatives = excluded.true_negatives,"
        " false_negatives = excluded.false_negatives, details_json = excluded.details_json",
        c.judge, c.labels_hash, c.created_at, c.true_positives, c.false_positives, c.true_negatives,
        c.false_negatives, c.details_json);
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving calibration of '" + c.judge + "'");
}

Result<std::optional<JudgeCalibration>> PostgresStore::FindCalibration(const std::string& judge) {
  using Found = std::optional<JudgeCalibration>;
  Result<Found> found = PgCall(*db_, [&]() -> Result<Found> {
    pqxx::read_transaction tx(db_->conn());
    pqxx::result rows = tx.exec_params(
        "SELECT labels_hash, created_at, true_positives, false_positives, true_negatives,"
        " false_negatives, details_json FROM calibrations WHERE judge = $1",
        judge);
    if (rows.empty()) return Found();
    JudgeCalibration c;
    c.judge = judge;
    c.labels_hash = PgText(rows[0][0]);
    c.created_at = PgText(rows[0][1]);
    c.true_positives = PgInt(rows[0][2]);
    c.false_positives = PgInt(rows[0][3]);
    c.true_negatives = PgInt(rows[0][4]);
    c.false_negatives = PgInt(rows[0][5]);
    c.details_json = PgText(rows[0][6]);
    return Found(std::move(c));
  });
  return PgWithOperation(std::move(found), "reading calibration of '" + judge + "'");
}

}  // namespace safeval::store_internal
