#include "cli/judge_command.h"

#include <CLI/CLI.hpp>
#include <vector>

namespace safeval {

void SetupJudgeCommand(CLI::App& sub, CliContext& context) {
  static const std::vector<Command> kSubcommands = {
      {"classify", "Judge transcript pairs (JSONL) without any model call",
       SetupJudgeClassifyCommand},
      {"calibrate", "Measure a judge against human labels and save its calibration",
       SetupJudgeCalibrateCommand},
      {"label", "Store human labels for a run's items as verdicts of judge human:NAME",
       SetupJudgeLabelCommand},
  };
  for (const Command& command : kSubcommands) {
    command.setup(*sub.add_subcommand(command.name, command.help), context);
  }
  SetupJudgeRejudgeCommand(sub, context);
}

}  // namespace safeval
