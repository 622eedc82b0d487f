// safeval store copy FROM TO [--run RUN]...
// Copies runs (record, items, results with verdicts, campaign batches, the calibrations of their
// judges; the response cache travels with the results) and annotations (annotators without their
// logins, rounds, labels, adjudications) between stores: SQLite files and PostgreSQL URLs, either
// way. FROM must exist; TO is created (a SQLite file) or migrated as needed. Running it again
// finishes an interrupted copy (store/store_copy.h). A run whose id the target holds with other
// content is refused (exit 2) and the copy stops there; everything copied before it stays.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/annotate_command.h"
#include "cli/command.h"
#include "core/terminal_text.h"
#include "server/annotator_token.h"
#include "store/open_store.h"
#include "store/store_copy.h"

namespace safeval {
namespace {

struct CopyFlags {
  std::string from;
  std::string to;
  std::vector<std::string> runs;  // empty: every run
};

Status Copy(const CopyFlags& flags, CliContext& context) {
  if (flags.from == flags.to) {
    return Status::InvalidArgument("FROM and TO are the same store ('" + StoreLabel(flags.from) +
                                   "')");
  }
  SV_ASSIGN_OR_RETURN(Stores from, OpenExistingStores(flags.from));
  SV_ASSIGN_OR_RETURN(Stores to, OpenStores(flags.to));
  std::vector<std::string> run_ids = flags.runs;
  if (run_ids.empty()) {
    SV_ASSIGN_OR_RETURN(std::vector<RunRecord> runs, from.runs->ListRuns());
    // ListRuns is newest first: copy oldest first, so the target lists them in the same order.
    for (auto run = runs.rbegin(); run != runs.rend(); ++run) run_ids.push_back(run->id);
  }
  StoreCopyStats stats;
  for (const std::string& id : run_ids) {
    Status copied = CopyRun(*from.runs, *to.runs, id, &stats);
    if (!copied.ok()) {
      return copied.WithContext("copying run '" + id + "' from " + StoreLabel(flags.from) + " to " +
                                StoreLabel(flags.to));
    }
    *context.err << "safeval: copied run " << TerminalText(id) << "\n";
  }
  SV_RETURN_IF_ERROR(
      CopyAnnotations(*from.annotations, *to.annotations, *to.runs, RandomHex, &stats));
  std::ostream& out = *context.out;
  out << "Copied to " << TerminalText(StoreLabel(flags.to)) << ": " << stats.runs_copied
      << " runs (" << stats.items << " items, " << stats.results << " results, " << stats.batches
      << " campaign batches, " << stats.calibrations << " judge calibrations, "
      << stats.attack_trees << " attacker trees)";
  if (stats.runs_completed > 0)
    out << "; " << stats.runs_completed << " runs already there, their results saved again";
  out << "\n"
      << "Annotations: " << stats.annotators << " annotators added, " << stats.rounds
      << " rounds, " << stats.labels << " labels, " << stats.adjudications << " adjudications\n";
  if (stats.annotators > 0) {
    out << "Copied annotators cannot log in until given a token: safeval annotators reset-token "
           "NAME --store "
        << TerminalText(StoreLabel(flags.to)) << "\n";
  }
  return Status::Ok();
}

void SetupStoreCopyCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<CopyFlags>();
  sub.add_option("FROM", flags->from, "The store to copy from: a SQLite file or postgresql:// URL")
      ->required();
  sub.add_option("TO", flags->to, "The store to copy to (created if needed)")->required();
  sub.add_option("--run", flags->runs, "Copy only this run (repeatable); default: every run");
  sub.callback([flags, &context] {
    Status status = Copy(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace

void SetupStoreCommand(CLI::App& sub, CliContext& context) {
  SetupStoreCopyCommand(
      *sub.add_subcommand("copy", "Copy runs and annotations between SQLite and PostgreSQL stores"),
      context);
  sub.require_subcommand(1);
}

}  // namespace safeval
