// `safeval report RUN --format csv | head -1`: a stdout pipe whose reader goes away ends the
// command quietly with status 0, as standard Unix tools do — no "broken pipe" error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

// How the reading end of the child's stdout pipe is treated.
enum class Reader {
  kClosedAtOnce,    // closed before the child writes anything
  kFirstLineOnly,   // reads up to the first newline, then closes (like `head -1`)
};

// Runs `args` in `cwd` with stdout into a pipe handled as `reader` says; stderr into a file.
// Returns the exit code, stderr, and what was read from stdout.
ProcessResult RunIntoPipe(const std::vector<std::string>& args, const std::string& cwd,
                          Reader reader) {
  TempDir tmp;
  std::string err_path = tmp.File("err");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return {};
  pid_t pid = StartProcess(args, cwd, "", err_path, {.stdout_fd = fds[1]});
  close(fds[1]);
  ProcessResult r;
  if (reader == Reader::kFirstLineOnly) {
    char c = 0;
    while (read(fds[0], &c, 1) == 1) {
      r.out += c;
      if (c == '\n') break;
    }
  }
  close(fds[0]);
  r.exit_code = WaitProcess(pid);
  r.err = ReadFile(err_path);
  return r;
}

class ReportPipe : public ::testing::Test {
 protected:
  void SetUp() override {
    // 600 prompts of ~400 bytes against the demo target: each report is far larger than a
    // pipe's 64 KiB buffer, so writing it must meet the closed pipe.
    std::string data;
    for (int i = 0; i < 600; ++i) {
      data += R"({"id": "p)" + std::to_string(i) + R"(", "text": "[placeholder request )" +
              std::to_string(i) + " " + std::string(360, 'x') +
              R"(]", "category": "ncr", "intent": ")" + (i % 2 ? "safe" : "harmful") + "\"}\n";
    }
    dir_.Write("data.jsonl", data);
    dir_.Write("suite.yaml",
               "schema_version: 1\nname: pipe\ndatasets: [data.jsonl]\n"
               "targets:\n  - {name: demo, type: demo}\njudges:\n  - {name: rules, type: rules}\n"
               "store: store/safeval.db\noutput_dir: out\n");
    ProcessResult run = RunProcess({SafevalBinary(), "run", "suite.yaml"}, dir_.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto store = OpenSqliteStore(dir_.File("store/safeval.db"));
    ASSERT_TRUE(store.ok()) << store.status().message();
    run_id_ = (*store)->ListRuns()->front().id;
  }

  ProcessResult Report(const std::string& format, Reader reader) {
    return RunIntoPipe({SafevalBinary(), "report", run_id_, "--store", "store/safeval.db",
                        "--format", format},
                       dir_.path(), reader);
  }

  TempDir dir_;
  std::string run_id_;
};

TEST_F(ReportPipe, HeadOneOfTheCsvGetsTheHeaderAndTheCommandEndsQuietly) {
  ProcessResult r = Report("csv", Reader::kFirstLineOnly);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, ::testing::StartsWith("id,category,intent,"));
}

TEST_F(ReportPipe, EveryFormatIntoAnAlreadyClosedPipeEndsQuietly) {
  for (const char* format : {"csv", "html", "json", "md", "junit"}) {
    ProcessResult r = Report(format, Reader::kClosedAtOnce);
    EXPECT_EQ(r.exit_code, 0) << format << ": " << r.err;
    EXPECT_EQ(r.err, "") << format;
  }
}

}  // namespace
}  // namespace safeval::testing
