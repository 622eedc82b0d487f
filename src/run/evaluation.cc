#include "run/evaluation.h"

#include <filesystem>
#include <fstream>
#include <memory>

#include "core/hash.h"
#include "dataset/dataset.h"
#include "policy/policy.h"
#include "run/client_factory.h"
#include "run/executor.h"
#include "run/judge_factory.h"
#include "run/progress.h"
#include "run/suite.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

namespace fs = std::filesystem;

using Inputs = SuiteInputs;

// The clients and judges of a run, made the same way as everywhere else.
Result<std::unique_ptr<ModelClient>> MakeClient(const Suite& suite, const TargetConfig& target,
                                                const EvaluationRequest& request,
                                                const EvaluationEnv& env) {
  return MakeTargetClient(suite, target, request.concurrency, env.getenv, *env.clock);
}

Result<JudgeSet> MakeJudges(const Inputs& in, const EvaluationRequest& request,
                            const EvaluationEnv& env) {
  return MakeJudgeSet(in.suite, in.policy, *env.clock, env.getenv, request.concurrency);
}

std::string ConfigHash(const Inputs& in, const TargetConfig& target) {
  Hasher h;
  h.Add(SuiteSnapshotJson(in.suite, target)).Add(in.policy.content_hash()).Add(in.taxonomy.id());
  return h.HexDigest();
}

std::string NewRunId(const Suite& suite, const TargetConfig& target, Clock& clock) {
  std::string stamp = clock.NowIso8601();  // 2026-11-28T03:10:00Z → 20261128-031000
  std::string compact;
  for (char c : stamp)
    if (isdigit(static_cast<unsigned char>(c))) compact += c;
  compact.insert(8, "-");
  Hasher h;
  h.Add(stamp).Add(suite.path).Add(target.name).Add(std::to_string(clock.NowMs()));
  return compact + "-" + target.name + "-" + h.HexDigest().substr(0, 6);
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  return fs::absolute(path, ec).lexically_normal().string();
}

// Executes the pending items of `run` and finishes it: report on success,
// a resume hint when interrupted, the error when the target failed.
Result<CompletedRun> ExecuteRun(Store& store, RunRecord run, const Inputs& in,
                                const JudgeSet& judges, ModelClient& client,
                                const std::string& store_path, const EvaluationEnv& env) {
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> pending, store.PendingItems(run.id));
  *env.err << (run.demo ? "DEMO TARGET (built-in demo model, not a real model)\n" : "")
           << "Run " << run.id << ": " << pending.size() << " items to do against "
           << run.target_identity << "\n";
  ProgressBar progress(*env.err, *env.clock, env.tty, run.target_name);
  ExecuteOptions options;
  options.commit_batch = in.suite.campaign.batch_size;
  Result<ExecutionStats> stats = ExecuteItems(run.id, pending, client, judges.judges(), store,
                                              *env.clock, options, &progress, env.cancel);
  bool cancelled = env.cancel && env.cancel->load();
  run.status = !stats.ok() ? "failed" : cancelled ? "interrupted" : "finished";
  if (run.status == "finished") run.finished_at = env.clock->NowIso8601();
  Status updated = store.UpdateRun(run);
  std::string resume = "safeval run --resume " + run.id + " --store " + store_path;
  if (!stats.ok()) {
    const Status& failure = stats.status();
    std::string message = failure.message() + "\n  run " + run.id +
                          " stopped; its finished items are saved. After fixing, continue with:\n  " +
                          resume;
    return failure.code() == StatusCode::kUnavailable ? Status::Unavailable(message)
                                                      : Status::IoError(message);
  }
  SV_RETURN_IF_ERROR(updated);
  if (cancelled) {
    *env.err << "Interrupted. " << stats->done << " of " << stats->total
             << " items finished in this session are saved. Continue with:\n  " << resume << "\n";
    return CompletedRun{run.id, run.status, "", {}};
  }
  SV_ASSIGN_OR_RETURN(Totals totals, env.write_report(store, run, in.taxonomy, in.policy));
  return CompletedRun{run.id, run.status, run.output_dir, totals};
}

// Items past the campaign's request budget are recorded as skipped, not silently dropped.
Status RecordSkipped(Store& store, const std::string& run_id, size_t total, int64_t max_requests) {
  if (max_requests <= 0 || static_cast<int64_t>(total) <= max_requests) return Status::Ok();
  std::vector<ItemResult> skipped;
  for (size_t i = static_cast<size_t>(max_requests); i < total; ++i) {
    ItemResult r;
    r.index = static_cast<int64_t>(i);
    r.outcome = Outcome::kSkipped;
    r.error = "beyond the campaign's max_requests";
    skipped.push_back(std::move(r));
  }
  return store.SaveResults(run_id, skipped);
}

Result<std::vector<CompletedRun>> StartRuns(const EvaluationRequest& request, const EvaluationEnv& env) {
  SV_ASSIGN_OR_RETURN(Inputs in, LoadSuiteInputs(request.suite_path));
  SV_ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(in.suite.datasets, in.taxonomy));
  if (dataset.prompts.empty()) return Status::InvalidArgument(in.suite.path + ": the datasets hold no prompts");
  std::vector<const TargetConfig*> targets;
  for (const TargetConfig& t : in.suite.targets)
    if (request.target.empty() || t.name == request.target) targets.push_back(&t);
  if (targets.empty()) {
    return Status::InvalidArgument(in.suite.path + ": no target named '" + request.target + "'");
  }
  SV_ASSIGN_OR_RETURN(JudgeSet judges, MakeJudges(in, request, env));
  // Every client is made (and every key found) before the first request is sent.
  std::vector<std::unique_ptr<ModelClient>> clients;
  for (const TargetConfig* t : targets) {
    SV_ASSIGN_OR_RETURN(auto client, MakeClient(in.suite, *t, request, env));
    clients.push_back(std::move(client));
  }
  std::string store_path = request.store.empty() ? in.suite.store : request.store;
  std::string out_root = request.output_dir.empty() ? in.suite.output_dir : request.output_dir;
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(store_path));

  std::vector<CompletedRun> done;
  for (size_t i = 0; i < targets.size(); ++i) {
    const TargetConfig& target = *targets[i];
    RunRecord run;
    run.id = NewRunId(in.suite, target, *env.clock);
    run.suite_name = in.suite.name;
    run.suite_path = in.suite.path;
    run.target_name = target.name;
    run.target_identity = clients[i]->Identity();
    run.demo = clients[i]->IsDemo();
    run.config_json = SuiteSnapshotJson(in.suite, target);
    run.config_hash = ConfigHash(in, target);
    run.dataset_hash = dataset.content_hash;
    run.judges = judges.Identities();
    run.seed = in.suite.seed;
    run.started_at = env.clock->NowIso8601();
    run.status = "running";
    run.output_dir = AbsolutePath((fs::path(out_root) / run.id).string());
    SV_RETURN_IF_ERROR(store->CreateRun(run, dataset.prompts));
    SV_RETURN_IF_ERROR(RecordSkipped(*store, run.id, dataset.prompts.size(), in.suite.campaign.max_requests));
    SV_ASSIGN_OR_RETURN(CompletedRun completed,
                        ExecuteRun(*store, run, in, judges, *clients[i], store_path, env));
    done.push_back(completed);
    if (completed.status != "finished") break;
  }
  return done;
}

Result<std::vector<CompletedRun>> ResumeRun(const EvaluationRequest& request, const EvaluationEnv& env) {
  std::string store_path = request.store.empty() ? "runs/safeval.db" : request.store;
  if (!fs::exists(store_path)) return Status::NotFound("no store at '" + store_path + "' (use --store PATH)");
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(store_path));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(request.resume_run_id));
  if (run.status == "finished") {
    return Status::InvalidArgument("run " + run.id + " is already finished (report: " + run.output_dir + ")");
  }
  SV_ASSIGN_OR_RETURN(Inputs in, LoadSuiteInputs(run.suite_path));
  const TargetConfig* target = nullptr;
  for (const TargetConfig& t : in.suite.targets)
    if (t.name == run.target_name) target = &t;
  if (!target) return Status::InvalidArgument(run.suite_path + ": target '" + run.target_name + "' of run " + run.id + " is gone");
  std::string hash = ConfigHash(in, *target);
  if (hash != run.config_hash) {
    return Status::InvalidArgument("the suite, policy or taxonomy changed since run " + run.id + " started (config " +
                                   run.config_hash + ", now " + hash + "); start a new run instead");
  }
  SV_ASSIGN_OR_RETURN(JudgeSet judges, MakeJudges(in, request, env));
  SV_ASSIGN_OR_RETURN(auto client, MakeClient(in.suite, *target, request, env));
  SV_ASSIGN_OR_RETURN(CompletedRun completed, ExecuteRun(*store, run, in, judges, *client, store_path, env));
  return std::vector<CompletedRun>{completed};
}

}  // namespace

Result<SuiteInputs> LoadSuiteInputs(const std::string& suite_path) {
  SuiteInputs in;
  SV_ASSIGN_OR_RETURN(in.suite, LoadSuite(suite_path));
  std::string base = fs::path(in.suite.path).parent_path().string();
  SV_ASSIGN_OR_RETURN(in.taxonomy, Taxonomy::Resolve(in.suite.taxonomy, base));
  SV_ASSIGN_OR_RETURN(in.policy, Policy::Resolve(in.suite.policy, base, in.taxonomy));
  return in;
}

Result<std::vector<CompletedRun>> RunEvaluation(const EvaluationRequest& request,
                                                const EvaluationEnv& env) {
  if (!request.resume_run_id.empty()) return ResumeRun(request, env);
  return StartRuns(request, env);
}

}  // namespace safeval
