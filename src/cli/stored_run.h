// Loading stored runs as the metrics see them, for the commands that read runs
// back (grade, compare, gate): open a store that must already exist, fetch a run
// and stream its items once, keeping only their scored facts (ScoreItem in
// cli/run_report.h) and prompt ids, never prompts or responses.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "metrics/scored_item.h"
#include "store/store.h"

namespace safeval {

struct StoredRun {
  RunRecord record;
  std::vector<ScoredItem> scored;       // one per item with a result, in plan order
  std::vector<std::string> prompt_ids;  // the prompt id of each scored item (parallel)
  int64_t pending = 0;                  // items without a result yet
};

// Opens the SQLite store at `path`. NotFound "no store at '<path>' (use --store PATH)"
// when there is no such file: reading commands never create an empty store.
Result<std::unique_ptr<Store>> OpenExistingStore(const std::string& path);

// The run and its scored items. NotFound for an unknown run id; IoError from the store.
Result<StoredRun> LoadStoredRun(Store& store, const std::string& run_id);

// LoadStoredRun for each id, in order; the first error stops.
Result<std::vector<StoredRun>> LoadStoredRuns(Store& store,
                                              const std::vector<std::string>& run_ids);

}  // namespace safeval
