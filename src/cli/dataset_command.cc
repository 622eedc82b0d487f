#include "cli/dataset_command.h"

#include <CLI/CLI.hpp>
#include <vector>

namespace safeval {

void SetupDatasetCommand(CLI::App& sub, CliContext& context) {
  static const std::vector<Command> kSubcommands = {
      // {"name", "help", SetupDatasetNameCommand},   (one row per subcommand, in help order)
  };
  sub.require_subcommand(1);
  for (const Command& command : kSubcommands) {
    command.setup(*sub.add_subcommand(command.name, command.help), context);
  }
}

}  // namespace safeval
