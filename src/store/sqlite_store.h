// The SQLite implementation of Store, private to src/store/ (others call
// OpenSqliteStore in store.h). Runs and their planned items are written by
// sqlite_store.cc; results, verdicts and the item queries by sqlite_store_items.cc;
// verdicts added to judged items (human labels) by sqlite_store_verdicts.cc; windows, scans and
// single items by sqlite_store_scan.cc.
//
// Errors: SQLite failures and corrupt rows are IoError "<operation>: store
// '<path>': <reason>"; NotFound and InvalidArgument messages name the run and
// the store path. Not thread-safe: one connection, one writer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace safeval::store_internal {

struct ResultWriter;  // sqlite_store_items.cc: the statements that save one result

class SqliteStore final : public Store {
 public:
  // `db` may be shared with a SqliteAnnotationStore (OpenSqliteStores): one connection, used
  // by one thread, with one store's transaction open at a time.
  explicit SqliteStore(std::shared_ptr<SqliteDb> db);
  ~SqliteStore() override;

  Status CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) override;
  Status CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                            const std::function<std::string()>& dataset_hash) override;
  Result<std::vector<StoredItem>> PendingItemsAfter(const std::string& run_id,
                                                    int64_t after_index, int64_t limit) override;
  Result<std::vector<StoredItem>> ItemsAt(const std::string& run_id,
                                          const std::vector<int64_t>& indexes) override;
  Status ScanItemSummaries(const std::string& run_id,
                           const std::function<void(const ItemSummary&)>& fn) override;
  Status ScanItems(const std::string& run_id,
                   const std::function<Status(StoredItem&&)>& fn) override;
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
  Result<RunRecord> GetRun(const std::string& run_id) override;
  Result<std::vector<RunRecord>> ListRuns() override;
  Result<std::vector<StoredItem>> PendingItems(const std::string& run_id) override;
  Status SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) override;
  Result<std::vector<StoredItem>> LoadItems(const std::string& run_id) override;
  Result<std::optional<StoredItem>> GetItem(const std::string& run_id, int64_t index) override;
  Status SaveVerdicts(const std::string& run_id,
                      const std::vector<std::pair<int64_t, Verdict>>& verdicts) override;
  Status UpdateRun(const RunRecord& run) override;
  Status SaveCalibration(const JudgeCalibration& calibration) override;
  Result<std::optional<JudgeCalibration>> FindCalibration(const std::string& judge) override;

 private:
  // The operations without their error context (the public methods add it).
  Status DoCreateRun(const RunRecord& run, const PromptSource& next,
                     const std::function<std::string()>& dataset_hash);
  Result<RunRecord> DoGetRun(const std::string& run_id);
  Result<std::vector<RunRecord>> DoListRuns();
  Status DoUpdateRun(const RunRecord& run);
  Status DoSaveResults(const std::string& run_id, const std::vector<ItemResult>& results);
  Status DoSaveVerdicts(const std::string& run_id,
                        const std::vector<std::pair<int64_t, Verdict>>& verdicts);
  // Items by index with their results and verdicts; `pending_only` keeps the
  // items PendingItems returns, without results.
  Result<std::vector<StoredItem>> DoLoadItems(const std::string& run_id, bool pending_only);

  // NotFound "no run '<id>' in <path>" unless the run exists.
  Status RequireRun(const std::string& run_id);
  Status InsertRun(const RunRecord& run);
  // The number of planned items; their indexes are 0..count-1.
  Result<int64_t> ItemCount(const std::string& run_id);
  // Items with index > after_index, at most `limit`, by index.
  Result<std::vector<StoredItem>> QueryItems(const std::string& run_id, bool pending_only,
                                             int64_t after_index, int64_t limit);
  Status InsertItem(SqliteStatement& insert, const std::string& run_id, int64_t index,
                    const Prompt& prompt);
  Status AttachVerdicts(const std::string& run_id, std::vector<StoredItem>& items);
  // The indexes of `results` whose items have a stored result already (nullopt: not looked up,
  // assume any may).
  Result<std::optional<std::unordered_set<int64_t>>> ResultsAmong(const std::string& run_id,
                                                   const std::vector<ItemResult>& results);
  // Names the store in an error found in a row's content (bad JSON, unknown enum name).
  Status Corrupt(const Status& status, const std::string& run_id, int64_t index) const;

  // The statements that save results, prepared on first use and kept for the connection.
  Result<ResultWriter*> Writer();

  std::shared_ptr<SqliteDb> db_;
  std::unique_ptr<ResultWriter> writer_;  // after db_: its statements are finalised first
};

// Opens, configures and migrates the store's connection exactly as OpenSqliteStore does.
Result<std::unique_ptr<SqliteDb>> OpenStoreConnection(const std::string& path);

// Prefixes IoErrors with the operation: they name the store but not what was
// being done. Other codes carry complete messages from where they were made.
inline Status WithOperation(Status status, const std::string& operation) {
  if (status.code() != StatusCode::kIoError) return status;
  return status.WithContext(operation);
}

template <typename T>
Result<T> WithOperation(Result<T> result, const std::string& operation) {
  if (result.ok()) return result;
  return WithOperation(result.status(), operation);
}

}  // namespace safeval::store_internal
