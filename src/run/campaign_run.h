// Executing a stored run under its campaign: the planner (run/campaign_planner.h) picks
// each batch from the run's pending items and what earlier batches found; the executor
// sends it, judges and commits it; each batch's allocation and the estimates after it
// are recorded in the store (`safeval runs show RUN` prints them).
//
// `all` streams: batches are planned as the previous one is sent, so the endpoint is never
// idle between batches. `stratified` and `adaptive` wait for each batch's results before
// planning the next (that is their point). When a stop rule fires, the items never sent are
// recorded as skipped with the reason. Everything already committed survives any way out
// (cancel, endpoint gone, kill -9): a resumed run rebuilds the planner from the store and
// never sends an item twice.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "judge/judge.h"
#include "model/model_client.h"
#include "run/executor.h"
#include "run/suite.h"
#include "store/store.h"

namespace safeval {

struct CampaignRunOptions {
  CampaignConfig campaign;
  uint64_t seed = 0;
  double usd_per_million_prompt_tokens = 0.0;
  double usd_per_million_completion_tokens = 0.0;
  std::string cache_namespace;  // empty: no cache
  bool read_cache = true;
  std::string media_dir;        // the run's output folder
  std::function<void(const std::string&)> on_notice;
  // Told about each item's result as it is committed (e.g. the request log). May be null.
  std::function<void(const StoredItem&, const ItemResult&)> on_result;
  // The run's policy, for the findings' forbidden_tools (ExecuteOptions::policy). Borrowed.
  const Policy* policy = nullptr;
};

struct CampaignOutcome {
  ExecutionStats stats;          // summed over the batches of this session
  int batches = 0;               // batches run in this session
  std::string stop_reason;       // set when a stop rule ended the campaign
  int64_t skipped = 0;           // items recorded as skipped because of it
};

// Plans and executes the pending items of run `run_id`. Errors as ExecuteItems (the
// stats obtained before are lost to the caller, the results are not: they are saved).
Result<CampaignOutcome> RunCampaign(const std::string& run_id, ModelClient& client,
                                    const std::vector<Judge*>& judges, Store& store, Clock& clock,
                                    const CampaignRunOptions& options, ProgressSink* progress,
                                    const std::atomic<bool>* cancel);

}  // namespace safeval
