#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "cli/command.h"
#include "cli/version.h"

namespace safeval {
namespace {

std::atomic<bool> g_cancel{false};

// First Ctrl-C or SIGTERM asks the run to stop cleanly (finished items are
// saved); a second one kills the process at once.
extern "C" void OnSignal(int sig) {
  g_cancel.store(true);
  std::signal(sig, SIG_DFL);
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);

  CliContext context;
  context.out = &std::cout;
  context.err = &std::cerr;
  context.tty = isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr;
  context.cancel = &g_cancel;

  CLI::App app{"safeval: measure how safely a generative AI model behaves"};
  app.set_version_flag("--version", std::string("safeval ") + SafevalVersion() + " (commit " +
                                        SafevalCommit() + ")");
  app.require_subcommand(1);
  for (const Command& command : Commands()) {
    CLI::App* sub = app.add_subcommand(command.name, command.help);
    command.setup(*sub, context);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }
  return context.exit_code;
}

}  // namespace safeval
