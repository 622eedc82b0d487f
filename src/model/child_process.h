// ChildProcess: one program started with its stdin, stdout and stderr on non-blocking
// pipes, in a process group of its own, for the exec adapter (exec_client.h) to drive
// many at once from one poll() loop.
//
// The parent feeds `input` to stdin (then closes it), collects stdout up to a cap and
// keeps the tail of stderr. Nothing here blocks except Kill's final reap of a SIGKILLed
// child. Every pipe is close-on-exec in the parent, so one child never holds another
// child's pipe open.
//
// Writing to a child that closed its stdin raises SIGPIPE: the caller must block or
// ignore SIGPIPE on its thread while it drives children (see SigpipeBlock).
//
// Thread-safety: not thread-safe; one thread drives a ChildProcess.
#pragma once

#include <poll.h>
#include <signal.h>
#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace safeval {

class ChildProcess {
 public:
  struct Limits {
    size_t max_stdout = size_t{16} << 20;  // more makes output_too_large() true
    size_t stderr_tail = 500;              // bytes of stderr kept (the last ones)
  };

  // Starts the executable at `path` (no PATH lookup, no shell) with `argv` (argv[0]
  // included) in a new process group, signal mask empty and dispositions default.
  // IoError naming `argv[0]` and the cause when pipes or the process cannot be made.
  static Result<std::unique_ptr<ChildProcess>> Spawn(const std::string& path,
                                                     const std::vector<std::string>& argv,
                                                     std::string input, Limits limits);

  // Kills the process group and reaps the child if that has not happened yet.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Appends the pipes still open to `fds` (for poll).
  void AddPollFds(std::vector<pollfd>& fds) const;
  // Writes and reads whatever the pipes accept without blocking. EPIPE on stdin (the
  // child does not read its input) is not an error: the rest of the input is dropped.
  void Pump();

  bool output_too_large() const { return too_large_; }
  // stdout and stderr are both closed (EOF seen), or stdout overflowed.
  bool pipes_closed() const { return out_fd_ < 0 && err_fd_ < 0; }
  // Non-blocking: true once the child has exited and been reaped (see wait_status).
  // Only reaps after pipes_closed(), so the process group id stays reserved until then.
  bool TryReap();
  // SIGKILL to the whole process group, then waits for the child. Idempotent.
  void Kill();

  bool reaped() const { return reaped_; }
  int wait_status() const { return wait_status_; }  // as from waitpid, once reaped
  const std::string& out() const { return out_; }
  // The last Limits::stderr_tail bytes of stderr.
  std::string err_tail() const;

 private:
  ChildProcess(pid_t pid, int in_fd, int out_fd, int err_fd, std::string input, Limits limits);
  void WriteInput();
  void ReadOut();
  void ReadErr();

  pid_t pid_;
  int in_fd_, out_fd_, err_fd_;  // -1 once closed
  std::string input_;
  size_t written_ = 0;
  Limits limits_;
  std::string out_;
  std::string err_;
  bool too_large_ = false;
  bool reaped_ = false;
  int wait_status_ = 0;
};

// Blocks SIGPIPE on the calling thread for its lifetime, so writes to a closed pipe fail
// with EPIPE instead of killing the process. On destruction it consumes the SIGPIPEs those
// writes left pending (unless one was already pending before) and restores the old mask.
class SigpipeBlock {
 public:
  SigpipeBlock();
  ~SigpipeBlock();
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t old_mask_;
  bool was_pending_ = false;
};

}  // namespace safeval
