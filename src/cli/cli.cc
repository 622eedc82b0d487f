#include "cli/cli.h"

#include <CLI/CLI.hpp>

#include "cli/version.h"

namespace safeval {

int RunCli(int argc, char** argv) {
  CLI::App app{"safeval: measure how safely a generative AI model behaves"};
  app.set_version_flag("--version", std::string("safeval ") + SafevalVersion() + " (" + SafevalCommit() + ")");
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace safeval
