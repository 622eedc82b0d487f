// Issue 10: a full disk gives a clear error and a resumable run; reports written to a full disk
// fail clearly and leave no partial file. The disk is made "full" for the safeval child process
// alone with RLIMIT_FSIZE (SIGXFSZ ignored, so a write past the limit fails with EFBIG as it
// would with ENOSPC): no root, no mount, and the rest of the machine is unaffected.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"
#include "testing/mock_openai_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kItems = 400;
// Every answer is this long, so the results outgrow the limit long before the run ends while
// the run's creation (the prompts) fits well within it.
constexpr size_t kAnswerBytes = 3000;
constexpr rlim_t kStoreLimit = 640 * 1024;

// Runs `args` in `cwd` like RunProcess, with every file the child writes limited to
// `max_file_bytes` (0: no limit) and stdout sent to `stdout_path` (a file of the test, or
// e.g. /dev/full).
ProcessResult RunWithFileLimit(const std::vector<std::string>& args, const std::string& cwd,
                               rlim_t max_file_bytes, const std::string& stdout_path = "") {
  TempDir tmp;
  std::string out_path = stdout_path.empty() ? tmp.File("out") : stdout_path;
  std::string err_path = tmp.File("err");
  pid_t pid = StartProcess(args, cwd, out_path, err_path,
                           {.max_file_bytes = static_cast<uint64_t>(max_file_bytes)});
  ProcessResult r;
  r.exit_code = WaitProcess(pid);
  if (stdout_path.empty()) r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

// "ok" when SQLite's integrity check passes on the store at `path`.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_exec(
        db, "PRAGMA integrity_check",
        [](void* out, int, char** values, char**) {
          *static_cast<std::string*>(out) += values[0] ? values[0] : "NULL";
          return 0;
        },
        &result, nullptr);
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_close(db);
  return result;
}

// No sign of a crash: sanitizer reports, failed assertions, uncaught exceptions.
void ExpectNoCrash(const ProcessResult& r) {
  EXPECT_LT(r.exit_code, 128) << "killed by signal " << r.exit_code - 128 << "\n" << r.err;
  for (const char* sign : {"AddressSanitizer", "runtime error:", "LeakSanitizer", "Assertion",
                           "terminate called", "what():"}) {
    EXPECT_THAT(r.err, Not(HasSubstr(sign)));
  }
}

// Answers every prompt with a long refusal, slowly enough (40 ms at concurrency 4, while
// results are committed every second) that usually some results are committed before the store
// fills up; records which prompts it was asked.
class LongAnswerEndpoint {
 public:
  LongAnswerEndpoint()
      : server_([this](const std::string& body, int) {
          std::string text = nlohmann::json::parse(body)["messages"].back()["content"];
          {
            std::lock_guard<std::mutex> lock(mu_);
            texts_.push_back(text);
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(40));
          std::string answer = "I can't help with that.";
          while (answer.size() < kAnswerBytes) answer += " I can't help with that.";
          return MockOpenAiServer::ChatReply(answer);
        }) {}
  std::string base_url() const { return server_.base_url(); }
  std::vector<std::string> texts() {
    std::lock_guard<std::mutex> lock(mu_);
    return texts_;
  }

 private:
  std::mutex mu_;
  std::vector<std::string> texts_;
  MockOpenAiServer server_;
};

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteDataset(dir_, kItems);
    suite_ = WriteOpenAiSuite(dir_, endpoint_.base_url(), "    concurrency: 4\n",
                              "campaign: {batch_size: 50}\n");
  }

  std::string store_path() const { return dir_.File("store/safeval.db"); }
  std::string RunId() {
    auto store = OpenSqliteStore(store_path());
    EXPECT_TRUE(store.ok()) << store.status().message();
    auto runs = (*store)->ListRuns();
    EXPECT_TRUE(runs.ok() && runs->size() == 1u);
    return runs.ok() && !runs->empty() ? runs->front().id : "";
  }

  TempDir dir_;
  LongAnswerEndpoint endpoint_;
  std::string suite_;
};

TEST_F(DiskFullTest, AFullDiskStopsTheRunClearlyAndItResumesWithNothingLostOrRepeated) {
  ProcessResult full = RunWithFileLimit({SafevalBinary(), "run", suite_}, dir_.path(), kStoreLimit);
  ExpectNoCrash(full);
  EXPECT_EQ(full.exit_code, 3) << full.err;
  std::string run_id = RunId();
  ASSERT_FALSE(run_id.empty()) << full.err;
  // What failed, where, and the one command that carries on.
  EXPECT_THAT(full.err, HasSubstr("store '" + std::string("store/safeval.db") + "'"));
  EXPECT_THAT(full.err, HasSubstr("a file size limit was reached"));
  EXPECT_THAT(full.err, HasSubstr("the store could not be written"));
  EXPECT_THAT(full.err, HasSubstr("run " + run_id + " stopped"));
  EXPECT_THAT(full.err, HasSubstr("safeval run --resume " + run_id + " --store store/safeval.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/" + run_id + "/results.json")));

  // The store is intact and holds what was committed before the disk filled up.
  EXPECT_EQ(IntegrityCheck(store_path()), "ok");
  std::set<std::string> committed;
  {
    auto store = OpenSqliteStore(store_path());
    ASSERT_TRUE(store.ok()) << store.status().message();
    std::vector<StoredItem> items = *(*store)->LoadItems(run_id);
    ASSERT_EQ(items.size(), static_cast<size_t>(kItems));
    for (const auto& item : items)
      if (item.result) committed.insert(item.prompt.LastUserText());
    EXPECT_NE((*store)->GetRun(run_id)->status, "finished");
  }
  EXPECT_LT(committed.size(), static_cast<size_t>(kItems));
  RecordProperty("committed_before_full", static_cast<int>(committed.size()));
  size_t requests_before = endpoint_.texts().size();

  ProcessResult resumed = RunWithFileLimit(
      {SafevalBinary(), "run", "--resume", run_id, "--store", "store/safeval.db"}, dir_.path(), 0);
  ExpectNoCrash(resumed);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(IntegrityCheck(store_path()), "ok");
  auto store = OpenSqliteStore(store_path());
  ASSERT_TRUE(store.ok());
  std::vector<StoredItem> items = *(*store)->LoadItems(run_id);
  ASSERT_EQ(items.size(), static_cast<size_t>(kItems));
  for (const auto& item : items) {
    ASSERT_TRUE(item.result.has_value()) << item.prompt.id;
    EXPECT_EQ(item.result->outcome, Outcome::kJudged) << item.prompt.id;
    EXPECT_EQ(item.result->verdicts.size(), 1u) << item.prompt.id;
  }
  EXPECT_EQ((*store)->GetRun(run_id)->status, "finished");
  // The resumed run asked for exactly the items not committed before the failure, each once.
  std::vector<std::string> texts = endpoint_.texts();
  std::multiset<std::string> after(texts.begin() + static_cast<std::ptrdiff_t>(requests_before),
                                   texts.end());
  EXPECT_EQ(after.size(), kItems - committed.size());
  for (const std::string& text : after) {
    EXPECT_EQ(committed.count(text), 0u) << "committed item asked again: " << text;
    EXPECT_EQ(after.count(text), 1u) << "asked twice: " << text;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out/" + run_id + "/results.json")));
}

// A finished run whose report files cannot be written: a clear error naming the file, and no
// file (complete or partial) left under the report's name or its temporary name.
class ReportOnFullDisk : public DiskFullTest {
 protected:
  void SetUp() override {
    DiskFullTest::SetUp();
    ProcessResult r = RunProcess({SafevalBinary(), "run", suite_}, dir_.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    run_id_ = RunId();
  }

  ProcessResult Report(std::vector<std::string> args, rlim_t limit,
                       const std::string& stdout_path = "") {
    args.insert(args.begin(), {SafevalBinary(), "report", run_id_, "--store", "store/safeval.db"});
    return RunWithFileLimit(args, dir_.path(), limit, stdout_path);
  }

  std::string run_id_;
};

// Above the 32 KiB of SQLite's shared-memory file (opening the store creates it), below the
// size of the run's report.html and CSV.
constexpr rlim_t kReportLimit = 48 * 1024;

TEST_F(ReportOnFullDisk, TheDefaultReportsFailClearlyAndLeaveNoPartialFile) {
  ASSERT_GT(std::filesystem::file_size(dir_.File("out/" + run_id_ + "/results.json")), kReportLimit);
  ProcessResult r = Report({"-o", "reports/"}, kReportLimit);
  ExpectNoCrash(r);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("cannot write 'reports/results.json': a file size limit was reached "
                               "(File too large); no partial file was left"));
  EXPECT_THAT(r.out, Not(HasSubstr("Report:")));
  for (const char* name : {"results.json", "results.json.tmp", "report.html", "report.html.tmp"}) {
    EXPECT_FALSE(std::filesystem::exists(dir_.File("reports/") + name)) << name;
  }
}

TEST_F(ReportOnFullDisk, CsvAndHtmlFilesFailClearlyAndLeaveNoPartialFile) {
  for (const char* name : {"items.csv", "report.html"}) {
    ProcessResult r = Report({"-o", name}, kReportLimit);
    ExpectNoCrash(r);
    EXPECT_EQ(r.exit_code, 3) << name;
    EXPECT_THAT(r.err, HasSubstr("cannot write '" + std::string(name) +
                                 "': a file size limit was reached (File too large); no partial "
                                 "file was left"));
    EXPECT_FALSE(std::filesystem::exists(dir_.File(name))) << name;
    EXPECT_FALSE(std::filesystem::exists(dir_.File(std::string(name) + ".tmp"))) << name;
  }
}

TEST_F(ReportOnFullDisk, StdoutOnAFullDeviceIsAnErrorNotASilentSuccess) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no writable /dev/full";
  for (const char* format : {"csv", "json", "md"}) {
    ProcessResult r = Report({"--format", format}, 0, "/dev/full");
    ExpectNoCrash(r);
    EXPECT_EQ(r.exit_code, 3) << format;
    EXPECT_THAT(r.err, HasSubstr("standard output: ")) << format;
    EXPECT_THAT(r.err, HasSubstr("cannot write the")) << format;
    EXPECT_THAT(r.err, HasSubstr("No space left on device")) << format;
  }
}

}  // namespace
}  // namespace safeval::testing
