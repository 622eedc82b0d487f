#include "model/exec_client.h"

#include <errno.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <utility>

#include "core/utf8.h"
#include "model/child_process.h"
#include "model/json_reply.h"
#include "model/rate_limiter.h"
#include "model/tool_wire.h"

namespace safeval {
namespace {

using nlohmann::json;

constexpr int kMaxConcurrency = 256;
constexpr int kMaxAttempts = 100;
constexpr int64_t kMaxWaitMs = 100;  // bounds how late a cancel is noticed
constexpr int64_t kExitWaitMs = 2;   // poll step while a child has closed its pipes but not exited
constexpr size_t kMaxOutputBytes = size_t{16} << 20;
constexpr size_t kStderrTailBytes = 500;
constexpr int64_t kProcessCost = 1;  // tokens are not limited: any estimate will do
constexpr char kDefaultPath[] = "/usr/local/bin:/usr/bin:/bin";

bool IsExecutableFile(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// command[0] as the path to execute: as given when it contains a '/', else the first
// executable file of that name in a PATH folder (an empty PATH entry is the current folder).
// PATH is read here, like execvp would: it is the one piece of environment a command
// name means nothing without.
Result<std::string> ResolveCommand(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("command: command[0] is empty");
  if (name.find('/') != std::string::npos) {
    if (IsExecutableFile(name)) return name;
    return Status::InvalidArgument("command: '" + name + "' is not an executable file");
  }
  const char* env_path = std::getenv("PATH");
  std::string_view dirs = env_path ? env_path : kDefaultPath;
  while (true) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (IsExecutableFile(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return Status::InvalidArgument("command: '" + name + "' not found on PATH");
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// One line of JSON: {"messages":[{"role","content"}...],"system":"...","tools"?:[...]}.
std::string EncodeInput(const std::string& system_prompt, const ModelRequest& request) {
  json messages = json::array();
  for (const Turn& turn : request.conversation) {
    json message = json::object({{"role", turn.role}, {"content", turn.content}});
    if (!turn.tool_calls.empty()) {
      message["tool_calls"] = tool_wire::ToOpenAiToolCalls(turn.tool_calls);
    }
    if (turn.role == "tool") message["tool_call_id"] = turn.tool_call_id;
    messages.push_back(std::move(message));
  }
  const std::string& system = request.system.empty() ? system_prompt : request.system;
  json body = json::object({{"messages", std::move(messages)}, {"system", system}});
  if (json tools = tool_wire::ParseTools(request.tools_json); !tools.empty()) {
    body["tools"] = std::move(tools);
  }
  // `replace`: a stray invalid byte in a prompt becomes U+FFFD instead of an exception.
  return body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string TrimTrailingSpace(std::string text) {
  while (!text.empty() && std::string_view(" \t\r\n").find(text.back()) != std::string::npos) {
    text.pop_back();
  }
  return text;
}

// "exit status 3: <stderr tail>" or "killed by signal 9: ...".
std::string DescribeExit(int wait_status, const std::string& err_tail) {
  std::string what = WIFSIGNALED(wait_status)
                         ? "killed by signal " + std::to_string(WTERMSIG(wait_status))
                         : "exit status " + std::to_string(WEXITSTATUS(wait_status));
  std::string tail = TrimTrailingSpace(SanitizeUtf8(err_tail));
  return tail.empty() ? what : what + ": " + tail;
}

// What a successful child printed.
struct Output {
  std::string text;
  std::vector<ToolCall> tool_calls;
};

// `out` as the structured form {"content": string | null, "tool_calls": [...], ...}, or
// nullopt when it is not exactly that (then it is plain text).
std::optional<json> StructuredOutput(const std::string& out) {
  size_t first = out.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || out[first] != '{' || !CheckReplyDepth(out).ok()) {
    return std::nullopt;
  }
  json doc = json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return std::nullopt;  // also when it did not parse
  auto calls = doc.find("tool_calls");
  auto content = doc.find("content");
  if (calls == doc.end() || !calls->is_array() || content == doc.end() ||
      !(content->is_string() || content->is_null())) {
    return std::nullopt;
  }
  return doc;
}

// The reply from a successful child's stdout, or why it is unusable.
Result<Output> ReadOutput(std::string out) {
  if (out.ends_with('\n')) out.pop_back();
  if (out.ends_with('\r')) out.pop_back();
  size_t bad = 0;
  if (!IsValidUtf8(out, &bad)) {
    return Status::InvalidArgument("output is not valid UTF-8 (byte " + std::to_string(bad) + ")");
  }
  std::optional<json> structured = StructuredOutput(out);
  if (!structured) return Output{std::move(out), {}};
  Output output;
  const json& content = (*structured)["content"];
  if (content.is_string()) output.text = content.get<std::string>();
  SV_ASSIGN_OR_RETURN(output.tool_calls, tool_wire::ToolCallsFromJson((*structured)["tool_calls"],
                                                                     "output: tool_calls"));
  return output;
}

// One outstanding request: waiting to start (child null) or running.
struct Job {
  uint64_t tag = 0;
  std::string input;
  int attempts = 0;
  int64_t started_ms = 0;  // of the current attempt
  std::unique_ptr<ChildProcess> child;
};

// The state of one Run. Its destructor kills and reaps whatever still runs.
class RunState {
 public:
  RunState(const ExecOptions& options, const std::string& path, Clock& clock, const RunHooks& hooks)
      : options_(options),
        path_(path),
        clock_(clock),
        hooks_(hooks),
        limiter_(options.limits.requests_per_minute, std::nullopt) {}

  Status Run() {
    while (!Cancelled()) {
      Pull();
      StartReady();
      if (running_.empty() && ready_.empty() && source_done_) return Status::Ok();
      SV_RETURN_IF_ERROR(Wait());
      CheckRunning();
    }
    running_.clear();  // kills and reaps every child
    return Status::Ok();
  }

 private:
  bool Cancelled() const { return hooks_.cancel && hooks_.cancel->load(); }
  int Outstanding() const { return static_cast<int>(running_.size() + ready_.size()); }

  void Pull() {
    while (!source_done_ && Outstanding() < options_.concurrency && !Cancelled()) {
      std::optional<ModelRequest> request = hooks_.next();
      if (!request) {
        source_done_ = true;
        return;
      }
      Job job;
      job.tag = request->tag;
      job.input = EncodeInput(options_.system_prompt, *request);
      ready_.push_back(std::move(job));
    }
  }

  void StartReady() {
    while (!ready_.empty() && !Cancelled() && limiter_.DelayMs(clock_.NowMs(), kProcessCost) == 0) {
      Job job = std::move(ready_.front());
      ready_.pop_front();
      ++job.attempts;
      job.started_ms = clock_.NowMs();
      limiter_.OnStart(job.started_ms, kProcessCost);
      ChildProcess::Limits limits{kMaxOutputBytes, kStderrTailBytes};
      Result<std::unique_ptr<ChildProcess>> child =
          ChildProcess::Spawn(path_, options_.command, job.input, limits);
      if (!child.ok()) {
        AttemptFailed(std::move(job), child.status().message());
        continue;
      }
      job.child = std::move(child).value();
      job.child->Pump();  // most inputs fit in the pipe at once
      running_.push_back(std::move(job));
    }
  }

  // Waits for pipe activity, the next deadline or the next allowed start.
  Status Wait() {
    int64_t now = clock_.NowMs();
    int64_t wait = kMaxWaitMs;
    if (!ready_.empty()) wait = std::min(wait, limiter_.DelayMs(now, kProcessCost));
    for (const Job& job : running_) {
      wait = std::min(wait, job.started_ms + options_.timeout_ms - now);
      if (job.child->pipes_closed()) wait = std::min(wait, kExitWaitMs);
    }
    wait = std::max<int64_t>(wait, 0);
    if (running_.empty()) {
      clock_.SleepMs(wait);  // only rate-limited starts are waiting
      return Status::Ok();
    }
    fds_.clear();
    for (const Job& job : running_) job.child->AddPollFds(fds_);
    if (::poll(fds_.data(), fds_.size(), static_cast<int>(wait)) < 0 && errno != EINTR) {
      return Status::Internal(std::string("poll failed: ") + std::strerror(errno));
    }
    return Status::Ok();
  }

  void CheckRunning() {
    for (auto it = running_.begin(); it != running_.end();) {
      Job& job = *it;
      job.child->Pump();
      std::optional<std::string> failure;
      std::optional<Output> output;
      if (job.child->output_too_large()) {
        job.child->Kill();
        failure = "output larger than 16 MB";
      } else if (job.child->TryReap()) {
        int status = job.child->wait_status();
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
          Result<Output> out = ReadOutput(job.child->out());
          if (out.ok()) {
            output = std::move(out).value();
          } else {
            failure = out.status().message();
          }
        } else {
          failure = DescribeExit(status, job.child->err_tail());
        }
      } else if (clock_.NowMs() - job.started_ms >= options_.timeout_ms) {
        job.child->Kill();
        failure = "timeout after " + std::to_string(options_.timeout_ms) + " ms";
      } else {
        ++it;
        continue;
      }
      Job done = std::move(job);
      it = running_.erase(it);
      done.child.reset();
      if (output) {
        Succeed(done, std::move(*output));
      } else {
        AttemptFailed(std::move(done), *failure);
      }
    }
  }

  ModelReply ReplyFor(const Job& job) {
    ModelReply reply;
    reply.tag = job.tag;
    reply.attempts = job.attempts;
    reply.latency_ms = clock_.NowMs() - job.started_ms;
    return reply;
  }

  void Succeed(const Job& job, Output output) {
    ModelReply reply = ReplyFor(job);
    reply.ok = true;
    reply.text = std::move(output.text);
    reply.tool_calls = std::move(output.tool_calls);
    Deliver(std::move(reply));
  }

  // Retries at once while attempts remain, else delivers the failure.
  void AttemptFailed(Job job, const std::string& error) {
    if (job.attempts < options_.max_attempts) {
      job.child.reset();
      ready_.push_front(std::move(job));
      return;
    }
    ModelReply reply = ReplyFor(job);
    reply.error = error;
    if (job.attempts > 1) reply.error += " (" + std::to_string(job.attempts) + " attempts)";
    Deliver(std::move(reply));
  }

  void Deliver(ModelReply&& reply) {
    if (!Cancelled()) hooks_.on_reply(std::move(reply));
  }

  const ExecOptions& options_;
  const std::string& path_;
  Clock& clock_;
  const RunHooks& hooks_;
  RateLimiter limiter_;     // requests_per_minute only
  std::deque<Job> ready_;   // pulled or to be retried, not running
  std::list<Job> running_;  // each with its child
  std::vector<pollfd> fds_;
  bool source_done_ = false;
};

class ExecClient final : public ModelClient {
 public:
  ExecClient(ExecOptions options, std::string path, Clock& clock)
      : options_(std::move(options)), path_(std::move(path)), clock_(clock) {}

  std::string Identity() const override { return "exec:" + Basename(options_.command[0]); }

  Status Run(const RunHooks& hooks) override {
    if (!hooks.next || !hooks.on_reply) {
      return Status::InvalidArgument("RunHooks.next and RunHooks.on_reply are required");
    }
    SigpipeBlock no_sigpipe;  // declared first: outlives every child's pipes
    RunState state(options_, path_, clock_, hooks);
    return state.Run();
  }

 private:
  ExecOptions options_;
  std::string path_;  // command[0] resolved
  Clock& clock_;
};

}  // namespace

Status ValidateExecOptions(const ExecOptions& options) {
  if (options.command.empty()) return Status::InvalidArgument("command is required");
  SV_RETURN_IF_ERROR(ResolveCommand(options.command[0]).status());
  if (options.concurrency < 1 || options.concurrency > kMaxConcurrency) {
    return Status::InvalidArgument("concurrency must be in 1..256, got " +
                                   std::to_string(options.concurrency));
  }
  if (options.timeout_ms <= 0) return Status::InvalidArgument("timeout_ms must be > 0");
  if (options.max_attempts < 1 || options.max_attempts > kMaxAttempts) {
    return Status::InvalidArgument("max_attempts must be in 1..100, got " +
                                   std::to_string(options.max_attempts));
  }
  if (options.limits.requests_per_minute && *options.limits.requests_per_minute < 1) {
    return Status::InvalidArgument("requests_per_minute must be >= 1");
  }
  return Status::Ok();
}

Result<std::unique_ptr<ModelClient>> MakeExecClient(const ExecOptions& options, Clock& clock) {
  SV_RETURN_IF_ERROR(ValidateExecOptions(options));
  SV_ASSIGN_OR_RETURN(std::string path, ResolveCommand(options.command[0]));
  return std::unique_ptr<ModelClient>(new ExecClient(options, std::move(path), clock));
}

}  // namespace safeval
