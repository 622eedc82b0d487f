// Tests of the exec client with small shell scripts as the model: the stdin JSON, output
// handling (trailing newline, invalid UTF-8, 16 MB cap), failures (exit status, signal,
// timeout), children that ignore stdin, retries, concurrency, rate limit, cancel, and
// that no child process or zombie is left behind.
#include "model/exec_client.h"

#include <errno.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "testing/model_client_runs.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using nlohmann::json;
using testing::Outcome;
using testing::ReadFile;
using testing::RunAll;
using testing::TempDir;

// Writes an executable /bin/sh script and returns its path.
std::string Script(const TempDir& dir, const std::string& name, const std::string& body) {
  std::string path = dir.Write(name, "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

ExecOptions Options(std::vector<std::string> command) {
  ExecOptions options;
  options.command = std::move(command);
  options.timeout_ms = 30000;
  return options;
}

std::unique_ptr<ModelClient> MustMake(const ExecOptions& options, Clock& clock) {
  return testing::MustMake(MakeExecClient(options, clock));
}

ModelRequest Ask(uint64_t tag, const std::string& text) { return {tag, {{"user", text}}}; }

ModelReply RunOne(ModelClient& client, ModelRequest request = Ask(1, "hello")) {
  return testing::RunOne(client, std::move(request));
}

// True when this process has no child left, exited or not (no zombies).
bool NoChildren() {
  int status = 0;
  return ::waitpid(-1, &status, WNOHANG) == -1 && errno == ECHILD;
}

// True when `pid` no longer runs (gone, or a zombie of some other parent).
bool ProcessGone(const std::string& pid) {
  std::string stat = ReadFile("/proc/" + pid + "/stat");
  if (stat.empty()) return true;
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
}

TEST(ExecOptions, ValidationNamesTheField) {
  TempDir dir;
  std::string plain = dir.Write("not-executable", "#!/bin/sh\necho\n");
  struct Case {
    ExecOptions options;
    std::string message;
  };
  std::vector<Case> cases = {
      {Options({}), "command is required"},
      {Options({""}), "command: command[0] is empty"},
      {Options({"no-such-model-binary-xyz"}),
       "command: 'no-such-model-binary-xyz' not found on PATH"},
      {Options({plain}), "command: '" + plain + "' is not an executable file"},
      {Options({dir.path()}), "command: '" + dir.path() + "' is not an executable file"},
  };
  ExecOptions bad = Options({"cat"});
  bad.concurrency = 0;
  cases.push_back({bad, "concurrency must be in 1..256, got 0"});
  bad.concurrency = 257;
  cases.push_back({bad, "concurrency must be in 1..256, got 257"});
  bad = Options({"cat"});
  bad.timeout_ms = 0;
  cases.push_back({bad, "timeout_ms must be > 0"});
  bad = Options({"cat"});
  bad.max_attempts = 0;
  cases.push_back({bad, "max_attempts must be in 1..100, got 0"});
  bad = Options({"cat"});
  bad.limits.requests_per_minute = 0;
  cases.push_back({bad, "requests_per_minute must be >= 1"});
  for (const Case& c : cases) {
    Status status = ValidateExecOptions(c.options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
    FakeClock clock;
    EXPECT_FALSE(MakeExecClient(c.options, clock).ok()) << c.message;
  }
  EXPECT_TRUE(ValidateExecOptions(Options({"cat"})).ok());
  EXPECT_TRUE(ValidateExecOptions(Options({"/bin/cat", "-u"})).ok());
}

TEST(ExecClient, IdentityIsTheCommandBasename) {
  FakeClock clock;
  EXPECT_EQ(MustMake(Options({"/bin/cat"}), clock)->Identity(), "exec:cat");
  EXPECT_EQ(MustMake(Options({"cat", "-u"}), clock)->Identity(), "exec:cat");
  EXPECT_FALSE(MustMake(Options({"cat"}), clock)->IsDemo());
}

TEST(ExecClient, WritesTheConversationAsOneJsonLine) {
  TempDir dir;
  FakeClock clock;
  ExecOptions options = Options({Script(dir, "echo.sh", "cat")});
  options.system_prompt = "Be brief.";
  ModelRequest request{
      7, {{"user", "first \"quoted\""}, {"assistant", "ok\nsure"}, {"user", "second \xc3\xa9"}}};
  ModelReply reply = RunOne(*MustMake(options, clock), request);
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.tag, 7u);
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_EQ(reply.text.find('\n'), std::string::npos) << "one line, its newline trimmed";
  json input = json::parse(reply.text);
  EXPECT_EQ(input, json::parse(R"({"messages":[{"role":"user","content":"first \"quoted\""},
      {"role":"assistant","content":"ok\nsure"},{"role":"user","content":"second é"}],
      "system":"Be brief."})"));
}

TEST(ExecClient, SystemIsEmptyWithoutASystemPrompt) {
  FakeClock clock;
  ModelReply reply = RunOne(*MustMake(Options({"cat"}), clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(json::parse(reply.text)["system"], "");
}

TEST(ExecClient, APythonModelReadsTheConversation) {
  if (ValidateExecOptions(Options({"python3"})).code() != StatusCode::kOk) {
    GTEST_SKIP() << "python3 is not installed";
  }
  FakeClock clock;
  std::string code =
      "import json,sys\n"
      "req=json.load(sys.stdin)\n"
      "last=[m for m in req['messages'] if m['role']=='user'][-1]['content']\n"
      "print(f\"{len(req['messages'])} turns; system={req['system']}; last={last}\")";
  ExecOptions options = Options({"python3", "-c", code});
  options.system_prompt = "S";
  ModelReply reply =
      RunOne(*MustMake(options, clock), {1, {{"user", "a"}, {"assistant", "b"}, {"user", "c"}}});
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "3 turns; system=S; last=c");
}

TEST(ExecClient, TrimsExactlyOneTrailingNewline) {
  TempDir dir;
  FakeClock clock;
  EXPECT_EQ(RunOne(*MustMake(Options({Script(dir, "a", "printf 'x\\n\\n'")}), clock)).text, "x\n");
  EXPECT_EQ(RunOne(*MustMake(Options({Script(dir, "b", "printf 'y\\r\\n'")}), clock)).text, "y");
  EXPECT_EQ(RunOne(*MustMake(Options({Script(dir, "c", "printf 'z'")}), clock)).text, "z");
  ModelReply empty = RunOne(*MustMake(Options({Script(dir, "d", "true")}), clock));
  EXPECT_TRUE(empty.ok);
  EXPECT_EQ(empty.text, "");
}

TEST(ExecClient, NonZeroExitFailsWithTheStderrTail) {
  TempDir dir;
  FakeClock clock;
  ModelReply reply = RunOne(*MustMake(
      Options(
          {Script(dir, "fail.sh", "echo 'partial answer'; echo 'model not loaded' >&2; exit 3")}),
      clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.text, "");
  EXPECT_EQ(reply.error, "exit status 3: model not loaded");
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_TRUE(NoChildren());
}

TEST(ExecClient, KeepsOnlyTheLast500BytesOfStderr) {
  TempDir dir;
  FakeClock clock;
  // 100 KB of 'a', then 'END': the tail is 497 'a's and END.
  ModelReply reply = RunOne(*MustMake(Options({Script(dir, "noisy.sh",
                                                      "head -c 100000 /dev/zero | tr '\\0' a >&2; "
                                                      "printf END >&2; exit 1")}),
                                      clock));
  EXPECT_EQ(reply.error, "exit status 1: " + std::string(497, 'a') + "END");
}

TEST(ExecClient, DeathBySignalIsAFailure) {
  TempDir dir;
  FakeClock clock;
  ModelReply reply =
      RunOne(*MustMake(Options({Script(dir, "crash.sh", "echo dying >&2; kill -SEGV $$")}), clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.error, "killed by signal " + std::to_string(SIGSEGV) + ": dying");
}

TEST(ExecClient, InvalidUtf8OutputIsAFailure) {
  TempDir dir;
  FakeClock clock;
  ModelReply reply = RunOne(*MustMake(Options({Script(dir, "bad.sh", "printf 'ok\\377'")}), clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.error, "output is not valid UTF-8 (byte 2)");
}

TEST(ExecClient, OutputOver16MbKillsTheProcess) {
  TempDir dir;
  FakeClock clock;
  // Writes 17 MB, then would hang: only the kill ends it.
  ModelReply reply = RunOne(*MustMake(
      Options({Script(dir, "huge.sh", "head -c 17000000 /dev/zero; exec sleep 60")}), clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.error, "output larger than 16 MB");
  EXPECT_TRUE(NoChildren());
}

TEST(ExecClient, TimeoutKillsTheWholeProcessGroup) {
  TempDir dir;
  SystemClock clock;  // the child sleeps 60 s; only the timeout ends it
  std::string pid_file = dir.File("grandchild");
  ExecOptions options =
      Options({Script(dir, "slow.sh", "sleep 60 & echo $! > " + pid_file + "; wait")});
  options.timeout_ms = 300;
  ModelReply reply = RunOne(*MustMake(options, clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.error, "timeout after 300 ms");
  EXPECT_TRUE(NoChildren());
  std::string grandchild = ReadFile(pid_file);
  while (!grandchild.empty() && grandchild.back() == '\n') grandchild.pop_back();
  ASSERT_FALSE(grandchild.empty());
  // SIGKILL is delivered at once, but the grandchild's new parent reaps it when it can.
  for (int i = 0; i < 500 && !ProcessGone(grandchild); ++i) clock.SleepMs(10);
  EXPECT_TRUE(ProcessGone(grandchild)) << "the background sleep survived the timeout";
}

TEST(ExecClient, AChildThatIgnoresStdinStillAnswers) {
  TempDir dir;
  FakeClock clock;
  // 4 MB of input: far more than a pipe holds, so the write hits EPIPE once the child exits.
  std::string big(4 << 20, 'x');
  ModelReply reply =
      RunOne(*MustMake(Options({Script(dir, "deaf.sh", "exec echo 'not listening'")}), clock),
             Ask(1, big));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "not listening");
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  EXPECT_FALSE(sigismember(&pending, SIGPIPE)) << "a SIGPIPE was left pending";
  sigset_t mask;
  ::pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  EXPECT_FALSE(sigismember(&mask, SIGPIPE)) << "the signal mask was not restored";
}

TEST(ExecClient, LargeInputAndOutputDoNotDeadlock) {
  FakeClock clock;
  // cat writes its output while we still write its input: both pipes must be served.
  std::string big(3 << 20, 'y');
  ModelReply reply = RunOne(*MustMake(Options({"cat"}), clock), Ask(1, big));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(json::parse(reply.text)["messages"][0]["content"], big);
}

TEST(ExecClient, RetriesFailedAttempts) {
  TempDir dir;
  FakeClock clock;
  std::string counter = dir.File("count");
  std::string flaky =
      Script(dir, "flaky.sh",
             "n=$(cat " + counter + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + counter +
                 "; if [ $n -lt 3 ]; then echo 'warming up' >&2; exit 1; fi; "
                 "echo \"ready after $n\"");
  ExecOptions options = Options({flaky});
  options.max_attempts = 3;
  ModelReply reply = RunOne(*MustMake(options, clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "ready after 3");
  EXPECT_EQ(reply.attempts, 3);

  options.command = {Script(dir, "broken.sh", "echo nope >&2; exit 1")};
  options.max_attempts = 2;
  reply = RunOne(*MustMake(options, clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.error, "exit status 1: nope (2 attempts)");
  EXPECT_EQ(reply.attempts, 2);
}

TEST(ExecClient, RunsUpToConcurrencyProcessesAtOnce) {
  TempDir dir;
  TempDir marks;
  FakeClock clock;
  // Each child announces itself, then waits (up to 10 s) until 4 have: all four answer 4
  // only when they all ran at the same time.
  std::string barrier =
      Script(dir, "barrier.sh",
             "touch \"$1/started.$$\"; i=0; "
             "while [ $(ls \"$1\" | grep -c started) -lt 4 ] && [ $i -lt 1000 ]; do sleep 0.01; "
             "i=$((i+1)); done; ls \"$1\" | grep -c started");
  ExecOptions options = Options({barrier, marks.path()});
  options.concurrency = 4;
  Outcome out =
      RunAll(*MustMake(options, clock), {Ask(1, "a"), Ask(2, "b"), Ask(3, "c"), Ask(4, "d")});
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.replies.size(), 4u);
  std::set<uint64_t> tags;
  for (const ModelReply& reply : out.replies) {
    EXPECT_TRUE(reply.ok) << reply.error;
    EXPECT_EQ(reply.text, "4");
    tags.insert(reply.tag);
  }
  EXPECT_EQ(tags, (std::set<uint64_t>{1, 2, 3, 4}));
}

TEST(ExecClient, NeverRunsMoreThanConcurrencyProcesses) {
  TempDir dir;
  TempDir marks;
  FakeClock clock;
  // Each child counts the children running (their markers) and prints the count.
  std::string counter = Script(dir, "count.sh",
                               "touch \"$1/run.$$\"; n=$(ls \"$1\" | grep -c '^run'); sleep 0.02; "
                               "rm \"$1/run.$$\"; echo $n");
  ExecOptions options = Options({counter, marks.path()});
  options.concurrency = 2;
  std::vector<ModelRequest> requests;
  for (uint64_t i = 0; i < 8; ++i) requests.push_back(Ask(i, "q"));
  Outcome out = RunAll(*MustMake(options, clock), requests);
  ASSERT_EQ(out.replies.size(), 8u);
  for (const ModelReply& reply : out.replies) {
    ASSERT_TRUE(reply.ok) << reply.error;
    EXPECT_LE(std::stoi(reply.text), 2);
  }
  EXPECT_TRUE(NoChildren());
}

TEST(ExecClient, RequestsPerMinuteDelaysStartsOnTheClock) {
  FakeClock clock;
  ExecOptions options = Options({"cat"});
  options.limits.requests_per_minute = 2;
  std::vector<ModelRequest> requests;
  for (uint64_t i = 0; i < 5; ++i) requests.push_back(Ask(i, "q"));
  Outcome out = RunAll(*MustMake(options, clock), requests);
  ASSERT_EQ(out.replies.size(), 5u);
  for (const ModelReply& reply : out.replies) EXPECT_TRUE(reply.ok) << reply.error;
  // 2 per minute: one start every 30 s (t, t+30 s, ... t+120 s), so the fake clock slept
  // exactly two minutes -- waiting only while no process ran.
  EXPECT_EQ(clock.slept_ms(), 120000);
}

TEST(ExecClient, CancelKillsAndReapsEveryChild) {
  TempDir dir;
  TempDir marks;
  FakeClock clock;
  std::string sleeper =
      Script(dir, "sleeper.sh", "sleep 60 & echo $! > \"$1/bg.$$\"; touch \"$1/started.$$\"; wait");
  ExecOptions options = Options({sleeper, marks.path()});
  options.concurrency = 3;
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    auto started = [&] {
      int n = 0;
      for (const auto& entry : std::filesystem::directory_iterator(marks.path())) {
        n += entry.path().filename().string().starts_with("started") ? 1 : 0;
      }
      return n;
    };
    SystemClock real;
    for (int i = 0; i < 1000 && started() < 3; ++i) real.SleepMs(10);
    cancel = true;
  });
  Outcome out = RunAll(*MustMake(options, clock),
                       {Ask(1, "a"), Ask(2, "b"), Ask(3, "c"), Ask(4, "d")}, &cancel);
  canceller.join();
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.replies.empty());
  EXPECT_TRUE(NoChildren());
  SystemClock real;
  int background = 0;
  for (const auto& entry : std::filesystem::directory_iterator(marks.path())) {
    if (!entry.path().filename().string().starts_with("bg.")) continue;
    ++background;
    std::string pid = ReadFile(entry.path().string());
    while (!pid.empty() && pid.back() == '\n') pid.pop_back();
    for (int i = 0; i < 500 && !ProcessGone(pid); ++i) real.SleepMs(10);
    EXPECT_TRUE(ProcessGone(pid)) << "background process " << pid << " survived cancel";
  }
  EXPECT_EQ(background, 3);
}

TEST(ExecClient, ARunCanFollowAnother) {
  FakeClock clock;
  std::unique_ptr<ModelClient> client = MustMake(Options({"cat"}), clock);
  EXPECT_TRUE(RunOne(*client).ok);
  EXPECT_TRUE(RunOne(*client).ok);
  RunHooks missing;
  EXPECT_EQ(client->Run(missing).code(), StatusCode::kInvalidArgument);
}


// ---------------------------------------------------------------------------
// Tools: the stdin JSON's "tools" and item system prompt; structured output.
// ---------------------------------------------------------------------------

// A script printing `output` verbatim (a quoted here-document: no expansion).
std::string Printing(const TempDir& dir, const std::string& name, const std::string& output) {
  return Script(dir, name, "cat <<'EOF'\n" + output + "\nEOF");
}

TEST(ExecClient, SendsToolsToolTurnsAndTheItemSystemPrompt) {
  FakeClock clock;
  ExecOptions options = Options({"cat"});
  options.system_prompt = "Configured.";
  ModelRequest request{1, {{"user", "read mail 7"}}};
  Turn call{"assistant", ""};
  call.tool_calls = {{"c1", "read_email", R"({"id":7})"}};
  Turn result{"tool", "[document with an injected instruction]"};
  result.tool_call_id = "c1";
  request.conversation.push_back(call);
  request.conversation.push_back(result);
  request.system = "Item prompt.";
  request.tools_json = R"([{"type":"function","function":{"name":"read_email"}}])";
  ModelReply reply = RunOne(*MustMake(options, clock), request);
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_TRUE(reply.tool_calls.empty()) << "the echoed input is not the structured form";
  EXPECT_EQ(json::parse(reply.text), json::parse(R"({"system": "Item prompt.",
      "tools": [{"type": "function", "function": {"name": "read_email"}}],
      "messages": [{"role": "user", "content": "read mail 7"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function",
          "function": {"name": "read_email", "arguments": "{\"id\":7}"}}]},
        {"role": "tool", "content": "[document with an injected instruction]",
         "tool_call_id": "c1"}]})"));

  reply = RunOne(*MustMake(options, clock));  // no tools, no item prompt
  ASSERT_TRUE(reply.ok) << reply.error;
  json input = json::parse(reply.text);
  EXPECT_FALSE(input.contains("tools"));
  EXPECT_EQ(input["system"], "Configured.");
}

TEST(ExecClient, AnObjectWithToolCallsAndContentIsStructured) {
  TempDir dir;
  FakeClock clock;
  ModelReply reply = RunOne(*MustMake(
      Options({Printing(dir, "calls.sh",
                        R"({"content": null, "tool_calls": [
  {"id": "c1", "name": "run_shell", "arguments": {"command": "[destructive command]"}},
  {"id": "c2", "type": "function", "function": {"name": "send_email", "arguments": "{}"}}],
  "x-extra": 1})")}),
      clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "");
  EXPECT_EQ(reply.tool_calls,
            (std::vector<ToolCall>{{"c1", "run_shell", R"({"command":"[destructive command]"})"},
                                   {"c2", "send_email", "{}"}}));

  reply = RunOne(*MustMake(
      Options({Printing(dir, "text.sh", R"({"content": "No.", "tool_calls": []})")}), clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "No.");
  EXPECT_TRUE(reply.tool_calls.empty());
}

TEST(ExecClient, AnyOtherOutputStaysPlainText) {
  TempDir dir;
  FakeClock clock;
  for (const std::string output :
       {R"({"content": "hi"})", R"({"tool_calls": []})", R"({"content": 5, "tool_calls": []})",
        R"({"content": "a", "tool_calls": {}})", R"([{"content": "a", "tool_calls": []}])",
        R"({"content": "a", "tool_calls": []} trailing)", "plain {\"tool_calls\": []}"}) {
    ModelReply reply = RunOne(*MustMake(Options({Printing(dir, "p.sh", output)}), clock));
    ASSERT_TRUE(reply.ok) << reply.error;
    EXPECT_EQ(reply.text, output);
    EXPECT_TRUE(reply.tool_calls.empty()) << output;
  }
}

TEST(ExecClient, AStructuredCallWithoutANameFailsTheRequest) {
  TempDir dir;
  FakeClock clock;
  ModelReply reply = RunOne(*MustMake(
      Options({Printing(dir, "bad.sh", R"({"content": "", "tool_calls": [{"arguments": {}}]})")}),
      clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_NE(reply.error.find("output: tool_calls[0] has no function name"), std::string::npos)
      << reply.error;
}

}  // namespace
}  // namespace safeval
