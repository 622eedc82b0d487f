// safeval worker --store URL [--run RUN] [--concurrency N] [--lease-seconds S]: executes batches
// of distributed runs (safeval run --distributed) from a PostgreSQL store, on any host, until
// none is left (exit 0); Ctrl-C stops it after its current save (exit 130).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "cli/command.h"
#include "cli/evaluation_env.h"
#include "cli/run_report.h"
#include "run/distributed_worker.h"
#include "store/open_store.h"
#include "store/work_queue.h"

namespace safeval {
namespace {

struct WorkerFlags {
  std::string store;
  std::string run_id;
  int concurrency = 0;
  int lease_seconds = 60;
};

// "<host>-<pid>-<random>": unique across hosts and restarts.
WorkerRecord Identity(const std::string& run_id) {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "unknown");
  std::random_device random;
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "%06x", static_cast<unsigned>(random()) & 0xffffffu);
  WorkerRecord w;
  w.host = host;
  w.pid = getpid();
  w.id = w.host + "-" + std::to_string(w.pid) + "-" + suffix;
  w.run_id = run_id;
  return w;
}

void Execute(const WorkerFlags& flags, CliContext& context) {
  // Two queues: the heartbeat thread renews leases on its own connection.
  Result<std::unique_ptr<WorkQueue>> queue = OpenWorkQueue(flags.store);
  if (!queue.ok()) {
    context.Fail(queue.status());
    return;
  }
  Result<std::unique_ptr<WorkQueue>> heartbeat = OpenWorkQueue(flags.store);
  if (!heartbeat.ok()) {
    context.Fail(heartbeat.status());
    return;
  }
  Result<std::unique_ptr<Store>> store = OpenStore(flags.store);
  if (!store.ok()) {
    context.Fail(store.status());
    return;
  }
  SystemClock clock;
  EvaluationEnv env = CliEvaluationEnv(context, clock);
  WorkerOptions options;
  options.identity = Identity(flags.run_id);
  if (flags.concurrency > 0) options.concurrency = flags.concurrency;
  options.lease = std::chrono::seconds(flags.lease_seconds);
  options.idle_poll_ms = std::min<int64_t>(1000, flags.lease_seconds * 1000 / 3);
  options.store_label = StoreLabel(flags.store);
  if (!flags.run_id.empty()) {
    Result<RunRecord> run = (*store)->GetRun(flags.run_id);  // an unknown run is an error
    if (!run.ok()) {
      context.Fail(run.status());
      return;
    }
  }
  Result<WorkerSummary> summary = RunWorker(options, **queue, **heartbeat, **store, env);
  if (!summary.ok()) {
    context.Fail(summary.status());
    return;
  }
  if (summary->interrupted) context.exit_code = kExitInterrupted;
}

}  // namespace

void SetupWorkerCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<WorkerFlags>();
  sub.add_option("--store", flags->store, "The PostgreSQL store (postgresql://user@host/db)")
      ->required();
  sub.add_option("--run", flags->run_id,
                 "Work only on this run (default: any running distributed run)");
  sub.add_option("--concurrency", flags->concurrency,
                 "Requests in flight (overrides the suite's target)")
      ->check(CLI::Range(1, 4096));
  sub.add_option("--lease-seconds", flags->lease_seconds,
                 "How long a batch stays leased without a heartbeat (renewed every third of it)")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
