// LeasedStore: a Store seen through a worker's lease of one batch (`safeval worker`). It
// forwards every call to the store, except SaveResults, which goes to the work queue's
// SaveLeasedResults: results are written only while the worker still holds the batch's lease,
// in the same transaction that checks it. The executor needs no knowledge of leases.
//
// After a lost lease (FailedPrecondition from the queue) lease_lost() is true and every later
// SaveResults fails the same way without writing. Not thread-safe (as Store).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "store/work_queue.h"

namespace safeval {

class LeasedStore : public Store {
 public:
  // Borrows `store` and `queue`, which must outlive this object.
  LeasedStore(Store& store, WorkQueue& queue, std::string worker_id, std::string run_id,
              int64_t batch)
      : store_(store), queue_(queue), worker_id_(std::move(worker_id)), run_id_(std::move(run_id)),
        batch_(batch) {}

  bool lease_lost() const { return lease_lost_; }
  int64_t saved() const { return saved_; }  // results saved under the lease

  // REQUIRES: run_id is the leased batch's run (InvalidArgument otherwise).
  Status SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) override;

  Status CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) override {
    return store_.CreateRun(run, prompts);
  }
  Status CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                            const std::function<std::string()>& dataset_hash) override {
    return store_.CreateRunStreaming(run, next, dataset_hash);
  }
  Result<RunRecord> GetRun(const std::string& run_id) override { return store_.GetRun(run_id); }
  Result<std::vector<RunRecord>> ListRuns() override { return store_.ListRuns(); }
  Result<std::vector<StoredItem>> PendingItems(const std::string& run_id) override {
    return store_.PendingItems(run_id);
  }
  Result<std::vector<StoredItem>> PendingItemsAfter(const std::string& run_id, int64_t after_index,
                                                    int64_t limit) override {
    return store_.PendingItemsAfter(run_id, after_index, limit);
  }
  Result<std::vector<StoredItem>> ItemsAt(const std::string& run_id,
                                          const std::vector<int64_t>& indexes) override {
    return store_.ItemsAt(run_id, indexes);
  }
  Status ScanItemSummaries(const std::string& run_id,
                           const std::function<void(const ItemSummary&)>& fn) override {
    return store_.ScanItemSummaries(run_id, fn);
  }
  Status ScanItems(const std::string& run_id,
                   const std::function<Status(StoredItem&&)>& fn) override {
    return store_.ScanItems(run_id, fn);
  }
  Result<std::vector<StoredItem>> LoadItems(const std::string& run_id) override {
    return store_.LoadItems(run_id);
  }
  Result<std::optional<StoredItem>> GetItem(const std::string& run_id, int64_t index) override {
    return store_.GetItem(run_id, index);
  }
  Status SaveVerdicts(const std::string& run_id,
                      const std::vector<std::pair<int64_t, Verdict>>& verdicts) override {
    return store_.SaveVerdicts(run_id, verdicts);
  }
  Status SaveCalibration(const JudgeCalibration& calibration) override {
    return store_.SaveCalibration(calibration);
  }
  Result<std::optional<JudgeCalibration>> FindCalibration(const std::string& judge) override {
    return store_.FindCalibration(judge);
  }
  Result<bool> HasCachedResponses(const std::string& prefix) override {
    return store_.HasCachedResponses(prefix);
  }
  Result<std::vector<std::pair<std::string, CachedResponse>>> FindCachedResponses(
      const std::vector<std::string>& keys) override {
    return store_.FindCachedResponses(keys);
  }
  Result<int64_t> SaveAttack(const std::string& run_id, const std::string& seed_id,
                             const std::string& tree_json, const Prompt& item,
                             ItemResult result) override {
    return store_.SaveAttack(run_id, seed_id, tree_json, item, std::move(result));
  }
  Result<std::vector<std::pair<std::string, std::string>>> LoadAttacks(
      const std::string& run_id) override {
    return store_.LoadAttacks(run_id);
  }
  Status SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                        const std::string& tree_json) override {
    return store_.SaveAttackTree(run_id, seed_id, tree_json);
  }
  Status SaveBatch(const std::string& run_id, const BatchRecord& batch) override {
    return store_.SaveBatch(run_id, batch);
  }
  Result<std::vector<BatchRecord>> LoadBatches(const std::string& run_id) override {
    return store_.LoadBatches(run_id);
  }
  Status UpdateRun(const RunRecord& run) override { return store_.UpdateRun(run); }

 private:
  Store& store_;
  WorkQueue& queue_;
  const std::string worker_id_;
  const std::string run_id_;
  const int64_t batch_;
  bool lease_lost_ = false;
  int64_t saved_ = 0;
};

}  // namespace safeval
