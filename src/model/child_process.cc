#include "model/child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <utility>

extern char** environ;

namespace safeval {
namespace {

constexpr size_t kReadChunk = 64 * 1024;

void CloseFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

bool SetNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0;
}

std::string Errno(int err) { return ::strerror(err); }

// The six pipe ends of a child being made, closed unless released.
struct Pipes {
  std::array<int, 2> in{-1, -1}, out{-1, -1}, err{-1, -1};
  ~Pipes() {
    for (auto* p : {&in, &out, &err}) {
      CloseFd((*p)[0]);
      CloseFd((*p)[1]);
    }
  }
  bool Open() {
    return ::pipe2(in.data(), O_CLOEXEC) == 0 && ::pipe2(out.data(), O_CLOEXEC) == 0 &&
           ::pipe2(err.data(), O_CLOEXEC) == 0;
  }
};

// posix_spawn's attribute and file-action objects, destroyed on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnSetup() {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
  }
  // The child's stdio are the pipes; a process group of its own; no blocked signals and
  // default dispositions (safeval may block or ignore SIGPIPE; the model should not).
  int Configure(const Pipes& pipes) {
    int rc = ::posix_spawn_file_actions_adddup2(&actions, pipes.in[0], STDIN_FILENO);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions, pipes.out[1], STDOUT_FILENO);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions, pipes.err[1], STDERR_FILENO);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (rc == 0) rc = ::posix_spawnattr_setflags(&attr, flags);
    if (rc == 0) rc = ::posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0) rc = ::posix_spawnattr_setsigmask(&attr, &none);
    if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&attr, &all);
    return rc;
  }
};

}  // namespace

Result<std::unique_ptr<ChildProcess>> ChildProcess::Spawn(const std::string& path,
                                                          const std::vector<std::string>& argv,
                                                          std::string input, Limits limits) {
  const std::string& name = argv.empty() ? path : argv[0];
  Pipes pipes;
  if (!pipes.Open()) return Status::IoError("cannot start " + name + ": pipe: " + Errno(errno));
  SpawnSetup setup;
  if (int rc = setup.Configure(pipes); rc != 0) {
    return Status::IoError("cannot start " + name + ": " + Errno(rc));
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  if (int rc = ::posix_spawn(&pid, path.c_str(), &setup.actions, &setup.attr, args.data(), environ);
      rc != 0) {
    return Status::IoError("cannot start " + name + ": " + Errno(rc));
  }
  // The child has its ends; the parent keeps the others, non-blocking.
  CloseFd(pipes.in[0]);
  CloseFd(pipes.out[1]);
  CloseFd(pipes.err[1]);
  std::unique_ptr<ChildProcess> child(
      new ChildProcess(pid, std::exchange(pipes.in[1], -1), std::exchange(pipes.out[0], -1),
                       std::exchange(pipes.err[0], -1), std::move(input), limits));
  if (!SetNonBlocking(child->in_fd_) || !SetNonBlocking(child->out_fd_) ||
      !SetNonBlocking(child->err_fd_)) {
    return Status::IoError("cannot start " + name + ": fcntl: " + Errno(errno));  // ~ kills
  }
  return child;
}

ChildProcess::ChildProcess(pid_t pid, int in_fd, int out_fd, int err_fd, std::string input,
                           Limits limits)
    : pid_(pid),
      in_fd_(in_fd),
      out_fd_(out_fd),
      err_fd_(err_fd),
      input_(std::move(input)),
      limits_(limits) {}

ChildProcess::~ChildProcess() {
  Kill();
  CloseFd(in_fd_);
  CloseFd(out_fd_);
  CloseFd(err_fd_);
}

void ChildProcess::AddPollFds(std::vector<pollfd>& fds) const {
  if (in_fd_ >= 0) fds.push_back({in_fd_, POLLOUT, 0});
  if (out_fd_ >= 0) fds.push_back({out_fd_, POLLIN, 0});
  if (err_fd_ >= 0) fds.push_back({err_fd_, POLLIN, 0});
}

void ChildProcess::Pump() {
  WriteInput();
  ReadOut();
  ReadErr();
}

void ChildProcess::WriteInput() {
  while (in_fd_ >= 0 && written_ < input_.size()) {
    ssize_t n = ::write(in_fd_, input_.data() + written_, input_.size() - written_);
    if (n > 0) {
      written_ += static_cast<size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      break;  // EPIPE: the child closed its stdin; it gets no more input
    }
  }
  if (in_fd_ >= 0) {
    CloseFd(in_fd_);  // all written (or the child stopped reading): EOF for the child
    input_ = std::string();
  }
}

void ChildProcess::ReadOut() {
  char buffer[kReadChunk];
  while (out_fd_ >= 0) {
    ssize_t n = ::read(out_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      CloseFd(out_fd_);  // EOF (or a read error, treated alike)
      return;
    }
    out_.append(buffer, static_cast<size_t>(n));
    if (out_.size() > limits_.max_stdout) {
      too_large_ = true;
      out_ = std::string();
      CloseFd(out_fd_);
    }
  }
}

void ChildProcess::ReadErr() {
  char buffer[kReadChunk];
  while (err_fd_ >= 0) {
    ssize_t n = ::read(err_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      CloseFd(err_fd_);
      return;
    }
    err_.append(buffer, static_cast<size_t>(n));
    if (err_.size() > 2 * limits_.stderr_tail + kReadChunk) {
      err_.erase(0, err_.size() - limits_.stderr_tail);
    }
  }
}

std::string ChildProcess::err_tail() const {
  size_t start = err_.size() > limits_.stderr_tail ? err_.size() - limits_.stderr_tail : 0;
  // Do not start in the middle of a UTF-8 sequence.
  while (start < err_.size() && start > 0 &&
         (static_cast<unsigned char>(err_[start]) & 0xC0) == 0x80) {
    ++start;
  }
  return err_.substr(start);
}

bool ChildProcess::TryReap() {
  if (reaped_) return true;
  if (!pipes_closed()) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) return false;
  reaped_ = true;
  // r < 0 (ECHILD): someone else reaped it (SIGCHLD ignored); report a failure.
  wait_status_ = r > 0 ? status : W_EXITCODE(255, 0);
  return true;
}

void ChildProcess::Kill() {
  if (reaped_) return;
  // The group id is still reserved: the child (the group leader) is not reaped yet.
  ::kill(-pid_, SIGKILL);
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  reaped_ = true;
  wait_status_ = r > 0 ? status : W_EXITCODE(255, 0);
  CloseFd(in_fd_);
  CloseFd(out_fd_);
  CloseFd(err_fd_);
}

SigpipeBlock::SigpipeBlock() {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask_);
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
}

SigpipeBlock::~SigpipeBlock() {
  if (!was_pending_) {
    sigset_t pipe_only;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    timespec zero{0, 0};
    while (::sigtimedwait(&pipe_only, nullptr, &zero) == SIGPIPE) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace safeval
