// The command line: parses argv, dispatches to one subcommand from the table in
// commands.cc, and returns the process exit code (0 ok, 1 a gate failed,
// 2 bad input or usage, 3 a run failed or was interrupted).
#pragma once

namespace safeval {
int RunCli(int argc, char** argv);
}  // namespace safeval
