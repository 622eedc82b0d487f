#include "run/distributed_leased_store.h"

namespace safeval {

Status LeasedStore::SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) {
  if (run_id != run_id_) {
    return Status::InvalidArgument("results of run " + run_id + " saved under a lease of run " +
                                   run_id_);
  }
  if (lease_lost_) {
    return Status::FailedPrecondition("lease lost: batch " + std::to_string(batch_) + " of run " +
                                      run_id_ + " is no longer leased to this worker");
  }
  if (results.empty()) return Status::Ok();
  Status saved = queue_.SaveLeasedResults(worker_id_, run_id_, batch_, results);
  if (saved.code() == StatusCode::kFailedPrecondition) lease_lost_ = true;
  if (saved.ok()) saved_ += static_cast<int64_t>(results.size());
  return saved;
}

}  // namespace safeval
