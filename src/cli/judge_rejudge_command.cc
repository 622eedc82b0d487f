// safeval judge RUN --judge rules|CONFIG [--store PATH]
// Re-judges a stored run without querying its model again: every item with a
// response (outcome judged or judge_error) is judged by the new judges in batches
// and saved, replacing the old machine verdicts. Responses, transport fields and
// human labels (verdicts of judges named "human:...") are kept; model errors,
// skipped and pending items are left alone. The run then records the new judges;
// `safeval report RUN` writes its report again.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "cli/judge_command.h"
#include "cli/judge_inputs.h"
#include "run/evaluation.h"
#include "run/executor.h"
#include "store/open_store.h"
#include "store/store.h"

namespace safeval {
namespace {

struct RejudgeFlags {
  std::string run_id;
  std::string judge = "rules";
  std::string store = "runs/safeval.db";
};

struct RejudgeStats {
  int64_t items = 0;  // re-judged
  int64_t judge_errors = 0;
  int64_t judged_unsafe = 0;  // harmful/adversarial items the first judge decided
  int64_t violations = 0;
};

bool IsHumanVerdict(const Verdict& v) { return v.judge.starts_with("human:"); }

// The item's result, ready to be judged again: same response and transport fields,
// no verdicts, no error. Human labels go to `humans`.
ItemResult Reset(const ItemResult& old, std::vector<Verdict>* humans) {
  ItemResult r = old;
  r.outcome = Outcome::kJudged;
  r.error.clear();
  r.verdicts.clear();
  for (const Verdict& v : old.verdicts)
    if (IsHumanVerdict(v)) humans->push_back(v);
  return r;
}

void Count(const Answered& a, RejudgeStats* stats) {
  ++stats->items;
  if (a.result.outcome == Outcome::kJudgeError) ++stats->judge_errors;
  if (a.result.outcome != Outcome::kJudged || !IsUnsafeIntent(a.item->prompt.intent)) return;
  const Verdict& first = a.result.verdicts.front();
  if (first.cls == ResponseClass::kUndetermined) return;
  ++stats->judged_unsafe;
  if (first.violation) ++stats->violations;
}

// Judges `items` (each with a response) and saves them in one transaction.
// `policy` (the run's) decides the forbidden tools of the deterministic checks.
Status RejudgeBatch(Store& store, const std::string& run_id, const std::vector<StoredItem>& items,
                    const JudgeSet& judges, const Policy& policy, RejudgeStats* stats) {
  std::vector<Answered> batch;
  std::vector<std::vector<Verdict>> humans;
  for (const StoredItem& item : items) {
    humans.emplace_back();
    batch.push_back({&item, Reset(*item.result, &humans.back())});
  }
  JudgeBatch(batch, judges.judges(), &policy);
  std::vector<ItemResult> results;
  for (size_t i = 0; i < batch.size(); ++i) {
    Count(batch[i], stats);
    for (Verdict& v : humans[i]) batch[i].result.verdicts.push_back(std::move(v));
    results.push_back(std::move(batch[i].result));
  }
  return store.SaveResults(run_id, results);
}

bool HasResponse(const StoredItem& item) {
  return item.result &&
         (item.result->outcome == Outcome::kJudged || item.result->outcome == Outcome::kJudgeError);
}

Result<RejudgeStats> RejudgeItems(Store& store, const RunRecord& run, const JudgeSet& judges,
                                  const Policy& policy, int batch_size) {
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.LoadItems(run.id));
  RejudgeStats stats;
  std::vector<StoredItem> batch;
  for (StoredItem& item : items) {
    if (!HasResponse(item)) continue;
    batch.push_back(std::move(item));
    if (static_cast<int>(batch.size()) < batch_size) continue;
    SV_RETURN_IF_ERROR(RejudgeBatch(store, run.id, batch, judges, policy, &stats));
    batch.clear();
  }
  if (!batch.empty()) SV_RETURN_IF_ERROR(RejudgeBatch(store, run.id, batch, judges, policy, &stats));
  return stats;
}

Status Rejudge(const RejudgeFlags& flags, std::ostream& out) {
  if (!IsPostgresUrl(flags.store) && !std::filesystem::exists(flags.store)) {
    return Status::NotFound("no store at '" + flags.store + "' (use --store PATH|URL)");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(flags.run_id));
  // The run's own policy decides violations, as when it ran.
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  SystemClock clock;
  SV_ASSIGN_OR_RETURN(JudgeSet judges, LoadJudges(flags.judge, in.policy, clock));
  SV_ASSIGN_OR_RETURN(RejudgeStats stats,
                      RejudgeItems(*store, run, judges, in.policy, in.suite.campaign.batch_size));
  run.judges = judges.Identities();
  SV_RETURN_IF_ERROR(store->UpdateRun(run));
  out << "Re-judged " << stats.items << " items of run " << run.id << " with " << run.judges.front()
      << (run.judges.size() > 1 ? " (and more)" : "") << ": " << stats.violations
      << " violations among " << stats.judged_unsafe << " judged harmful/adversarial items; "
      << stats.judge_errors << " judge errors.\n"
      << "Write its report again with: safeval report " << run.id << " --store " << StoreLabel(flags.store)
      << "\n";
  return Status::Ok();
}

}  // namespace

void SetupJudgeRejudgeCommand(CLI::App& judge, CliContext& context) {
  auto flags = std::make_shared<RejudgeFlags>();
  judge.add_option("run", flags->run_id,
                   "Re-judge this stored run (its responses; the model is not queried)");
  judge.add_option("--judge", flags->judge, "rules, or a judge configuration file (YAML)")
      ->capture_default_str();
  judge.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  judge.callback([flags, &judge, &context] {
    for (const CLI::App* sub : judge.get_subcommands())
      if (sub->parsed()) return;  // `judge classify` etc. did the work
    if (flags->run_id.empty()) {
      context.Fail(Status::InvalidArgument(
          "give a run id to re-judge, or a subcommand: classify, calibrate, label (see --help)"));
      return;
    }
    Status status = Rejudge(*flags, *context.out);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
