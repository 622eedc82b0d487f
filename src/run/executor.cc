#include "run/executor.h"

#include <optional>

namespace safeval {
namespace {

void Count(const StoredItem& item, const ItemResult& result, ExecutionStats* stats) {
  if (result.outcome == Outcome::kJudgeError) ++stats->judge_errors;
  if (result.outcome != Outcome::kJudged || !IsUnsafeIntent(item.prompt.intent)) return;
  const Verdict& v = result.verdicts.front();
  if (v.cls == ResponseClass::kUndetermined) return;
  ++stats->judged_unsafe;
  if (v.violation) ++stats->violations;
}

ItemResult FromReply(int64_t index, ModelReply&& reply) {
  ItemResult r;
  r.index = index;
  r.http_status = reply.http_status;
  r.attempts = reply.attempts;
  r.latency_ms = reply.latency_ms;
  if (!reply.ok) {
    r.outcome = Outcome::kModelError;
    r.error = reply.error.empty() ? "the model call failed" : std::move(reply.error);
    return r;
  }
  r.outcome = Outcome::kJudged;
  r.response = std::move(reply.text);
  r.prompt_tokens = reply.prompt_tokens;
  r.completion_tokens = reply.completion_tokens;
  return r;
}

// Collects answers, judges them and commits them in batches. Not thread-safe
// (used on the client's thread).
class BatchWriter {
 public:
  BatchWriter(Store& store, const std::string& run_id, const std::vector<Judge*>& judges,
              Clock& clock, const ExecuteOptions& options, ExecutionStats& stats)
      : store_(store), run_id_(run_id), judges_(judges), clock_(clock), options_(options),
        stats_(stats), last_commit_ms_(clock.NowMs()) {}

  void Add(Answered&& answered) {
    batch_.push_back(std::move(answered));
    if (static_cast<int>(batch_.size()) >= options_.commit_batch ||
        clock_.NowMs() - last_commit_ms_ >= options_.commit_interval_ms) {
      Flush();
    }
  }

  // Judges and commits what is buffered; after the first failure later batches are dropped.
  void Flush() {
    if (batch_.empty() || !status_.ok()) return;
    JudgeBatch(batch_, judges_);
    std::vector<ItemResult> results;
    results.reserve(batch_.size());
    for (Answered& a : batch_) {
      Count(*a.item, a.result, &stats_);
      results.push_back(std::move(a.result));
    }
    batch_.clear();
    status_ = store_.SaveResults(run_id_, results);
    last_commit_ms_ = clock_.NowMs();
  }

  const Status& status() const { return status_; }

 private:
  Store& store_;
  const std::string& run_id_;
  const std::vector<Judge*>& judges_;
  Clock& clock_;
  const ExecuteOptions& options_;
  ExecutionStats& stats_;
  int64_t last_commit_ms_;
  std::vector<Answered> batch_;
  Status status_;
};

}  // namespace

void JudgeBatch(std::vector<Answered>& batch, const std::vector<Judge*>& judges) {
  std::vector<size_t> positions;  // of the answered items to judge
  std::vector<JudgeItem> inputs;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].result.outcome != Outcome::kJudged) continue;
    positions.push_back(i);
    inputs.push_back({&batch[i].item->prompt, batch[i].result.response, &batch[i].result.verdicts});
  }
  for (Judge* judge : judges) {
    std::vector<Result<Verdict>> verdicts = judge->EvaluateBatch(inputs);
    for (size_t k = 0; k < positions.size(); ++k) {
      ItemResult& r = batch[positions[k]].result;
      Result<Verdict>& v = verdicts.at(k);
      if (v.ok()) {
        r.verdicts.push_back(std::move(v).value());
        continue;
      }
      r.outcome = Outcome::kJudgeError;
      if (!r.error.empty()) r.error += "; ";
      r.error += judge->name() + ": " + v.status().message();
    }
  }
}

Result<ExecutionStats> ExecuteItems(const std::string& run_id, const std::vector<StoredItem>& pending,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel) {
  if (judges.empty()) return Status::InvalidArgument("no judge configured");
  ExecutionStats stats;
  stats.total = static_cast<int64_t>(pending.size());
  const int64_t started_ms = clock.NowMs();
  BatchWriter writer(store, run_id, judges, clock, options, stats);
  size_t next_index = 0;

  RunHooks hooks;
  hooks.cancel = cancel;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (next_index >= pending.size() || !writer.status().ok()) return std::nullopt;
    ModelRequest request;
    request.tag = next_index;
    request.conversation = pending[next_index].prompt.turns;
    ++next_index;
    return request;
  };
  hooks.on_reply = [&](ModelReply&& reply) {
    const StoredItem& item = pending.at(reply.tag);
    ++stats.done;
    if (!reply.ok) ++stats.model_errors;
    writer.Add({&item, FromReply(item.index, std::move(reply))});
    stats.elapsed_ms = clock.NowMs() - started_ms;
    if (progress) progress->OnProgress(stats);
  };

  Status run_status = client.Run(hooks);
  writer.Flush();
  stats.elapsed_ms = clock.NowMs() - started_ms;
  if (progress) progress->OnFinish(stats);
  if (!writer.status().ok()) return writer.status();
  if (!run_status.ok()) return run_status;
  return stats;
}

}  // namespace safeval
