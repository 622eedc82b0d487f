#include "cli/command.h"

namespace safeval {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"run", "Run a suite against its targets (or --resume a stored run) and write the report",
       SetupRunCommand},
      {"report", "Write results.json and report.html of a stored run again", SetupReportCommand},
      {"runs", "List the runs in a store", SetupRunsCommand},
      {"dataset", "Validate, inspect, deduplicate, sample, import and export datasets",
       SetupDatasetCommand},
  };
  return kCommands;
}

int CliContext::Fail(const Status& status) {
  *err << "safeval: error: " << status.message() << "\n";
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound: exit_code = kExitBadInput; break;
    default: exit_code = kExitRunFailed; break;
  }
  return exit_code;
}

}  // namespace safeval
