#include "run/executor.h"

#include <optional>

namespace safeval {
namespace {

// Collects results and commits them in batches. Not thread-safe (used on the client's thread).
class ResultWriter {
 public:
  ResultWriter(Store& store, const std::string& run_id, Clock& clock, const ExecuteOptions& options)
      : store_(store), run_id_(run_id), clock_(clock), options_(options),
        last_commit_ms_(clock.NowMs()) {}

  void Add(ItemResult&& result) {
    buffer_.push_back(std::move(result));
    if (static_cast<int>(buffer_.size()) >= options_.commit_batch ||
        clock_.NowMs() - last_commit_ms_ >= options_.commit_interval_ms) {
      Flush();
    }
  }

  // Commits what is buffered; the first failure is kept and later adds are dropped.
  void Flush() {
    if (buffer_.empty() || !status_.ok()) return;
    status_ = store_.SaveResults(run_id_, buffer_);
    buffer_.clear();
    last_commit_ms_ = clock_.NowMs();
  }

  const Status& status() const { return status_; }

 private:
  Store& store_;
  const std::string& run_id_;
  Clock& clock_;
  const ExecuteOptions& options_;
  int64_t last_commit_ms_;
  std::vector<ItemResult> buffer_;
  Status status_;
};

void Count(const StoredItem& item, const ItemResult& result, ExecutionStats* stats) {
  ++stats->done;
  if (result.outcome == Outcome::kModelError) ++stats->model_errors;
  if (result.outcome == Outcome::kJudgeError) ++stats->judge_errors;
  if (result.outcome != Outcome::kJudged || !IsUnsafeIntent(item.prompt.intent)) return;
  const Verdict& v = result.verdicts.front();
  if (v.cls == ResponseClass::kUndetermined) return;
  ++stats->judged_unsafe;
  if (v.violation) ++stats->violations;
}

ItemResult ModelErrorResult(int64_t index, const ModelReply& reply) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kModelError;
  r.error = reply.error.empty() ? "the model call failed" : reply.error;
  r.http_status = reply.http_status;
  r.attempts = reply.attempts;
  r.latency_ms = reply.latency_ms;
  return r;
}

}  // namespace

ItemResult JudgeReply(const StoredItem& item, const std::string& response,
                      const std::vector<Judge*>& judges) {
  ItemResult r;
  r.index = item.index;
  r.response = response;
  r.outcome = Outcome::kJudged;
  for (Judge* judge : judges) {
    Result<Verdict> v = judge->Evaluate(item.prompt, response);
    if (!v.ok()) {
      r.outcome = Outcome::kJudgeError;
      if (!r.error.empty()) r.error += "; ";
      r.error += judge->name() + ": " + v.status().message();
      continue;
    }
    r.verdicts.push_back(std::move(v).value());
  }
  // The first judge decides; if it failed, the item cannot be counted.
  if (r.outcome == Outcome::kJudged && r.verdicts.size() != judges.size()) r.outcome = Outcome::kJudgeError;
  return r;
}

Result<ExecutionStats> ExecuteItems(const std::string& run_id, const std::vector<StoredItem>& pending,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel) {
  if (judges.empty()) return Status::InvalidArgument("no judge configured");
  ExecutionStats stats;
  stats.total = static_cast<int64_t>(pending.size());
  const int64_t started_ms = clock.NowMs();
  ResultWriter writer(store, run_id, clock, options);
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
    ItemResult result;
    if (!reply.ok) {
      result = ModelErrorResult(item.index, reply);
    } else {
      result = JudgeReply(item, reply.text, judges);
      result.http_status = reply.http_status;
      result.attempts = reply.attempts;
      result.latency_ms = reply.latency_ms;
      result.prompt_tokens = reply.prompt_tokens;
      result.completion_tokens = reply.completion_tokens;
    }
    Count(item, result, &stats);
    writer.Add(std::move(result));
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
