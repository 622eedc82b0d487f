#include "run/evaluation.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "core/hash.h"
#include "core/terminal_text.h"
#include "dataset/dataset.h"
#include "policy/policy.h"
#include "run/attack_run.h"
#include "run/campaign_run.h"
#include "run/client_factory.h"
#include "run/executor.h"
#include "run/judge_factory.h"
#include "run/prefetched_prompts.h"
#include "run/progress.h"
#include "run/response_cache.h"
#include "run/suite.h"
#include "store/open_store.h"
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

// The attacker of the suite's `attack:`, or nullptr without one.
Result<std::unique_ptr<ModelClient>> MakeAttacker(const Inputs& in, const EvaluationEnv& env) {
  const std::string& name = in.suite.attack.attacker_target;
  if (name.empty()) return std::unique_ptr<ModelClient>();
  for (const TargetConfig& t : in.suite.judge_targets) {
    if (t.name == name) return MakeTargetClient(in.suite, t, std::nullopt, env.getenv, *env.clock);
  }
  return Status::InvalidArgument(in.suite.path + ": attack: no target named '" + name + "'");
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

// Executes the pending items of `run` under its campaign and finishes it: report on
// success, a resume hint when interrupted, the error when the target failed.
// `fresh`: this process created the run and none of its items has a result yet.
Result<CompletedRun> ExecuteRun(Store& store, RunRecord run, const Inputs& in,
                                const TargetConfig& target, const JudgeSet& judges,
                                ModelClient& client, ModelClient* attacker,
                                const std::string& store_path, const EvaluationRequest& request,
                                const EvaluationEnv& env, bool fresh) {
  *env.err << (run.demo ? "DEMO TARGET (built-in demo model, not a real model)\n" : "")
           << "Run " << TerminalText(run.id) << " against " << TerminalText(run.target_identity)
           << " (campaign "
           << in.suite.campaign.strategy << ", batches of " << in.suite.campaign.batch_size
           << ")\n";
  ProgressBar progress(*env.err, *env.clock, env.tty, run.target_name);
  std::ostream* err = env.err;
  CampaignRunOptions options;
  options.campaign = in.suite.campaign;
  options.seed = in.suite.seed;
  options.usd_per_million_prompt_tokens = target.input_usd_per_mtok.value_or(0.0);
  options.usd_per_million_completion_tokens = target.output_usd_per_mtok.value_or(0.0);
  options.cache_namespace = CacheNamespace(target);
  options.read_cache = !request.no_cache;
  options.media_dir = run.output_dir;
  options.policy = &in.policy;
  options.on_notice = [err, tty = env.tty](const std::string& message) {
    *err << (tty ? "\r\033[K" : "") << "notice: " << TerminalText(message) << "\n" << std::flush;
  };
  // Built as results come in when they come in plan order: every item, no attacker adding more.
  std::unique_ptr<LiveRunReport> live;
  if (env.live_report && fresh && attacker == nullptr && in.suite.campaign.strategy == "all") {
    live = env.live_report();
  }
  std::ofstream log;
  if (!request.log_path.empty()) {
    log.open(request.log_path, std::ios::app);
    if (!log) return Status::InvalidArgument("cannot open the request log '" + request.log_path + "'");
  }
  Clock* clock = env.clock;
  if (live || log.is_open()) {
    options.on_result = [&log, &live, clock, run_id = run.id](const StoredItem& item,
                                                            const ItemResult& r) {
      if (live) live->Add(item, r);
      if (!log.is_open()) return;
      nlohmann::json line = {{"time", clock->NowIso8601()}, {"run", run_id}, {"index", item.index},
                             {"id", item.prompt.id}, {"outcome", Name(r.outcome)},
                             {"http_status", r.http_status}, {"attempts", r.attempts},
                             {"latency_ms", r.latency_ms}, {"prompt_tokens", r.prompt_tokens},
                             {"completion_tokens", r.completion_tokens},
                             {"from_cache", r.from_cache}, {"error", r.error}};
      log << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    };
  }
  Result<CampaignOutcome> outcome = RunCampaign(run.id, client, judges.judges(), store,
                                                *env.clock, options, &progress, env.cancel);
  if (log.is_open()) log.flush();
  if (outcome.ok() && attacker != nullptr && !(env.cancel && env.cancel->load())) {
    *env.err << "Attacker in the loop: " << TerminalText(in.suite.attack.attacker_target) << ", up to "
             << in.suite.attack.max_rounds << " rounds per seed\n";
    Result<AttackRunSummary> attacks =
        RunAttacks(run.id, in.suite.attack, *attacker, client, judges.judges(), store, env.cancel,
                   [err](const std::string& line) { *err << "  " << TerminalText(line) << "\n"; });
    if (!attacks.ok()) {
      outcome = attacks.status();
    } else {
      *env.err << "Attacks: " << attacks->attacked << " seeds attacked, " << attacks->succeeded
               << " succeeded" << (attacks->skipped ? " (" + std::to_string(attacks->skipped) +
                                                           " done before)" : "")
               << "\n";
    }
  }
  bool cancelled = env.cancel && env.cancel->load();
  run.status = !outcome.ok() ? "failed" : cancelled ? "interrupted" : "finished";
  if (run.status == "finished") run.finished_at = env.clock->NowIso8601();
  Status updated = store.UpdateRun(run);
  std::string resume = "safeval run --resume " + run.id + " --store " + StoreLabel(store_path);
  if (!outcome.ok() || !updated.ok()) {
    const Status& failure = !outcome.ok() ? outcome.status() : updated;
    // The store's own message says what failed (a full disk names the store's path); this
    // says what is safe and the one command that carries on.
    std::string message = failure.message() + "\n  run " + run.id +
                          " stopped; its items committed before the failure are saved (the rest "
                          "will be sent again). Once the cause is fixed (a full disk: free some "
                          "space), continue with:\n  " + resume;
    return failure.code() == StatusCode::kUnavailable ? Status::Unavailable(message)
                                                      : Status::IoError(message);
  }
  const ExecutionStats& stats = outcome->stats;
  if (cancelled) {
    *env.err << "Interrupted. " << stats.done << " items finished in this session are saved. "
             << "Continue with:\n  " << resume << "\n";
    return CompletedRun{run.id, run.status, "", {}};
  }
  if (stats.cache_hits > 0) {
    *env.err << stats.cache_hits << " of " << stats.done
             << " answers came from the response cache (--no-cache to ask the model again)\n";
  }
  if (!outcome->stop_reason.empty()) {
    *env.err << "Campaign stopped: " << outcome->stop_reason << "; " << outcome->skipped
             << " items not sent are recorded as skipped\n";
  }
  Result<Totals> totals = live ? live->Write(store, run, in.taxonomy, in.policy)
                              : env.write_report(store, run, in.taxonomy, in.policy);
  if (!totals.ok() && totals.status().code() == StatusCode::kIoError) {
    // The run itself is complete in the store; only its files are missing.
    return Status::IoError(totals.status().message() + "\n  run " + run.id +
                           " finished and is saved in the store, but its report could not be "
                           "written. Once the cause is fixed (a full disk: free some space), "
                           "write it with:\n  safeval report " + run.id + " --store " +
                           StoreLabel(store_path));
  }
  if (!totals.ok()) return totals.status();
  return CompletedRun{run.id, run.status, run.output_dir, *totals};
}

// Streams the suite's datasets into a new run of the store: every prompt is validated (all
// problems reported at once) and nothing is written unless all are valid.
Status CreateRunFromDatasets(Store& store, RunRecord& run, const Inputs& in) {
  DatasetStream stream(in.suite.datasets, in.taxonomy);
  // The dataset is read and checked on another thread while this one writes the items.
  PrefetchedPrompts prompts([&]() -> Result<std::optional<Prompt>> {
    std::optional<Prompt> prompt = stream.Next();
    if (prompt) return prompt;
    if (!stream.problems().empty()) return Status::InvalidArgument(FormatProblems(stream.problems()));
    if (stream.count() == 0) return Status::InvalidArgument(in.suite.path + ": the datasets hold no prompts");
    return std::optional<Prompt>();
  });
  // The hash is read after the last prompt, when the reading thread is done with the stream.
  SV_RETURN_IF_ERROR(store.CreateRunStreaming(
      run, [&] { return prompts.Next(); }, [&] { return stream.content_hash(); }));
  run.dataset_hash = stream.content_hash();  // as stored: the run's report shows it
  return Status::Ok();
}

// The inputs, judges and clients of the suite's selected targets: everything checked (every key
// found) before the first request is sent or the first run created.
struct PreparedRuns {
  std::unique_ptr<Inputs> in;  // on the heap: the judges borrow its policy
  std::vector<const TargetConfig*> targets;
  JudgeSet judges;
  std::vector<std::unique_ptr<ModelClient>> clients;  // parallel to targets
};

Result<PreparedRuns> PrepareRuns(const EvaluationRequest& request, const EvaluationEnv& env) {
  PreparedRuns p;
  SV_ASSIGN_OR_RETURN(Inputs in, LoadSuiteInputs(request.suite_path));
  p.in = std::make_unique<Inputs>(std::move(in));
  for (const TargetConfig& t : p.in->suite.targets)
    if (request.target.empty() || t.name == request.target) p.targets.push_back(&t);
  if (p.targets.empty()) {
    return Status::InvalidArgument(p.in->suite.path + ": no target named '" + request.target + "'");
  }
  SV_ASSIGN_OR_RETURN(p.judges, MakeJudges(*p.in, request, env));
  for (const TargetConfig* t : p.targets) {
    SV_ASSIGN_OR_RETURN(auto client, MakeClient(p.in->suite, *t, request, env));
    p.clients.push_back(std::move(client));
  }
  return p;
}

// A new run of target `i` of `p`, not yet in the store.
RunRecord NewRunRecord(const PreparedRuns& p, size_t i, const std::string& out_root, Clock& clock) {
  const TargetConfig& target = *p.targets[i];
  RunRecord run;
  run.id = NewRunId(p.in->suite, target, clock);
  run.suite_name = p.in->suite.name;
  run.suite_path = p.in->suite.path;
  run.target_name = target.name;
  run.target_identity = p.clients[i]->Identity();
  run.demo = p.clients[i]->IsDemo();
  run.config_json = SuiteSnapshotJson(p.in->suite, target);
  run.config_hash = ConfigHash(*p.in, target);
  run.judges = p.judges.Identities();
  run.seed = p.in->suite.seed;
  run.started_at = clock.NowIso8601();
  run.status = "running";
  run.output_dir = AbsolutePath((fs::path(out_root) / run.id).string());
  return run;
}

Result<std::vector<CompletedRun>> StartRuns(const EvaluationRequest& request, const EvaluationEnv& env) {
  SV_ASSIGN_OR_RETURN(PreparedRuns prepared, PrepareRuns(request, env));
  const Inputs& in = *prepared.in;
  const std::vector<const TargetConfig*>& targets = prepared.targets;
  const JudgeSet& judges = prepared.judges;
  std::vector<std::unique_ptr<ModelClient>>& clients = prepared.clients;
  SV_ASSIGN_OR_RETURN(std::unique_ptr<ModelClient> attacker, MakeAttacker(in, env));
  std::string store_path = request.store.empty() ? in.suite.store : request.store;
  std::string out_root = request.output_dir.empty() ? in.suite.output_dir : request.output_dir;
  std::error_code ec;
  bool new_store = store_path != ":memory:" && !IsPostgresUrl(store_path) && !fs::exists(store_path, ec);
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(store_path));

  std::vector<CompletedRun> done;
  for (size_t i = 0; i < targets.size(); ++i) {
    const TargetConfig& target = *targets[i];
    RunRecord run = NewRunRecord(prepared, i, out_root, *env.clock);
    Status created = CreateRunFromDatasets(*store, run, in);
    if (!created.ok()) {
      // Bad data leaves nothing behind: not even the store file it would have created.
      if (new_store && done.empty()) {
        store.reset();
        for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(store_path + suffix, ec);
      }
      return created;
    }
    SV_ASSIGN_OR_RETURN(CompletedRun completed,
                        ExecuteRun(*store, run, in, target, judges, *clients[i], attacker.get(),
                                   store_path, request, env, /*fresh=*/true));
    done.push_back(completed);
    if (completed.status != "finished") break;
  }
  return done;
}

Result<std::vector<CompletedRun>> ResumeRun(const EvaluationRequest& request, const EvaluationEnv& env) {
  std::string store_path = request.store.empty() ? "runs/safeval.db" : request.store;
  if (!IsPostgresUrl(store_path) && !fs::exists(store_path)) {
    return Status::NotFound("no store at '" + store_path + "' (use --store PATH|URL)");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(store_path));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(request.resume_run_id));
  if (run.status == "finished" && !request.retry_errors) {
    return Status::InvalidArgument("run " + run.id + " is already finished (report: " + run.output_dir +
                                   "); to redo its failed items: safeval run --retry-errors " + run.id);
  }
  SV_ASSIGN_OR_RETURN(RunSetup setup, RebuildRunSetup(run, request, env));
  const Inputs& in = *setup.in;
  const TargetConfig* target = &setup.target;
  const JudgeSet& judges = setup.judges;
  std::unique_ptr<ModelClient>& client = setup.client;
  SV_ASSIGN_OR_RETURN(std::unique_ptr<ModelClient> attacker, MakeAttacker(in, env));
  SV_ASSIGN_OR_RETURN(CompletedRun completed, ExecuteRun(*store, run, in, *target, judges, *client,
                                                         attacker.get(), store_path, request, env,
                                                         /*fresh=*/false));
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

Result<RunSetup> RebuildRunSetup(const RunRecord& run, const EvaluationRequest& request,
                                 const EvaluationEnv& env) {
  RunSetup setup;
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  setup.in = std::make_unique<SuiteInputs>(std::move(in));
  const TargetConfig* target = nullptr;
  for (const TargetConfig& t : setup.in->suite.targets)
    if (t.name == run.target_name) target = &t;
  if (!target) return Status::InvalidArgument(run.suite_path + ": target '" + run.target_name + "' of run " + run.id + " is gone");
  std::string hash = ConfigHash(*setup.in, *target);
  if (hash != run.config_hash) {
    return Status::InvalidArgument("the suite, policy or taxonomy changed since run " + run.id + " started (config " +
                                   run.config_hash + ", now " + hash + "); start a new run instead");
  }
  setup.target = *target;
  SV_ASSIGN_OR_RETURN(setup.judges, MakeJudges(*setup.in, request, env));
  SV_ASSIGN_OR_RETURN(setup.client, MakeClient(setup.in->suite, setup.target, request, env));
  return setup;
}

Result<CreatedRuns> CreateRuns(const EvaluationRequest& request, const EvaluationEnv& env,
                               Store& store) {
  SV_ASSIGN_OR_RETURN(PreparedRuns prepared, PrepareRuns(request, env));
  std::string out_root = request.output_dir.empty() ? prepared.in->suite.output_dir : request.output_dir;
  CreatedRuns created;
  created.campaign = prepared.in->suite.campaign;
  for (size_t i = 0; i < prepared.targets.size(); ++i) {
    RunRecord run = NewRunRecord(prepared, i, out_root, *env.clock);
    SV_RETURN_IF_ERROR(CreateRunFromDatasets(store, run, *prepared.in));
    created.runs.push_back(std::move(run));
  }
  return created;
}

Result<std::vector<CompletedRun>> RunEvaluation(const EvaluationRequest& request,
                                                const EvaluationEnv& env) {
  if (!request.resume_run_id.empty()) return ResumeRun(request, env);
  return StartRuns(request, env);
}

}  // namespace safeval
