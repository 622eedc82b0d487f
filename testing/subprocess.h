// Running the safeval binary from tests, as a user would.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace safeval::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

// Runs `args` (args[0] is the program path) in `cwd` and waits for it.
ProcessResult RunProcess(const std::vector<std::string>& args, const std::string& cwd = ".");

// Starts `args` in `cwd` with stdout and stderr sent to the given files; returns the pid.
pid_t StartProcess(const std::vector<std::string>& args, const std::string& cwd,
                   const std::string& out_file, const std::string& err_file);

// Waits for `pid`; returns its exit code (128 + signal when killed).
int WaitProcess(pid_t pid);

}  // namespace safeval::testing
