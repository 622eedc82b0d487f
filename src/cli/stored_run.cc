#include "cli/stored_run.h"

#include <filesystem>

#include "cli/run_report.h"

namespace safeval {

Result<std::unique_ptr<Store>> OpenExistingStore(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("no store at '" + path + "' (use --store PATH)");
  }
  return OpenSqliteStore(path);
}

Result<StoredRun> LoadStoredRun(Store& store, const std::string& run_id) {
  StoredRun run;
  SV_ASSIGN_OR_RETURN(run.record, store.GetRun(run_id));
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.LoadItems(run_id));
  run.scored = ScoreItems(items);
  // ScoreItems keeps exactly the items with a result, in order: ids line up with it.
  run.prompt_ids.reserve(run.scored.size());
  for (const StoredItem& item : items) {
    if (item.result) {
      run.prompt_ids.push_back(item.prompt.id);
    } else {
      ++run.pending;
    }
  }
  if (run.prompt_ids.size() != run.scored.size()) {
    return Status::Internal("scored items of run '" + run_id + "' do not line up with its items");
  }
  return run;
}

Result<std::vector<StoredRun>> LoadStoredRuns(Store& store,
                                              const std::vector<std::string>& run_ids) {
  std::vector<StoredRun> runs;
  for (const std::string& id : run_ids) {
    SV_ASSIGN_OR_RETURN(StoredRun run, LoadStoredRun(store, id));
    runs.push_back(std::move(run));
  }
  return runs;
}

}  // namespace safeval
