#include "cli/command.h"
#include "core/terminal_text.h"

namespace safeval {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"run", "Run a suite against its targets (or --resume a stored run) and write the report",
       SetupRunCommand},
      {"report", "Write a stored run's report: HTML, JSON, CSV, JUnit or Markdown",
       SetupReportCommand},
      {"runs", "List the runs in a store", SetupRunsCommand},
      {"dataset", "Validate, inspect, deduplicate, sample, import and export datasets",
       SetupDatasetCommand},
      {"taxonomy", "Show a taxonomy tree, optionally with a dataset's counts per node",
       SetupTaxonomyCommand},
      {"policy", "Show a response policy over a taxonomy, or check a policy file",
       SetupPolicyCommand},
      {"judge", "Re-judge a stored run (judge RUN), classify transcripts, calibrate, label",
       SetupJudgeCommand},
      {"grade", "Grade a stored run against reference runs (AILuminate-compatible)",
       SetupGradeCommand},
      {"compare", "Compare two stored runs: per-cell changes with intervals, regressions first",
       SetupCompareCommand},
      {"gate", "Check a stored run against release limits (exit 1 when a condition fails)",
       SetupGateCommand},
      {"serve", "Serve the store's runs and annotation rounds in a web UI (see docs/web-ui.md)",
       SetupServeCommand},
      {"worker", "Execute batches of distributed runs from a PostgreSQL store (run --distributed)",
       SetupWorkerCommand},
      {"annotators", "Add annotators (prints their login token once), list them, reset a token",
       SetupAnnotatorsCommand},
      {"annotate", "Annotation rounds: create one from a run, its status, export and import labels",
       SetupAnnotateCommand},
      {"store", "Copy runs and annotations between stores (SQLite and PostgreSQL, either way)",
       SetupStoreCommand},
  };
  return kCommands;
}

int CliContext::Fail(const Status& status) {
  // Messages quote dataset values, file contents and endpoint replies: shown, never obeyed.
  *err << "safeval: error: " << TerminalText(status.message(), LineBreaks::kKeep) << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound: exit_code = kExitBadInput; break;
    default: exit_code = kExitRunFailed; break;
  }
  return exit_code;
}

}  // namespace safeval
