// WorkQueue: a distributed run's batches and the workers that lease them (PostgreSQL only:
// `safeval run --distributed` and `safeval worker`). A batch is a range of item indexes of one
// run. A worker leases a pending batch (SELECT … FOR UPDATE SKIP LOCKED), or one whose lease
// expired, renews its lease by heartbeat, saves results only while it still holds the lease, and
// completes the batch. A worker killed mid-batch loses nothing: its saved results stay, the lease
// expires, another worker takes the batch and does only the items still pending.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace safeval {

struct WorkBatch {
  std::string run_id;
  int64_t number = 0;       // 1, 2, ... in index order
  int64_t first_index = 0;  // items [first_index, end_index)
  int64_t end_index = 0;
  std::string state;        // "pending" | "leased" | "done"
  std::string worker;       // the lease holder ("" when pending)
  std::string lease_expires_at;  // ISO 8601 UTC ("" when pending)
  int leases = 0;           // how many times it was leased (> 1: a worker died or gave up)
};

struct WorkerRecord {
  std::string id;           // "<host>-<pid>-<random>"
  std::string host;
  int64_t pid = 0;
  std::string run_id;       // the run it is restricted to ("" any)
  std::string started_at;
  std::string last_seen;    // last heartbeat
  int64_t items_done = 0;   // results saved
};

class WorkQueue {
 public:
  virtual ~WorkQueue() = default;
  // Splits the run's items into batches of `batch_size` (the last may be smaller). A run that
  // already has batches keeps them (idempotent). NotFound for an unknown run.
  virtual Status CreateWorkBatches(const std::string& run_id, int64_t batch_size) = 0;
  virtual Status RegisterWorker(const WorkerRecord& worker) = 0;
  // Leases one batch for `lease` to `worker_id`: a pending one, or a leased one whose lease
  // expired, of `run_id` (any run whose status is "running" when empty), lowest number first;
  // nullopt when none is available now.
  virtual Result<std::optional<WorkBatch>> LeaseBatch(const std::string& worker_id,
                                                      const std::string& run_id,
                                                      std::chrono::seconds lease) = 0;
  // Extends the worker's lease of the batch and its last_seen. FailedPrecondition "lease lost"
  // when the batch is no longer leased to it.
  virtual Status RenewLease(const std::string& worker_id, const std::string& run_id,
                            int64_t batch, std::chrono::seconds lease) = 0;
  // Saves results of the batch's items (as Store::SaveResults, each index inside the batch) in
  // one transaction that first checks the worker still holds an unexpired lease of the batch:
  // FailedPrecondition "lease lost" and nothing written otherwise.
  virtual Status SaveLeasedResults(const std::string& worker_id, const std::string& run_id,
                                   int64_t batch, const std::vector<ItemResult>& results) = 0;
  // Marks the batch done (only by its lease holder); when every batch of the run is done the
  // run's status becomes "finished" with finished_at set.
  virtual Status CompleteBatch(const std::string& worker_id, const std::string& run_id,
                               int64_t batch) = 0;
  virtual Result<std::vector<WorkBatch>> LoadWorkBatches(const std::string& run_id) = 0;
  virtual Result<std::vector<WorkerRecord>> ListWorkers(const std::string& run_id) = 0;
};

// The work queue of a PostgreSQL store (`spec` a URL, see open_store.h); InvalidArgument
// "--distributed needs a PostgreSQL store (--store postgresql://…)" for anything else.
Result<std::unique_ptr<WorkQueue>> OpenWorkQueue(const std::string& spec);

}  // namespace safeval
