// `safeval worker`: one process of a distributed run (store/work_queue.h). It registers, then
// leases batches one at a time: it rebuilds the batch's run (suite, target, judges) as
// `run --resume` does, executes the batch's pending items with ExecuteItems through a
// LeasedStore (results are saved only under the lease), renews the lease from a heartbeat
// thread every lease/3 and completes the batch. A lost lease stops the batch (what was not
// saved is done by whoever holds the batch now) and the worker moves on to the next one.
//
// It stops when nothing is left to do: no batch of its run (of any running run without one)
// is pending or leased. A batch leased by another worker keeps it waiting, polling, since that
// worker may die and its lease expire. On cancel (SIGINT) it stops after the current save; the
// batch's lease then expires and another worker finishes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "run/evaluation.h"
#include "store/store.h"
#include "store/work_queue.h"

namespace safeval {

struct WorkerOptions {
  WorkerRecord identity;            // id, host, pid and run_id as registered
  std::optional<int> concurrency;   // requests in flight (overrides the target's)
  std::chrono::seconds lease{60};   // lease length; renewed every lease/3
  int64_t idle_poll_ms = 1000;      // wait between polls while only others' leases are open
  std::string store_label;          // the store as shown in messages (no password)
};

struct WorkerSummary {
  int64_t batches = 0;        // batches completed by this worker
  int64_t items = 0;          // results saved
  int64_t lost_leases = 0;    // batches given up because the lease was lost
  bool interrupted = false;   // stopped by env.cancel
};

// Runs the worker loop until no work is left or env.cancel is set. `queue` and `heartbeat` are
// two queues of the same store (the heartbeat thread uses the second, so it never waits for a
// save); `store` is the store itself. env.write_report, when set, writes the report of a run
// whose last batch this worker completed (a failure is a notice, not an error).
// Errors: IoError from the store or queue; Unavailable when a target cannot be reached (the
// batch's saved results stay, its lease expires); what RebuildRunSetup returns for a run whose
// suite cannot be rebuilt here.
Result<WorkerSummary> RunWorker(const WorkerOptions& options, WorkQueue& queue,
                                WorkQueue& heartbeat, Store& store, const EvaluationEnv& env);

}  // namespace safeval
