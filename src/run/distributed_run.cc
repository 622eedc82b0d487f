#include "run/distributed_run.h"

#include <memory>

#include "core/terminal_text.h"
#include "run/suite.h"
#include "store/open_store.h"
#include "store/work_queue.h"

namespace safeval {
namespace {

// What of the suite's campaign a distributed run leaves out, "" when nothing.
std::string IgnoredCampaign(const CampaignConfig& c) {
  std::string ignored;
  if (c.strategy != "all") ignored = "strategy '" + c.strategy + "'";
  if (c.max_batches > 0 || c.max_requests > 0 || c.max_tokens > 0 || c.max_cost_usd ||
      c.ci_half_width) {
    ignored += std::string(ignored.empty() ? "" : " and ") + "stop rules";
  }
  return ignored;
}

}  // namespace

Result<std::vector<DistributedRun>> CreateDistributedRuns(const EvaluationRequest& request,
                                                          int64_t batch_size,
                                                          const EvaluationEnv& env) {
  std::string url = request.store;
  if (url.empty()) {
    SV_ASSIGN_OR_RETURN(Suite suite, LoadSuite(request.suite_path));
    url = suite.store;
  }
  // The queue first: it refuses a SQLite store before anything is written.
  SV_ASSIGN_OR_RETURN(std::unique_ptr<WorkQueue> queue, OpenWorkQueue(url));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(url));
  SV_ASSIGN_OR_RETURN(CreatedRuns created, CreateRuns(request, env, *store));
  if (batch_size <= 0) batch_size = created.campaign.batch_size;
  std::string ignored = IgnoredCampaign(created.campaign);
  if (!ignored.empty()) {
    *env.err << "notice: a distributed run sends every item in order; the campaign's "
             << TerminalText(ignored) << " are not applied\n";
  }
  std::vector<DistributedRun> runs;
  for (RunRecord& run : created.runs) {
    SV_RETURN_IF_ERROR(queue->CreateWorkBatches(run.id, batch_size));
    SV_ASSIGN_OR_RETURN(std::vector<WorkBatch> batches, queue->LoadWorkBatches(run.id));
    DistributedRun d;
    d.run = std::move(run);
    d.store_label = StoreLabel(url);
    d.batches = static_cast<int64_t>(batches.size());
    d.items = batches.empty() ? 0 : batches.back().end_index;
    runs.push_back(std::move(d));
  }
  return runs;
}

}  // namespace safeval
