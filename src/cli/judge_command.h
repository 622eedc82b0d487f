// `safeval judge ...`: judging without querying a model. One file per subcommand
// (cli/judge_<name>_command.cc), listed in the table in judge_command.cc; re-judging
// a stored run is `safeval judge RUN --judge ...` on the `judge` command itself.
#pragma once

#include "cli/command.h"

namespace safeval {

// Each declares its options on `sub` and sets context.exit_code from its callback.
void SetupJudgeClassifyCommand(CLI::App& sub, CliContext& context);
void SetupJudgeCalibrateCommand(CLI::App& sub, CliContext& context);
void SetupJudgeLabelCommand(CLI::App& sub, CliContext& context);
// Adds RUN, --judge and --store to the `judge` command itself; its callback does
// nothing when one of the subcommands above ran instead.
void SetupJudgeRejudgeCommand(CLI::App& judge, CliContext& context);

}  // namespace safeval
