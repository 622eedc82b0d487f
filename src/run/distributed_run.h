// `safeval run SUITE --store postgresql://… --distributed`: creates the suite's runs with all
// their items in a PostgreSQL store and splits each into work batches, executing nothing;
// `safeval worker` processes (run/distributed_worker.h) on any host then execute them.
//
// A distributed run executes every item in index order: the suite's campaign strategy and stop
// rules are not applied (a notice says so when the suite sets them).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "run/evaluation.h"

namespace safeval {

struct DistributedRun {
  RunRecord run;
  int64_t items = 0;
  int64_t batches = 0;
  std::string store_label;  // the store, fit to show (StoreLabel)
};

// `batch_size` 0 takes the suite's campaign.batch_size. The store is request.store, or the
// suite's store when empty; it must be a PostgreSQL URL (InvalidArgument "--distributed needs
// a PostgreSQL store (--store postgresql://…)" otherwise). Errors as CreateRuns and
// OpenWorkQueue.
Result<std::vector<DistributedRun>> CreateDistributedRuns(const EvaluationRequest& request,
                                                          int64_t batch_size,
                                                          const EvaluationEnv& env);

}  // namespace safeval
