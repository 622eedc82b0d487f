// The PostgreSQL implementation of Store, private to src/store/ (others call OpenStore in
// open_store.h). Runs and their planned items are written by postgres_store.cc; results, verdicts
// and attacks by postgres_store_items.cc; item reads and scans by postgres_store_scan.cc; the
// response cache, batches and calibrations by postgres_store_campaign.cc.
//
// Behaviour and errors are the SQLite store's (store.h): each call is one transaction, reads
// that span several queries run in one repeatable-read snapshot, and several processes may use
// one database at once (results are upserts keyed by (run, index), appends lock the run row).
// Database failures are IoError "<operation>: store '<label>': <reason>".
// Not thread-safe: one connection, one writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/postgres_connection.h"
#include "store/store.h"

namespace safeval::store_internal {

// Opens the connection to `url` and migrates its schema (OpenStore's PostgreSQL half).
Result<std::shared_ptr<PgConnection>> OpenPostgresConnection(const std::string& url);

// Saves `results` of run `run_id` inside `tx` exactly as PostgresStore::SaveResults does
// (checks, replacement of earlier results and their verdicts), without committing; the caller
// commits or, on an error, aborts. Shared with the work queue (SaveLeasedResults).
// REQUIRES: the run exists.
Status SavePostgresResults(const PgConnection& db, pqxx::transaction_base& tx,
                           const std::string& run_id, const std::vector<ItemResult>& results);

class PostgresStore final : public Store {
 public:
  // `db` may be shared with a PostgresAnnotationStore (OpenStores): one connection, used by
  // one thread, with one store's transaction open at a time.
  explicit PostgresStore(std::shared_ptr<PgConnection> db) : db_(std::move(db)) {}

  Status CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) override;
  Status CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                            const std::function<std::string()>& dataset_hash) override;
  Result<RunRecord> GetRun(const std::string& run_id) override;
  Result<std::vector<RunRecord>> ListRuns() override;
  Result<std::vector<StoredItem>> PendingItems(const std::string& run_id) override;
  Result<std::vector<StoredItem>> PendingItemsAfter(const std::string& run_id, int64_t after_index,
                                                    int64_t limit) override;
  Result<std::vector<StoredItem>> ItemsAt(const std::string& run_id,
                                          const std::vector<int64_t>& indexes) override;
  Status ScanItemSummaries(const std::string& run_id,
                           const std::function<void(const ItemSummary&)>& fn) override;
  Status ScanItems(const std::string& run_id,
                   const std::function<Status(StoredItem&&)>& fn) override;
  Status SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) override;
  Result<std::vector<StoredItem>> LoadItems(const std::string& run_id) override;
  Result<std::optional<StoredItem>> GetItem(const std::string& run_id, int64_t index) override;
  Status SaveVerdicts(const std::string& run_id,
                      const std::vector<std::pair<int64_t, Verdict>>& verdicts) override;
  Status SaveCalibration(const JudgeCalibration& calibration) override;
  Result<std::optional<JudgeCalibration>> FindCalibration(const std::string& judge) override;
  Result<bool> HasCachedResponses(const std::string& prefix) override;
  Result<std::vector<std::pair<std::string, CachedResponse>>> FindCachedResponses(
      const std::vector<std::string>& keys) override;
  Result<int64_t> SaveAttack(const std::string& run_id, const std::string& seed_id,
                             const std::string& tree_json, const Prompt& item,
                             ItemResult result) override;
  Result<std::vector<std::pair<std::string, std::string>>> LoadAttacks(
      const std::string& run_id) override;
  Status SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                        const std::string& tree_json) override;
  Status SaveBatch(const std::string& run_id, const BatchRecord& batch) override;
  Result<std::vector<BatchRecord>> LoadBatches(const std::string& run_id) override;
  Status UpdateRun(const RunRecord& run) override;

 private:
  // Each runs inside its transaction; the public methods add PgCall and the operation.
  Status DoCreateRun(pqxx::work& tx, const RunRecord& run, const PromptSource& next,
                     const std::function<std::string()>& dataset_hash);
  // Items with index > after_index, at most `limit`, by index, with results (and verdicts)
  // unless `pending_only`.
  Result<std::vector<StoredItem>> QueryItems(pqxx::transaction_base& tx, const std::string& run_id,
                                             bool pending_only, int64_t after_index, int64_t limit);
  Status AttachVerdicts(pqxx::transaction_base& tx, const std::string& run_id,
                        std::vector<StoredItem>& items);
  Result<std::vector<StoredItem>> LoadAll(const std::string& run_id, bool pending_only,
                                          const std::string& operation);
  Status DoSaveVerdicts(pqxx::work& tx, const std::string& run_id,
                        const std::vector<std::pair<int64_t, Verdict>>& verdicts);
  Result<int64_t> DoSaveAttack(pqxx::work& tx, const std::string& run_id,
                               const std::string& seed_id, const std::string& tree_json,
                               const Prompt& item, ItemResult result);

  // NotFound "no run '<id>' in <label>" unless the run exists; `lock` locks its row until the
  // transaction ends (for appends that number items).
  Status RequireRun(pqxx::transaction_base& tx, const std::string& run_id, bool lock = false);
  // Names the store in an error found in a row's content (bad JSON, unknown enum name).
  Status Corrupt(const Status& status, const std::string& run_id, int64_t index) const;

  std::shared_ptr<PgConnection> db_;
};

// The number of planned items of the run (their indexes are 0..count-1).
int64_t PgItemCount(pqxx::transaction_base& tx, const std::string& run_id);

}  // namespace safeval::store_internal
