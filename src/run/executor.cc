#include "run/executor.h"

#include <deque>
#include <optional>
#include <unordered_map>

#include "judge/expectation_checks.h"
#include "model/threaded_client.h"
#include "run/media_files.h"
#include "run/response_cache.h"

namespace safeval {
namespace {

constexpr size_t kLookAhead = 256;  // items pulled (and looked up in the cache) at a time

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
  r.tool_calls = std::move(reply.tool_calls);
  return r;
}

ItemResult FromCache(int64_t index, CachedResponse&& cached) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = std::move(cached.response);
  r.prompt_tokens = cached.prompt_tokens;
  r.completion_tokens = cached.completion_tokens;
  r.media_path = std::move(cached.media_path);
  r.tool_calls = std::move(cached.tool_calls);
  r.from_cache = true;
  return r;
}

// An item on its way: pulled from the source, maybe answered from the cache.
struct Planned {
  StoredItem item;
  std::string cache_key;
  std::optional<CachedResponse> cached;
};

// Collects answers, judges them and commits them in batches. Not thread-safe
// (used on the client's thread).
class BatchWriter {
 public:
  BatchWriter(Store& store, const std::string& run_id, const std::vector<Judge*>& judges,
              Clock& clock, const ExecuteOptions& options, ExecutionStats& stats)
      : store_(store), run_id_(run_id), judges_(judges), clock_(clock), options_(options),
        stats_(stats), last_commit_ms_(clock.NowMs()) {}

  void Add(StoredItem&& item, ItemResult&& result) {
    items_.push_back(std::move(item));
    results_.push_back(std::move(result));
    if (static_cast<int>(items_.size()) >= options_.commit_batch ||
        clock_.NowMs() - last_commit_ms_ >= options_.commit_interval_ms) {
      Flush();
    }
  }

  // Judges and commits what is buffered; after the first failure later batches are dropped.
  void Flush() {
    if (items_.empty() || !status_.ok()) return;
    std::vector<Answered> batch(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) batch[i] = {&items_[i], std::move(results_[i])};
    JudgeBatch(batch, judges_, options_.policy);
    results_.clear();
    results_.reserve(batch.size());
    for (Answered& a : batch) {
      Count(*a.item, a.result, &stats_);
      if (options_.on_result) options_.on_result(*a.item, a.result);
      results_.push_back(std::move(a.result));
    }
    status_ = store_.SaveResults(run_id_, results_);
    items_.clear();
    results_.clear();
    last_commit_ms_ = clock_.NowMs();
  }

  const Status& status() const { return status_; }
  void Fail(Status status) {
    if (status_.ok()) status_ = std::move(status);
  }

 private:
  Store& store_;
  const std::string& run_id_;
  const std::vector<Judge*>& judges_;
  Clock& clock_;
  const ExecuteOptions& options_;
  ExecutionStats& stats_;
  int64_t last_commit_ms_;
  std::vector<StoredItem> items_;
  std::vector<ItemResult> results_;
  Status status_;
};

// Pulls items from the source a window at a time and looks them up in the cache.
class Feed {
 public:
  Feed(ItemSource& source, Store& store, const ExecuteOptions& options)
      : source_(source), store_(store), options_(options) {}

  Status Start() {
    if (options_.cache_namespace.empty() || !options_.read_cache) return Status::Ok();
    SV_ASSIGN_OR_RETURN(lookup_, store_.HasCachedResponses(options_.cache_namespace + "-"));
    return Status::Ok();
  }

  // The next item, nullopt at the end; an error stops the run.
  Result<std::optional<Planned>> Next() {
    if (buffer_.empty()) SV_RETURN_IF_ERROR(Refill());
    if (buffer_.empty()) return std::optional<Planned>();
    Planned next = std::move(buffer_.front());
    buffer_.pop_front();
    return std::optional<Planned>(std::move(next));
  }

 private:
  Status Refill() {
    std::vector<std::string> keys;
    while (buffer_.size() < kLookAhead) {
      SV_ASSIGN_OR_RETURN(std::optional<StoredItem> item, source_.Next());
      if (!item) break;
      Planned planned{std::move(*item), "", std::nullopt};
      if (!options_.cache_namespace.empty()) {
        planned.cache_key = CacheKey(options_.cache_namespace, planned.item.prompt);
        if (lookup_) keys.push_back(planned.cache_key);
      }
      buffer_.push_back(std::move(planned));
    }
    if (keys.empty()) return Status::Ok();
    SV_ASSIGN_OR_RETURN(auto found, store_.FindCachedResponses(keys));
    std::unordered_map<std::string, CachedResponse> by_key;
    for (auto& [key, cached] : found) by_key.emplace(key, std::move(cached));
    for (Planned& p : buffer_) {
      auto it = by_key.find(p.cache_key);
      if (it != by_key.end()) p.cached = it->second;
    }
    return Status::Ok();
  }

  ItemSource& source_;
  Store& store_;
  const ExecuteOptions& options_;
  bool lookup_ = false;  // the cache holds something of this namespace
  std::deque<Planned> buffer_;
};

}  // namespace

std::string JudgeText(const std::string& text, const std::vector<ToolCall>& tool_calls) {
  if (tool_calls.empty()) return text;
  std::string out = text;
  for (const ToolCall& call : tool_calls) {
    if (!out.empty()) out += '\n';
    out += ToolCallLine(call);
  }
  return out;
}

void JudgeBatch(std::vector<Answered>& batch, const std::vector<Judge*>& judges,
                const Policy* policy) {
  std::vector<size_t> positions;  // of the answered text items to judge
  std::vector<JudgeItem> inputs;
  // What the judges read of items with tool calls (inputs point into it: sized up front).
  std::vector<std::string> texts(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    ItemResult& r = batch[i].result;
    if (r.outcome != Outcome::kJudged) continue;
    if (!r.media_path.empty()) {
      for (Judge* judge : judges) {
        Verdict v;
        v.judge = judge->name();
        v.judge_version = judge->version();
        v.rationale = "media output (" + r.media_path +
                      "): this judge reads text only; it needs human or multimodal review";
        r.verdicts.push_back(std::move(v));
      }
      continue;
    }
    positions.push_back(i);
    std::string_view text = r.response;
    if (!r.tool_calls.empty()) text = texts[i] = JudgeText(r.response, r.tool_calls);
    inputs.push_back({&batch[i].item->prompt, text, &r.verdicts});
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
  static const Policy kNoPolicy{};
  for (Answered& a : batch) {
    ItemResult& r = a.result;
    if (r.outcome != Outcome::kJudged && r.outcome != Outcome::kJudgeError) continue;
    if (!HasExpectationChecks(a.item->prompt)) continue;
    r.findings = ComputeFindings(a.item->prompt, r.response, r.tool_calls,
                                 policy ? *policy : kNoPolicy);
  }
}

Result<ExecutionStats> ExecuteItems(const std::string& run_id, ItemSource& source,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel) {
  if (judges.empty()) return Status::InvalidArgument("no judge configured");
  ExecutionStats stats;
  stats.total = options.expected_total;
  const int64_t started_ms = clock.NowMs();
  BatchWriter writer(store, run_id, judges, clock, options, stats);
  Feed feed(source, store, options);
  SV_RETURN_IF_ERROR(feed.Start());
  std::unordered_map<uint64_t, Planned> in_flight;
  uint64_t next_tag = 0;
  bool source_done = false;

  auto finish_item = [&](Planned&& planned, ItemResult&& result) {
    ++stats.done;
    if (stats.done > stats.total) stats.total = stats.done;
    if (result.outcome == Outcome::kJudged && !result.from_cache) result.cache_key = planned.cache_key;
    writer.Add(std::move(planned.item), std::move(result));
    stats.elapsed_ms = clock.NowMs() - started_ms;
    if (progress) progress->OnProgress(stats);
  };

  RunHooks hooks;
  hooks.cancel = cancel;
  hooks.on_notice = options.on_notice;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    while (!source_done && writer.status().ok() && !(cancel && cancel->load())) {
      Result<std::optional<Planned>> next = feed.Next();
      if (!next.ok()) {
        writer.Fail(next.status());
        break;
      }
      if (!next->has_value()) break;
      Planned planned = std::move(**next);
      if (planned.cached) {
        ++stats.cache_hits;
        ItemResult result = FromCache(planned.item.index, std::move(*planned.cached));
        result.cache_key = planned.cache_key;
        finish_item(std::move(planned), std::move(result));
        continue;
      }
      ModelRequest request;
      request.tag = next_tag++;
      request.conversation = planned.item.prompt.turns;
      request.system = planned.item.prompt.system;
      request.tools_json = planned.item.prompt.tools_json;
      in_flight.emplace(request.tag, std::move(planned));
      ++stats.requests;
      return request;
    }
    source_done = true;
    return std::nullopt;
  };
  hooks.on_reply = [&](ModelReply&& reply) {
    auto it = in_flight.find(reply.tag);
    if (it == in_flight.end()) return;  // not ours: never happens with a correct client
    Planned planned = std::move(it->second);
    in_flight.erase(it);
    if (!reply.ok) ++stats.model_errors;
    if (reply.prompt_tokens > 0) stats.prompt_tokens += reply.prompt_tokens;
    if (reply.completion_tokens > 0) stats.completion_tokens += reply.completion_tokens;
    std::optional<MediaOutput> media = std::move(reply.media);
    ItemResult result = FromReply(planned.item.index, std::move(reply));
    if (result.outcome == Outcome::kJudged && media) {
      Result<std::string> saved = options.media_dir.empty()
                                      ? Result<std::string>(std::string())
                                      : SaveMedia(options.media_dir, *media);
      if (!saved.ok()) {
        writer.Fail(saved.status());
        return;
      }
      result.media_path = saved->empty() ? media->source_url : *saved;
      if (result.media_path.empty()) result.media_path = "(media without bytes or URL)";
    }
    finish_item(std::move(planned), std::move(result));
  };

  ThreadedClient threaded(client, options.client_prefetch);
  Status run_status = options.client_prefetch > 0 ? threaded.Run(hooks) : client.Run(hooks);
  writer.Flush();
  stats.elapsed_ms = clock.NowMs() - started_ms;
  if (progress) progress->OnFinish(stats);
  if (!writer.status().ok()) return writer.status();
  if (!run_status.ok()) return run_status;
  return stats;
}

Result<ExecutionStats> ExecuteItems(const std::string& run_id, const std::vector<StoredItem>& pending,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel) {
  ListItemSource source(pending);
  ExecuteOptions with_total = options;
  if (with_total.expected_total == 0) with_total.expected_total = static_cast<int64_t>(pending.size());
  return ExecuteItems(run_id, source, client, judges, store, clock, with_total, progress, cancel);
}

}  // namespace safeval
