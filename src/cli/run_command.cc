// safeval run SUITE [--target NAME] [--concurrency N] [--store PATH] [--out DIR]
// safeval run --resume RUN_ID [--store PATH]
// safeval run --retry-errors RUN_ID [--store PATH]   (also a finished run: redo its failed items)
// --no-cache: ask the model even for conversations the store already has an answer to.
// safeval run SUITE --store postgresql://… --distributed [--batch-size N]: create the runs and
// their work batches only; `safeval worker` processes execute them.
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>

#include "cli/command.h"
#include "cli/evaluation_env.h"
#include "cli/run_report.h"
#include "cli/version.h"
#include "core/terminal_text.h"
#include "run/distributed_run.h"
#include "run/evaluation.h"

namespace safeval {
namespace {

struct RunFlags {
  EvaluationRequest request;
  int concurrency = 0;
  std::string retry_errors;  // run id
  bool distributed = false;
  int64_t batch_size = 0;    // --distributed: items per work batch (0: the suite's batch_size)
};

// --distributed: creates the runs and their batches, and says how to start workers.
void CreateDistributed(const RunFlags& flags, const EvaluationEnv& env, CliContext& context) {
  Result<std::vector<DistributedRun>> runs =
      CreateDistributedRuns(flags.request, flags.batch_size, env);
  if (!runs.ok()) {
    context.Fail(runs.status());
    return;
  }
  for (const DistributedRun& d : *runs) {
    *context.out << "Run " << TerminalText(d.run.id) << " created: " << d.items << " items in "
                 << d.batches << " batches\n"
                 << "start workers with: safeval worker --store "
                 << TerminalText(d.store_label) << " --run "
                 << TerminalText(d.run.id) << "\n";
  }
}

void Execute(const RunFlags& flags, CliContext& context) {
  EvaluationRequest request = flags.request;
  if (flags.concurrency > 0) request.concurrency = flags.concurrency;
  if (!flags.retry_errors.empty()) {
    if (!request.resume_run_id.empty()) {
      context.Fail(Status::InvalidArgument("give --resume RUN_ID or --retry-errors RUN_ID, not both"));
      return;
    }
    request.resume_run_id = flags.retry_errors;
    request.retry_errors = true;
  }
  if (flags.distributed && !request.resume_run_id.empty()) {
    context.Fail(Status::InvalidArgument(
        "--distributed starts new runs from a suite; workers resume them (safeval worker)"));
    return;
  }
  if (request.suite_path.empty() == request.resume_run_id.empty()) {
    context.Fail(Status::InvalidArgument(
        "give a suite file, or --resume RUN_ID / --retry-errors RUN_ID (not both)"));
    return;
  }
  SystemClock clock;
  EvaluationEnv env = CliEvaluationEnv(context, clock);
  if (flags.distributed) {
    RunFlags with_request = flags;
    with_request.request = request;
    CreateDistributed(with_request, env, context);
    return;
  }
  Result<std::vector<CompletedRun>> runs = RunEvaluation(request, env);
  if (!runs.ok()) {
    context.Fail(runs.status());
    return;
  }
  for (const CompletedRun& run : *runs) {
    if (run.status == "interrupted") context.exit_code = kExitInterrupted;
  }
}

}  // namespace

void SetupRunCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<RunFlags>();
  sub.add_option("suite", flags->request.suite_path, "The suite file (suite.yaml)");
  sub.add_option("--resume", flags->request.resume_run_id,
                 "Continue an interrupted run from the store; finished items are not repeated");
  sub.add_option("--retry-errors", flags->retry_errors,
                 "Send a run's model_error and judge_error items again, even when it finished");
  sub.add_option("--log", flags->request.log_path,
                 "Append one JSON line per finished request to this file (no headers, no keys)");
  sub.add_flag("--no-cache", flags->request.no_cache,
               "Ask the model even when the store holds its answer to the same conversation");
  sub.add_option("--target", flags->request.target, "Run only the target of this name");
  sub.add_option("--concurrency", flags->concurrency, "Requests in flight (overrides the suite)")
      ->check(CLI::Range(1, 4096));
  sub.add_option("--store", flags->request.store,
                 "The store (SQLite file or postgresql:// URL); default: the suite's store, "
                 "runs/safeval.db")
      ->type_name("PATH|URL");
  sub.add_flag("--distributed", flags->distributed,
               "Only create the runs and their batches in a PostgreSQL store, for safeval worker");
  sub.add_option("--batch-size", flags->batch_size,
                 "With --distributed: items per batch (default: the suite's campaign.batch_size)")
      ->check(CLI::Range(1, 1000000));
  sub.add_option("--out", flags->request.output_dir,
                 "Folder for run outputs (overrides the suite's output_dir)");
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
