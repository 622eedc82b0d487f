// Store: where runs, their planned items, responses and verdicts live.
// Writes are transactional per call: after SaveResults returns Ok its results
// survive a process crash; a crash during the call leaves none of them. A run
// killed at any point resumes from PendingItems() with nothing lost and nothing
// repeated. Implementations are not thread-safe: one writer per Store object
// (several processes may open the same SQLite file; writers take turns).
//
// Errors (never exceptions): NotFound "no run '<id>' in <path>" for an unknown
// run; InvalidArgument for bad input (duplicate run id, item index out of
// range, two verdicts from one judge for an item, a prompt or evidence cue
// that is not UTF-8); IoError "<operation>: store '<path>': <reason>" for
// database failures and corrupt rows.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/calibration.h"
#include "core/findings.h"
#include "core/prompt.h"
#include "core/response_class.h"
#include "core/status.h"
#include "core/verdict.h"

namespace safeval {

struct RunRecord {
  std::string id;               // e.g. "20261128-031000-quickstart-demo-1a2b"
  std::string suite_name;
  std::string suite_path;       // absolute path of the suite file it came from
  std::string target_name;      // the target's name in the suite
  std::string target_identity;  // ModelClient::Identity(), no secrets
  bool demo = false;            // ran against the built-in demo target
  std::string config_json;      // snapshot of the resolved suite (no secrets)
  std::string config_hash;
  std::string dataset_hash;
  std::vector<std::string> judges;  // "name@version"
  uint64_t seed = 0;
  std::string started_at;       // ISO 8601 UTC
  std::string finished_at;      // empty while running
  std::string status;           // "running" | "finished" | "interrupted" | "failed"
  std::string output_dir;       // where report.html and results.json go
};

// The result of one item. One row per item; saving again replaces it.
struct ItemResult {
  int64_t index = 0;            // position in the run's plan
  Outcome outcome = Outcome::kSkipped;
  std::string response;
  std::string error;            // for model_error / judge_error
  int http_status = 0;
  int attempts = 0;
  int64_t latency_ms = 0;
  int prompt_tokens = -1;
  int completion_tokens = -1;
  std::vector<Verdict> verdicts;  // one per judge
  // Set by the executor when the response came from (or may go to) the response cache:
  // saving a judged result with a key also stores the response under it.
  std::string cache_key;
  bool from_cache = false;      // the response was taken from the cache, not the model
  std::string media_path;       // a saved media output (images targets), relative to the run folder
  std::vector<ToolCall> tool_calls;  // the tool calls in the response
  Findings findings;                 // the deterministic checks' findings (judge/expectation_checks.h)
};

// A response remembered for a (target config, conversation) key (see run/response_cache.h).
struct CachedResponse {
  std::string response;
  int prompt_tokens = -1;
  int completion_tokens = -1;
  std::string media_path;
  std::vector<ToolCall> tool_calls;  // the tool calls of the cached response
};

// What the campaign planner needs of an item, without parsing its prompt.
struct ItemSummary {
  int64_t index = 0;
  std::string category;          // "a/b/c"
  Intent intent = Intent::kSafe;
  bool has_result = false;       // a result row exists (any outcome)
  Outcome outcome = Outcome::kSkipped;
  ResponseClass cls = ResponseClass::kUndetermined;  // of the deciding (first) verdict
  bool violation = false;
  int64_t tokens = 0;            // prompt + completion tokens reported (0 when unknown)
};

// One campaign batch: what was planned, and the estimates once it was done.
struct CellCount {
  std::string cell;       // "hazard/intent" for allocations, "hazard" for estimates
  int64_t items = 0;      // planned (allocation) or counted (estimates)
  int64_t failures = 0;   // estimates only: violations (or over-deflections for safe)
};
struct BatchRecord {
  int number = 0;                      // 1, 2, ... in the order they ran
  std::string strategy;                // "all" | "stratified" | "adaptive"
  std::string started_at;
  std::string finished_at;             // empty while running
  std::vector<CellCount> allocation;   // planned items per cell
  std::vector<CellCount> estimates;    // per hazard after the batch, cumulative over the run
  int64_t requests = 0;                // cumulative requests sent by the end of the batch
  int64_t tokens = 0;                  // cumulative tokens
  std::string stop_reason;             // set on the last batch when a stop rule fired
};

struct StoredItem {
  int64_t index = 0;
  Prompt prompt;
  std::optional<ItemResult> result;  // nullopt while pending
};

class Store {
 public:
  virtual ~Store() = default;
  // Creates the run and its planned items (index = position in `prompts`) in one
  // transaction. Prompts are stored whole except `origin`. A run id already in
  // the store is InvalidArgument and changes nothing.
  virtual Status CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) = 0;
  // As CreateRun, pulling prompts from `next` (nullopt ends the plan, an error aborts it and
  // nothing is written) inside one transaction, so datasets of any size stream in. When
  // `dataset_hash` is set it is called after the last prompt and its value replaces
  // run.dataset_hash (a streamed dataset's hash is known only at its end).
  using PromptSource = std::function<Result<std::optional<Prompt>>()>;
  virtual Status CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                                    const std::function<std::string()>& dataset_hash) = 0;
  virtual Result<RunRecord> GetRun(const std::string& run_id) = 0;
  // All runs, newest first.
  virtual Result<std::vector<RunRecord>> ListRuns() = 0;
  // Items with no result yet, or whose result is model_error or judge_error (retried), by index.
  // Their `result` is nullopt: a failed earlier attempt is about to be redone.
  virtual Result<std::vector<StoredItem>> PendingItems(const std::string& run_id) = 0;
  // The pending items with index > after_index, at most `limit`, by index: a window, so a
  // run of any size is executed in bounded memory.
  virtual Result<std::vector<StoredItem>> PendingItemsAfter(const std::string& run_id,
                                                            int64_t after_index, int64_t limit) = 0;
  // The items with these indexes (pending or not), without results, by index. Unknown indexes
  // are skipped.
  virtual Result<std::vector<StoredItem>> ItemsAt(const std::string& run_id,
                                                  const std::vector<int64_t>& indexes) = 0;
  // Every item's summary by index, streamed (nothing is held).
  virtual Status ScanItemSummaries(const std::string& run_id,
                                   const std::function<void(const ItemSummary&)>& fn) = 0;
  // Every item with its result and verdicts by index, streamed in windows inside one read
  // snapshot; stops at the first error `fn` returns.
  virtual Status ScanItems(const std::string& run_id,
                           const std::function<Status(StoredItem&&)>& fn) = 0;
  // Saves results (and their verdicts) in one transaction, replacing earlier ones for the same
  // index (their verdicts too). On any error nothing of the batch is written.
  virtual Status SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) = 0;
  // Every item of the run with its result, by index; verdicts in the order they were saved.
  virtual Result<std::vector<StoredItem>> LoadItems(const std::string& run_id) = 0;
  // The item at `index` with its result (nullopt while pending, as in LoadItems) and verdicts in
  // the order they were saved, read in one snapshot by a lookup of that one item, so it costs the
  // same at any index of a run of any size. nullopt for an index not in the run (negative, or past
  // its last item); NotFound for an unknown run.
  virtual Result<std::optional<StoredItem>> GetItem(const std::string& run_id, int64_t index) = 0;
  // Adds or replaces, per item index, the verdict of verdict.judge (e.g. "human:ana") in one
  // transaction, leaving the item's other verdicts, outcome and response alone; a new verdict
  // comes after the existing ones, a replaced one keeps its place. Each item must have a result
  // with outcome judged (InvalidArgument otherwise, as for an index out of range or two
  // verdicts of one judge for one item in the call). On any error nothing is written.
  virtual Status SaveVerdicts(const std::string& run_id,
                              const std::vector<std::pair<int64_t, Verdict>>& verdicts) = 0;
  // Saves a judge's calibration, replacing an earlier one for the same judge.
  virtual Status SaveCalibration(const JudgeCalibration& calibration) = 0;
  // The calibration of `judge` ("name@version"), or nullopt when none was saved.
  virtual Result<std::optional<JudgeCalibration>> FindCalibration(const std::string& judge) = 0;
  // True when some cached response has a key starting with `prefix` (a target's namespace),
  // so a run of a target never seen before skips the lookups.
  virtual Result<bool> HasCachedResponses(const std::string& prefix) = 0;
  // The cached responses among `keys` (absent keys are left out).
  virtual Result<std::vector<std::pair<std::string, CachedResponse>>> FindCachedResponses(
      const std::vector<std::string>& keys) = 0;
  // An attacker-in-the-loop attack on seed item `seed_id` (run/attack.h): appends `item` to the
  // run's plan (its index is the next free one, returned), saves its `result` (result.index is
  // ignored) and the attack's tree (JSON), all in one transaction. A seed attacked before is
  // InvalidArgument and changes nothing.
  virtual Result<int64_t> SaveAttack(const std::string& run_id, const std::string& seed_id,
                                     const std::string& tree_json, const Prompt& item,
                                     ItemResult result) = 0;
  // The attack trees of the run by seed id: (seed_id, tree JSON), in the order they were saved.
  virtual Result<std::vector<std::pair<std::string, std::string>>> LoadAttacks(
      const std::string& run_id) = 0;
  // Adds or replaces the attack tree of seed `seed_id` alone, leaving items and results untouched:
  // how a copy of a store (store_copy.h) carries the trees whose items and results it copied
  // already. A new tree comes after the run's existing ones in LoadAttacks; a replaced one keeps
  // its place. A seed with a tree counts as attacked (SaveAttack of it is InvalidArgument).
  // NotFound for an unknown run.
  virtual Status SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                                const std::string& tree_json) = 0;
  // Adds or replaces a campaign batch of the run.
  virtual Status SaveBatch(const std::string& run_id, const BatchRecord& batch) = 0;
  virtual Result<std::vector<BatchRecord>> LoadBatches(const std::string& run_id) = 0;
  // Sets status, finished_at (may be empty) and judges of the run; other fields are ignored.
  virtual Status UpdateRun(const RunRecord& run) = 0;
};

// Opens (creating if needed, with parent folders) a SQLite store in WAL mode;
// ":memory:" gives a private in-memory store for tests. Migrates older schemas
// forward; refuses a newer schema version with a clear message (InvalidArgument
// "store <path> has schema version N; this safeval understands up to M —
// upgrade safeval"). A file that is not a SQLite database, or a database of
// another application, is IoError "'<path>' is not a safeval store: ..." and is
// left untouched. Writers wait up to 5 s for another process's lock.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace safeval
