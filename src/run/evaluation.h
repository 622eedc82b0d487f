// A whole evaluation, from a suite file (or a stored run to resume) to a
// finished run in the store: load and validate every input before any request
// is sent, create or reopen the run, execute, then hand the finished run to the
// report writer the caller injected (reports are a higher layer than run/).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "metrics/metrics.h"
#include "model/model_client.h"
#include "policy/policy.h"
#include "run/judge_factory.h"
#include "run/suite.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

struct EvaluationRequest {
  std::string suite_path;       // start new runs from this suite, or
  std::string resume_run_id;    // continue this run (suite_path is then ignored)
  std::string target;           // only the target of this name (new runs); empty: all
  std::optional<int> concurrency;
  std::string store;            // overrides the suite's store; for --resume: where the run is
  std::string output_dir;       // overrides the suite's output_dir
  bool no_cache = false;        // ask the model even when the store has its answer
  bool retry_errors = false;    // with resume_run_id: also reopen a finished run to redo its errors
  // Appends one JSON line per finished request to this file: run, item, outcome, status,
  // attempts, latency, tokens, error. Never headers or keys (errors are redacted by the
  // adapters). Empty: no log.
  std::string log_path;
};

// The report of a run built while the run executes (EvaluationEnv::live_report): told each
// result as it is committed, then asked for the report of the finished run.
class LiveRunReport {
 public:
  virtual ~LiveRunReport() = default;
  // One committed result (the item as the store holds it), in commit order.
  virtual void Add(const StoredItem& item, const ItemResult& result) = 0;
  // Writes the finished run's report as EvaluationEnv::write_report does, from what was added
  // when that was the whole run (else from the store), and returns its totals.
  virtual Result<Totals> Write(Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                               const Policy& policy) = 0;
};

// Everything from the outside world, injected by the command line.
struct EvaluationEnv {
  Clock* clock = nullptr;
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::ostream* out = nullptr;  // summary tables and file paths
  std::ostream* err = nullptr;  // progress and messages
  bool tty = false;             // err is a terminal: live progress bar, colours
  const std::atomic<bool>* cancel = nullptr;  // set by Ctrl-C / SIGTERM
  // Writes the report of a finished run (into run.output_dir) and returns its totals.
  std::function<Result<Totals>(Store&, const RunRecord&, const Taxonomy&, const Policy&)> write_report;
  // Optional: makes the report of a run this process creates and runs through in plan order (an
  // `all` campaign without an attacker), so the run is not read back from the store at the end.
  // Unset: write_report.
  std::function<std::unique_ptr<LiveRunReport>()> live_report;
};

// A suite with the taxonomy and policy it names, loaded and validated.
struct SuiteInputs {
  Suite suite;
  Taxonomy taxonomy;
  Policy policy;
};
Result<SuiteInputs> LoadSuiteInputs(const std::string& suite_path);

struct CompletedRun {
  std::string run_id;
  std::string status;      // "finished" | "interrupted" | "failed"
  std::string output_dir;  // the run's folder for report.html and results.json
  Totals totals;
};

// Runs every selected target of the suite (or resumes one run). Returns the
// runs, or the first error: InvalidArgument/NotFound for bad input (before any
// request), Unavailable when a target cannot be reached, IoError for the store.
Result<std::vector<CompletedRun>> RunEvaluation(const EvaluationRequest& request,
                                                const EvaluationEnv& env);

// What executing a stored run needs, rebuilt from its suite as `run --resume` does (and
// `safeval worker`): the suite's inputs, the run's target, its client and the judges.
// InvalidArgument when the target is gone from the suite or the suite, policy or taxonomy
// changed since the run started (its config hash differs); errors of the suite's files and
// clients as RunEvaluation.
struct RunSetup {
  std::unique_ptr<SuiteInputs> in;  // on the heap: the judges borrow its policy
  TargetConfig target;
  JudgeSet judges;
  std::unique_ptr<ModelClient> client;
};
Result<RunSetup> RebuildRunSetup(const RunRecord& run, const EvaluationRequest& request,
                                 const EvaluationEnv& env);

// Creates in `store` the runs of the suite's selected targets with all their items (status
// "running"), executing none (`run --distributed`: workers do). Every input is checked first,
// as RunEvaluation does; a dataset with problems creates no run.
struct CreatedRuns {
  std::vector<RunRecord> runs;
  CampaignConfig campaign;  // the suite's (its batch_size)
};
Result<CreatedRuns> CreateRuns(const EvaluationRequest& request, const EvaluationEnv& env,
                               Store& store);

}  // namespace safeval
