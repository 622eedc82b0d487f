// The executor: sends a run's pending items to the model, judges each reply
// with every judge, and saves the results to the store in transactions.
//
// Nothing finished is lost: results are committed every `commit_batch` items
// or `commit_interval_ms`, whichever comes first, and on every way out
// (done, cancelled, endpoint unreachable). An item whose result was not yet
// committed when the process died is simply pending again on resume. Errors
// are outcomes, never verdicts: a failed request is model_error, a failed
// judge is judge_error, and neither enters a rate.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "judge/judge.h"
#include "model/model_client.h"
#include "policy/policy.h"
#include "run/item_source.h"
#include "store/store.h"

namespace safeval {

struct ExecutionStats {
  int64_t total = 0;           // items this execution was given
  int64_t done = 0;            // results committed or waiting to be
  int64_t model_errors = 0;
  int64_t judge_errors = 0;
  int64_t judged_unsafe = 0;   // judged harmful/adversarial items with a decided class
  int64_t violations = 0;      // among those
  int64_t elapsed_ms = 0;
  int64_t requests = 0;        // items sent to the model (cache hits are not)
  int64_t cache_hits = 0;      // items answered from the response cache
  int64_t prompt_tokens = 0;   // reported by the endpoint
  int64_t completion_tokens = 0;
};

// Told about progress after every reply; implementations must be cheap.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnProgress(const ExecutionStats& stats) = 0;
  virtual void OnFinish(const ExecutionStats& stats) = 0;
};

struct ExecuteOptions {
  int commit_batch = 200;             // results per store transaction
  int64_t commit_interval_ms = 1000;  // at most this long between commits while results arrive
  // The response cache: responses are saved under keys of this namespace
  // (run/response_cache.h); empty turns the cache off entirely.
  std::string cache_namespace;
  bool read_cache = true;             // false (--no-cache): ask the model, still save
  // Where media outputs are saved (the run's output folder); empty: not saved.
  std::string media_dir;
  // Items the source will give, for progress (0 when unknown).
  int64_t expected_total = 0;
  // Called after each item's result is known (before it is committed), e.g. to feed a
  // campaign planner. May be null.
  std::function<void(const StoredItem& item, const ItemResult& result)> on_result;
  // Messages for the user while running (circuit breaker pauses). May be null.
  std::function<void(const std::string& message)> on_notice;
  // The run's policy, for its forbidden_tools in the findings (judge/expectation_checks.h).
  // May be null: then only the items' own expectations forbid tool calls. Borrowed.
  const Policy* policy = nullptr;
  // > 0: the client runs on a thread of its own (model/threaded_client.h) with this many
  // requests taken ahead, while this thread reads the plan, judges and saves; 0: the client
  // runs on the calling thread. Either way every hook and callback runs on the calling thread.
  int client_prefetch = 0;
};

// Executes `pending` (items of run `run_id`) and saves their results.
//
// Each request carries the item's conversation, its own system prompt (ModelRequest::system,
// replacing the target's) and its tool definitions (tools_json). The reply's tool calls are
// kept in ItemResult::tool_calls, also through the response cache, whose key covers the
// system prompt and tools as well as the turns. Judges read JudgeText (the response text and
// one line per tool call); the stored response is the text alone. Findings: see JudgeBatch.
// REQUIRES: judges is non-empty; the first judge's verdict decides the item's
// violation and class. Returns the stats, or the first fatal error: the client
// could not reach its endpoint (Unavailable) or the store failed (IoError) —
// in both cases every result obtained before is saved.
Result<ExecutionStats> ExecuteItems(const std::string& run_id, ItemSource& source,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel);
// The same over a list of items (tests, small plans).
Result<ExecutionStats> ExecuteItems(const std::string& run_id, const std::vector<StoredItem>& pending,
                                    ModelClient& client, const std::vector<Judge*>& judges,
                                    Store& store, Clock& clock, const ExecuteOptions& options,
                                    ProgressSink* progress, const std::atomic<bool>* cancel);

// A model's answer waiting to be judged.
struct Answered {
  const StoredItem* item = nullptr;
  ItemResult result;  // outcome, response and transport fields set; no verdicts yet
};

// What judges read of a response: `text`, then (after a line break when `text` is not
// empty) one line per tool call, "[tool call] <name> <arguments JSON>". Just `text` when
// there are no tool calls.
std::string JudgeText(const std::string& text, const std::vector<ToolCall>& tool_calls);

// Judges every answered item with every judge, in the suite's order, each judge
// over the whole batch (so model-based judges run their requests concurrently
// and an ensemble sees its members' verdicts). Items whose outcome is not
// kJudged (model errors) are left alone. An item becomes judge_error when any
// judge failed on it (the verdicts of the others are kept). An item whose answer is
// a media output (result.media_path set) is not shown to the judges, which read text:
// each records an undetermined verdict saying it needs human (or multimodal) review. Judges
// read JudgeText(response, tool_calls). Then every item with a response (judged or
// judge_error) whose prompt asks for checks (HasExpectationChecks) gets
// result.findings = ComputeFindings(prompt, response, tool_calls, policy) — `policy` may be
// null (no forbidden_tools); other items' findings are left as they were. Exposed for
// re-judging stored runs and for tests.
void JudgeBatch(std::vector<Answered>& batch, const std::vector<Judge*>& judges,
                const Policy* policy = nullptr);

}  // namespace safeval
