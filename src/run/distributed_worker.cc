#include "run/distributed_worker.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/terminal_text.h"
#include "run/distributed_leased_store.h"
#include "run/executor.h"
#include "run/response_cache.h"

namespace safeval {
namespace {

// Renews a batch's lease every lease/3 from its own thread while the batch runs, and raises
// `stop` when the lease is lost or env's cancel is set (so the executor stops early).
class Heartbeat {
 public:
  Heartbeat(WorkQueue& queue, const std::string& worker_id, const WorkBatch& batch,
            std::chrono::seconds lease, Clock& clock, const std::atomic<bool>* cancel,
            std::atomic<bool>& stop)
      : queue_(queue), worker_id_(worker_id), batch_(batch), lease_(lease), clock_(clock),
        cancel_(cancel), stop_(stop), thread_([this] { Loop(); }) {}
  ~Heartbeat() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Heartbeat(const Heartbeat&) = delete;
  Heartbeat& operator=(const Heartbeat&) = delete;

  bool lost() const { return lost_.load(); }

 private:
  void Loop() {
    const int64_t period_ms = std::max<int64_t>(1, lease_.count() * 1000 / 3);
    int64_t next = clock_.NowMs() + period_ms;
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      cv_.wait_for(lock, std::chrono::milliseconds(std::min<int64_t>(100, period_ms)));
      if (done_) break;
      if (cancel_ && cancel_->load()) stop_.store(true);
      if (clock_.NowMs() < next) continue;
      lock.unlock();
      // Other failures (a dropped connection) are retried at the next beat; if the lease
      // expires meanwhile, the next save says so.
      Status renewed = queue_.RenewLease(worker_id_, batch_.run_id, batch_.number, lease_);
      lock.lock();
      if (renewed.code() == StatusCode::kFailedPrecondition) {
        lost_.store(true);
        stop_.store(true);
        break;
      }
      next = clock_.NowMs() + period_ms;
    }
  }

  WorkQueue& queue_;
  const std::string worker_id_;
  const WorkBatch batch_;
  const std::chrono::seconds lease_;
  Clock& clock_;
  const std::atomic<bool>* cancel_;
  std::atomic<bool>& stop_;
  std::atomic<bool> lost_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;  // GUARDED_BY(mu_)
  std::thread thread_;  // last: starts once everything above is built
};

class Worker {
 public:
  Worker(const WorkerOptions& options, WorkQueue& queue, WorkQueue& heartbeat, Store& store,
         const EvaluationEnv& env)
      : options_(options), queue_(queue), heartbeat_(heartbeat), store_(store), env_(env) {}

  Result<WorkerSummary> Run() {
    SV_RETURN_IF_ERROR(queue_.RegisterWorker(options_.identity));
    *env_.err << "Worker " << TerminalText(options_.identity.id) << " on "
              << TerminalText(options_.store_label)
              << (options_.identity.run_id.empty() ? std::string(" (any running run)")
                                                   : " (run " + TerminalText(options_.identity.run_id) + ")")
              << "\n";
    while (!Cancelled()) {
      SV_ASSIGN_OR_RETURN(std::optional<WorkBatch> batch,
                          queue_.LeaseBatch(options_.identity.id, options_.identity.run_id,
                                            options_.lease));
      if (!batch) {
        SV_ASSIGN_OR_RETURN(bool open, WorkLeft());
        if (!open) break;
        env_.clock->SleepMs(options_.idle_poll_ms);
        continue;
      }
      SV_RETURN_IF_ERROR(RunBatch(*batch));
    }
    summary_.interrupted = Cancelled();
    *env_.err << "Worker " << TerminalText(options_.identity.id)
              << (summary_.interrupted ? " interrupted: " : " done: ") << summary_.batches
              << " batches, " << summary_.items << " items"
              << (summary_.lost_leases ? ", " + std::to_string(summary_.lost_leases) + " leases lost"
                                       : std::string())
              << "\n";
    return summary_;
  }

 private:
  bool Cancelled() const { return env_.cancel && env_.cancel->load(); }

  // True while some batch of the worker's run (of any running run without one) is not done.
  Result<bool> WorkLeft() {
    std::vector<std::string> runs;
    if (!options_.identity.run_id.empty()) {
      runs.push_back(options_.identity.run_id);
    } else {
      SV_ASSIGN_OR_RETURN(std::vector<RunRecord> all, store_.ListRuns());
      for (const RunRecord& r : all)
        if (r.status == "running") runs.push_back(r.id);
    }
    for (const std::string& run : runs) {
      SV_ASSIGN_OR_RETURN(std::vector<WorkBatch> batches, queue_.LoadWorkBatches(run));
      for (const WorkBatch& b : batches)
        if (b.state != "done") return true;
    }
    return false;
  }

  // The run's suite, target and judges, rebuilt once per run.
  Result<RunSetup*> SetupOf(const RunRecord& run) {
    auto found = setups_.find(run.id);
    if (found != setups_.end()) return found->second.get();
    EvaluationRequest request;
    request.concurrency = options_.concurrency;
    SV_ASSIGN_OR_RETURN(RunSetup setup, RebuildRunSetup(run, request, env_));
    auto owned = std::make_unique<RunSetup>(std::move(setup));
    RunSetup* raw = owned.get();
    setups_[run.id] = std::move(owned);
    return raw;
  }

  Status RunBatch(const WorkBatch& batch) {
    LeasedStore leased(store_, queue_, options_.identity.id, batch.run_id, batch.number);
    std::atomic<bool> stop{false};
    Result<RunSetup*> setup = Status::Unavailable("not started");
    Result<ExecutionStats> stats = ExecutionStats{};
    bool lost = false;
    {
      // Renewing from the start: rebuilding a run's judges can take a while.
      Heartbeat beat(heartbeat_, options_.identity.id, batch, options_.lease, *env_.clock,
                     env_.cancel, stop);
      stats = ExecuteBatch(batch, leased, stop, setup);
      lost = beat.lost() || leased.lease_lost();
    }
    summary_.items += leased.saved();
    if (lost) return LeaseLost(batch);
    if (!stats.ok()) return stats.status();
    if (Cancelled()) return Status::Ok();
    Status completed = queue_.CompleteBatch(options_.identity.id, batch.run_id, batch.number);
    if (completed.code() == StatusCode::kFailedPrecondition) return LeaseLost(batch);
    SV_RETURN_IF_ERROR(completed);
    ++summary_.batches;
    return MaybeReport(batch.run_id, **setup);
  }

  // Rebuilds the batch's run (once per run, into `setup`) and executes its pending items.
  Result<ExecutionStats> ExecuteBatch(const WorkBatch& batch, LeasedStore& leased,
                                      std::atomic<bool>& stop, Result<RunSetup*>& setup) {
    SV_ASSIGN_OR_RETURN(RunRecord run, store_.GetRun(batch.run_id));
    setup = SetupOf(run);
    if (!setup.ok()) return setup.status();
    int64_t size = batch.end_index - batch.first_index;
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items,
                        store_.PendingItemsAfter(run.id, batch.first_index - 1, size));
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const StoredItem& i) { return i.index >= batch.end_index; }),
                items.end());
    *env_.err << "  batch " << batch.number << " of " << TerminalText(run.id) << ": items ["
              << batch.first_index << ", " << batch.end_index << "), " << items.size()
              << " pending" << (batch.leases > 1 ? " (leased before: another worker gave it up)" : "")
              << "\n";
    RunSetup& s = **setup;
    return ExecuteItems(run.id, items, *s.client, s.judges.judges(), leased, *env_.clock,
                        ExecOptions(run, s), nullptr, &stop);
  }

  Status LeaseLost(const WorkBatch& batch) {
    ++summary_.lost_leases;
    *env_.err << "notice: lost the lease of batch " << batch.number << " of "
              << TerminalText(batch.run_id)
              << "; its unsaved results are left to the worker that holds it now\n";
    return Status::Ok();
  }

  ExecuteOptions ExecOptions(const RunRecord& run, const RunSetup& setup) const {
    ExecuteOptions exec;
    exec.cache_namespace = CacheNamespace(setup.target);
    exec.media_dir = run.output_dir;
    exec.policy = &setup.in->policy;
    std::ostream* err = env_.err;
    exec.on_notice = [err](const std::string& message) {
      *err << "notice: " << TerminalText(message) << "\n";
    };
    return exec;
  }

  // The run's report, when this worker's batch was its last.
  Status MaybeReport(const std::string& run_id, const RunSetup& setup) {
    SV_ASSIGN_OR_RETURN(RunRecord run, store_.GetRun(run_id));
    if (run.status != "finished") return Status::Ok();
    *env_.err << "Run " << TerminalText(run.id) << " finished\n";
    if (!env_.write_report) return Status::Ok();
    Result<Totals> totals = env_.write_report(store_, run, setup.in->taxonomy, setup.in->policy);
    if (!totals.ok()) {
      *env_.err << "notice: the report of run " << TerminalText(run.id)
                << " could not be written here (" << TerminalText(totals.status().message())
                << "); write it with: safeval report " << TerminalText(run.id) << " --store "
                << TerminalText(options_.store_label) << "\n";
    }
    return Status::Ok();
  }

  const WorkerOptions& options_;
  WorkQueue& queue_;
  WorkQueue& heartbeat_;
  Store& store_;
  const EvaluationEnv& env_;
  std::map<std::string, std::unique_ptr<RunSetup>> setups_;
  WorkerSummary summary_;
};

}  // namespace

Result<WorkerSummary> RunWorker(const WorkerOptions& options, WorkQueue& queue,
                                WorkQueue& heartbeat, Store& store, const EvaluationEnv& env) {
  Worker worker(options, queue, heartbeat, store, env);
  return worker.Run();
}

}  // namespace safeval
