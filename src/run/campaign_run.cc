#include "run/campaign_run.h"

#include <algorithm>
#include <optional>

#include "run/campaign_planner.h"
#include "run/item_source.h"

namespace safeval {
namespace {

// Results per store transaction, at most; the executor also commits at least every second.
// Large transactions matter at speed: each commit rewrites the B-trees' hot pages into the
// WAL, so 2,000 per commit writes a tenth of what 200 would. A crash loses at most a second
// of answers, which the resumed run asks for again.
constexpr int kCommitBatch = 2000;
// Requests taken ahead for the client's own thread (ExecuteOptions::client_prefetch): enough
// for the time this thread spends committing kCommitBatch results (tens of milliseconds, while
// an instant endpoint answers 30,000+ requests a second), so the client never waits for work.
constexpr int kClientPrefetch = 4096;

std::string_view TopLevel(std::string_view category) {
  return category.substr(0, category.find('/'));
}

bool IsFailure(Intent intent, ResponseClass cls, bool violation) {
  if (intent == Intent::kSafe) return cls == ResponseClass::kRefuses || cls == ResponseClass::kDeflects;
  return violation;
}

bool IsRetried(Outcome outcome) {
  return outcome == Outcome::kModelError || outcome == Outcome::kJudgeError;
}

// The planner of a stored run, with every finished item marked.
Result<CampaignPlanner> LoadPlanner(Store& store, const std::string& run_id,
                                 const CampaignRunOptions& options) {
  CampaignCellIndex cells;
  std::vector<CellId> cell_of_item;
  std::vector<int64_t> finished;
  std::vector<uint8_t> flags;  // bit 0 counted, bit 1 failure
  CampaignSpend prior;
  SV_RETURN_IF_ERROR(store.ScanItemSummaries(run_id, [&](const ItemSummary& s) {
    cell_of_item.push_back(cells.Intern(TopLevel(s.category), s.intent));
    if (!s.has_result || IsRetried(s.outcome)) return;
    bool counted = s.outcome == Outcome::kJudged && s.cls != ResponseClass::kUndetermined;
    finished.push_back(s.index);
    flags.push_back(static_cast<uint8_t>((counted ? 1 : 0) |
                                         (counted && IsFailure(s.intent, s.cls, s.violation) ? 2 : 0)));
    if (s.outcome != Outcome::kSkipped) ++prior.requests;
    prior.prompt_tokens += s.tokens;  // prompt + completion, split unknown: priced as prompt
  }));
  SV_ASSIGN_OR_RETURN(std::vector<BatchRecord> batches, store.LoadBatches(run_id));
  prior.batches = static_cast<int>(batches.size());
  CampaignPlan plan;
  plan.strategy = *ParseCampaignStrategy(options.campaign.strategy);
  plan.batch_size = options.campaign.batch_size;
  plan.max_batches = options.campaign.max_batches;
  plan.max_requests = options.campaign.max_requests;
  plan.max_tokens = options.campaign.max_tokens;
  plan.max_cost_usd = options.campaign.max_cost_usd;
  plan.ci_half_width = options.campaign.ci_half_width;
  plan.usd_per_million_prompt_tokens = options.usd_per_million_prompt_tokens;
  plan.usd_per_million_completion_tokens = options.usd_per_million_completion_tokens;
  plan.seed = options.seed;
  SV_ASSIGN_OR_RETURN(CampaignPlanner planner,
                      CampaignPlanner::Create(plan, std::move(cell_of_item), cells.cells(), prior));
  for (size_t i = 0; i < finished.size(); ++i) {
    planner.MarkFinished(finished[i], flags[i] & 1, flags[i] & 2);
  }
  return planner;
}

BatchRecord StartedBatch(const PlannedBatch& planned, const CampaignRunOptions& options,
                         Clock& clock) {
  BatchRecord record;
  record.number = planned.number;
  record.strategy = options.campaign.strategy;
  record.started_at = clock.NowIso8601();
  for (const CellAllocation& a : planned.allocation) record.allocation.push_back({a.cell, a.count, 0});
  return record;
}

void Finish(BatchRecord& record, const CampaignPlanner& planner, Clock& clock) {
  record.finished_at = clock.NowIso8601();
  record.estimates.clear();
  for (const HazardEstimate& h : planner.HazardEstimates()) {
    record.estimates.push_back({h.hazard, h.counted, h.failures});
  }
  record.requests = planner.requests_used();
  record.tokens = planner.tokens_used();
}

// `all`: the planner's batches, in index order, read with range scans and planned as the
// previous batch is pulled (no pause between batches).
class StreamingBatches : public ItemSource {
 public:
  StreamingBatches(Store& store, const std::string& run_id, CampaignPlanner& planner,
                   const CampaignRunOptions& options, Clock& clock)
      : store_(store), run_id_(run_id), pending_(store, run_id), planner_(planner),
        options_(options), clock_(clock) {}

  Result<std::optional<StoredItem>> Next() override {
    while (next_ == batch_.size()) {
      SV_RETURN_IF_ERROR(CloseBatch());
      std::optional<PlannedBatch> planned = planner_.NextBatch();
      if (!planned) return std::optional<StoredItem>();
      batch_ = std::move(planned->indexes);
      next_ = 0;
      record_ = StartedBatch(*planned, options_, clock_);
      SV_RETURN_IF_ERROR(store_.SaveBatch(run_id_, *record_));
      ++batches_;
    }
    int64_t want = batch_[next_++];
    while (true) {
      SV_ASSIGN_OR_RETURN(std::optional<StoredItem> item, pending_.Next());
      if (!item) return Status::Internal("the plan of run " + run_id_ + " lists item " +
                                         std::to_string(want) + ", which is not pending");
      if (item->index == want) return item;
      if (item->index > want) {
        return Status::Internal("the plan of run " + run_id_ + " and its pending items disagree");
      }
    }
  }

  // Records the estimates after the last batch pulled (called at the end too).
  Status CloseBatch() {
    if (!record_) return Status::Ok();
    Finish(*record_, planner_, clock_);
    Status saved = store_.SaveBatch(run_id_, *record_);
    record_.reset();
    return saved;
  }

  int batches() const { return batches_; }

 private:
  Store& store_;
  const std::string& run_id_;
  PendingItemSource pending_;
  CampaignPlanner& planner_;
  const CampaignRunOptions& options_;
  Clock& clock_;
  std::vector<int64_t> batch_;
  size_t next_ = 0;
  std::optional<BatchRecord> record_;
  int batches_ = 0;
};

void Add(ExecutionStats& sum, const ExecutionStats& part) {
  sum.done += part.done;
  sum.model_errors += part.model_errors;
  sum.judge_errors += part.judge_errors;
  sum.judged_unsafe += part.judged_unsafe;
  sum.violations += part.violations;
  sum.requests += part.requests;
  sum.cache_hits += part.cache_hits;
  sum.prompt_tokens += part.prompt_tokens;
  sum.completion_tokens += part.completion_tokens;
}

// Shows batches of one campaign as one progress line: counts add up across batches.
class CampaignProgress : public ProgressSink {
 public:
  CampaignProgress(ProgressSink* sink, Clock& clock, int64_t total)
      : sink_(sink), clock_(clock), started_ms_(clock.NowMs()) {
    before_.total = total;
  }
  void OnProgress(const ExecutionStats& stats) override {
    if (sink_) sink_->OnProgress(Combined(stats));
  }
  void OnFinish(const ExecutionStats& stats) override { Add(before_, stats); }
  void Done() {
    before_.elapsed_ms = clock_.NowMs() - started_ms_;
    if (sink_) sink_->OnFinish(before_);
  }
  const ExecutionStats& totals() const { return before_; }

 private:
  ExecutionStats Combined(const ExecutionStats& stats) const {
    ExecutionStats s = before_;
    Add(s, stats);
    s.total = std::max(before_.total, s.done);
    s.elapsed_ms = clock_.NowMs() - started_ms_;
    return s;
  }
  ProgressSink* sink_;
  Clock& clock_;
  int64_t started_ms_;
  ExecutionStats before_;
};

// Items still pending when a stop rule ended the campaign become skipped, with the reason.
Result<int64_t> RecordSkipped(Store& store, const std::string& run_id, const std::string& reason) {
  int64_t skipped = 0;
  PendingItemSource pending(store, run_id);
  std::vector<ItemResult> results;
  auto flush = [&]() -> Status {
    Status s = store.SaveResults(run_id, results);
    results.clear();
    return s;
  };
  // Collect first (the source reads in windows; writing between reads is fine, the windows
  // move forward by index).
  while (true) {
    SV_ASSIGN_OR_RETURN(std::optional<StoredItem> item, pending.Next());
    if (!item) break;
    ItemResult r;
    r.index = item->index;
    r.outcome = Outcome::kSkipped;
    r.error = "not sent: the campaign stopped (" + reason + ")";
    results.push_back(std::move(r));
    ++skipped;
    if (results.size() >= 1000) SV_RETURN_IF_ERROR(flush());
  }
  if (!results.empty()) SV_RETURN_IF_ERROR(flush());
  return skipped;
}

}  // namespace

Result<CampaignOutcome> RunCampaign(const std::string& run_id, ModelClient& client,
                                    const std::vector<Judge*>& judges, Store& store, Clock& clock,
                                    const CampaignRunOptions& options, ProgressSink* progress,
                                    const std::atomic<bool>* cancel) {
  SV_ASSIGN_OR_RETURN(CampaignPlanner planner, LoadPlanner(store, run_id, options));
  int64_t to_do = planner.pending();
  if (options.campaign.max_requests > 0) {
    to_do = std::min(to_do, std::max<int64_t>(0, options.campaign.max_requests - planner.requests_used()));
  }
  CampaignProgress combined(progress, clock, to_do);
  ExecuteOptions exec;
  exec.commit_batch = kCommitBatch;
  // Requests taken ahead are sent whatever happens, so when a spending or precision rule may
  // stop an `all` campaign between batches the client stays on this thread, where it takes a
  // request only when it can send it: the overshoot stays what it was (a look-ahead window).
  const CampaignConfig& c = options.campaign;
  bool soft_stop = c.max_tokens > 0 || c.max_cost_usd.has_value() || c.ci_half_width.has_value();
  exec.client_prefetch = c.strategy == "all" && soft_stop ? 0 : kClientPrefetch;
  exec.cache_namespace = options.cache_namespace;
  exec.read_cache = options.read_cache;
  exec.media_dir = options.media_dir;
  exec.expected_total = to_do;
  exec.on_notice = options.on_notice;
  exec.policy = options.policy;
  exec.on_result = [&](const StoredItem& item, const ItemResult& result) {
    if (options.on_result) options.on_result(item, result);
    if (IsRetried(result.outcome)) return;  // pending again: not finished
    bool counted = false, failure = false;
    if (result.outcome == Outcome::kJudged && !result.verdicts.empty() &&
        result.verdicts.front().cls != ResponseClass::kUndetermined) {
      counted = true;
      const Verdict& v = result.verdicts.front();
      failure = IsFailure(item.prompt.intent, v.cls, v.violation);
    }
    planner.Observe(item.index, counted, failure);
    if (!result.from_cache) {
      planner.AddSpend(std::max(0, result.prompt_tokens), std::max(0, result.completion_tokens));
    }
  };
  CampaignOutcome outcome;
  auto cancelled = [&] { return cancel && cancel->load(); };

  if (options.campaign.strategy == "all") {
    StreamingBatches source(store, run_id, planner, options, clock);
    Result<ExecutionStats> stats =
        ExecuteItems(run_id, source, client, judges, store, clock, exec, &combined, cancel);
    outcome.batches = source.batches();
    if (!stats.ok()) return stats.status();
    SV_RETURN_IF_ERROR(source.CloseBatch());
  } else {
    while (!cancelled()) {
      std::optional<PlannedBatch> planned = planner.NextBatch();
      if (!planned) break;
      BatchRecord record = StartedBatch(*planned, options, clock);
      SV_RETURN_IF_ERROR(store.SaveBatch(run_id, record));
      ++outcome.batches;
      IndexedItemSource source(store, run_id, std::move(planned->indexes));
      Result<ExecutionStats> stats =
          ExecuteItems(run_id, source, client, judges, store, clock, exec, &combined, cancel);
      if (!stats.ok()) return stats.status();
      Finish(record, planner, clock);
      SV_RETURN_IF_ERROR(store.SaveBatch(run_id, record));
    }
  }
  combined.Done();
  outcome.stats = combined.totals();
  if (!cancelled() && planner.StopReason()) {
    outcome.stop_reason = *planner.StopReason();
    SV_ASSIGN_OR_RETURN(outcome.skipped, RecordSkipped(store, run_id, outcome.stop_reason));
    SV_ASSIGN_OR_RETURN(std::vector<BatchRecord> batches, store.LoadBatches(run_id));
    if (!batches.empty()) {
      batches.back().stop_reason = outcome.stop_reason;
      SV_RETURN_IF_ERROR(store.SaveBatch(run_id, batches.back()));
    }
  }
  return outcome;
}

}  // namespace safeval
