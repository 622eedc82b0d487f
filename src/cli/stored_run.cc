#include "cli/stored_run.h"

#include <filesystem>

#include "cli/run_report.h"
#include "store/open_store.h"

namespace safeval {

Result<std::unique_ptr<Store>> OpenExistingStore(const std::string& path) {
  std::error_code ec;
  if (!IsPostgresUrl(path) && !std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("no store at '" + path + "' (use --store PATH|URL)");
  }
  return OpenStore(path);
}

Result<StoredRun> LoadStoredRun(Store& store, const std::string& run_id) {
  StoredRun run;
  SV_ASSIGN_OR_RETURN(run.record, store.GetRun(run_id));
  // Streamed: only the scored facts and ids are kept, never prompts or responses.
  SV_RETURN_IF_ERROR(store.ScanItems(run_id, [&run](StoredItem&& item) {
    if (!item.result) {
      ++run.pending;
      return Status::Ok();
    }
    run.scored.push_back(ScoreItem(item));
    run.prompt_ids.push_back(std::move(item.prompt.id));
    return Status::Ok();
  }));
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
