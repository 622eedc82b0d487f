// ForwardingStore: a Store that passes every call to another Store (leveldb's EnvWrapper for
// Store), so a wrapper overrides only what it changes — a test that counts a call, a fault
// injected into one method. Adding a method to Store means adding its forward here.
// Thread-safety and errors are the target's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace safeval {

class ForwardingStore : public Store {
 public:
  // Borrows `target`, which must outlive this object.
  explicit ForwardingStore(Store& target) : target_(target) {}

  Store& target() { return target_; }

  Status CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) override {
    return target_.CreateRun(run, prompts);
  }
  Status CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                            const std::function<std::string()>& dataset_hash) override {
    return target_.CreateRunStreaming(run, next, dataset_hash);
  }
  Result<RunRecord> GetRun(const std::string& run_id) override { return target_.GetRun(run_id); }
  Result<std::vector<RunRecord>> ListRuns() override { return target_.ListRuns(); }
  Result<std::vector<StoredItem>> PendingItems(const std::string& run_id) override {
    return target_.PendingItems(run_id);
  }
  Result<std::vector<StoredItem>> PendingItemsAfter(const std::string& run_id, int64_t after_index,
                                                    int64_t limit) override {
    return target_.PendingItemsAfter(run_id, after_index, limit);
  }
  Result<std::vector<StoredItem>> ItemsAt(const std::string& run_id,
                                          const std::vector<int64_t>& indexes) override {
    return target_.ItemsAt(run_id, indexes);
  }
  Status ScanItemSummaries(const std::string& run_id,
                           const std::function<void(const ItemSummary&)>& fn) override {
    return target_.ScanItemSummaries(run_id, fn);
  }
  Status ScanItems(const std::string& run_id,
                   const std::function<Status(StoredItem&&)>& fn) override {
    return target_.ScanItems(run_id, fn);
  }
  Status SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) override {
    return target_.SaveResults(run_id, results);
  }
  Result<std::vector<StoredItem>> LoadItems(const std::string& run_id) override {
    return target_.LoadItems(run_id);
  }
  Result<std::optional<StoredItem>> GetItem(const std::string& run_id, int64_t index) override {
    return target_.GetItem(run_id, index);
  }
  Status SaveVerdicts(const std::string& run_id,
                      const std::vector<std::pair<int64_t, Verdict>>& verdicts) override {
    return target_.SaveVerdicts(run_id, verdicts);
  }
  Status SaveCalibration(const JudgeCalibration& calibration) override {
    return target_.SaveCalibration(calibration);
  }
  Result<std::optional<JudgeCalibration>> FindCalibration(const std::string& judge) override {
    return target_.FindCalibration(judge);
  }
  Result<bool> HasCachedResponses(const std::string& prefix) override {
    return target_.HasCachedResponses(prefix);
  }
  Result<std::vector<std::pair<std::string, CachedResponse>>> FindCachedResponses(
      const std::vector<std::string>& keys) override {
    return target_.FindCachedResponses(keys);
  }
  Result<int64_t> SaveAttack(const std::string& run_id, const std::string& seed_id,
                             const std::string& tree_json, const Prompt& item,
                             ItemResult result) override {
    return target_.SaveAttack(run_id, seed_id, tree_json, item, std::move(result));
  }
  Result<std::vector<std::pair<std::string, std::string>>> LoadAttacks(
      const std::string& run_id) override {
    return target_.LoadAttacks(run_id);
  }
  Status SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                        const std::string& tree_json) override {
    return target_.SaveAttackTree(run_id, seed_id, tree_json);
  }
  Status SaveBatch(const std::string& run_id, const BatchRecord& batch) override {
    return target_.SaveBatch(run_id, batch);
  }
  Result<std::vector<BatchRecord>> LoadBatches(const std::string& run_id) override {
    return target_.LoadBatches(run_id);
  }
  Status UpdateRun(const RunRecord& run) override { return target_.UpdateRun(run); }

 private:
  Store& target_;
};

}  // namespace safeval
