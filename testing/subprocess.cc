#include "testing/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/temp_dir.h"

namespace safeval::testing {

pid_t StartProcess(const std::vector<std::string>& args, const std::string& cwd,
                   const std::string& out_file, const std::string& err_file,
                   const ChildSetup& setup) {
  // Built before fork: the child of a multi-threaded process (the tests' mock servers run
  // worker threads) must not allocate — another thread may have held the allocator's lock at
  // the fork, and the child would wait for it forever.
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: only async-signal-safe calls until exec.
  int out = setup.stdout_fd >= 0 ? setup.stdout_fd
                                 : open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(127);
  dup2(out, STDOUT_FILENO);  // dup2 clears close-on-exec on fd 1 only
  dup2(err, STDERR_FILENO);
  int devnull = open("/dev/null", O_RDONLY);
  if (devnull >= 0) dup2(devnull, STDIN_FILENO);
  if (setup.max_file_bytes > 0) {
    signal(SIGXFSZ, SIG_IGN);  // kept across exec
    rlimit limit{static_cast<rlim_t>(setup.max_file_bytes),
                 static_cast<rlim_t>(setup.max_file_bytes)};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(126);
  }
  execv(argv[0], argv.data());
  _exit(127);
}

int WaitProcess(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

ProcessResult RunProcess(const std::vector<std::string>& args, const std::string& cwd) {
  TempDir tmp;
  ProcessResult r;
  pid_t pid = StartProcess(args, cwd, tmp.File("out"), tmp.File("err"));
  r.exit_code = WaitProcess(pid);
  r.out = ReadFile(tmp.File("out"));
  r.err = ReadFile(tmp.File("err"));
  return r;
}

}  // namespace safeval::testing
