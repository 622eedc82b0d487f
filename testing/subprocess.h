// Running the safeval binary from tests, as a user would.
#pragma once

#include <sys/types.h>

#include <cstdint>
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

// How StartProcess sets up the child beyond its files.
struct ChildSetup {
  // When >= 0, the child's stdout is this descriptor (e.g. a pipe's writing end) and
  // out_file is not opened.
  int stdout_fd = -1;
  // When > 0, every file the child writes is limited to this many bytes (RLIMIT_FSIZE, set
  // after its stdout and stderr are opened) and SIGXFSZ is ignored, so a write past the limit
  // fails with EFBIG as one on a full disk fails with ENOSPC.
  uint64_t max_file_bytes = 0;
};

// Starts `args` in `cwd` with stdout and stderr sent to the given files (out_file may be a
// device such as /dev/full) and stdin from /dev/null; returns the pid.
pid_t StartProcess(const std::vector<std::string>& args, const std::string& cwd,
                   const std::string& out_file, const std::string& err_file,
                   const ChildSetup& setup = {});

// Waits for `pid`; returns its exit code (128 + signal when killed).
int WaitProcess(pid_t pid);

}  // namespace safeval::testing
