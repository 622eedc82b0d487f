// `safeval serve` end to end: the quickstart run in a store, the server started as a user would
// (--port 0), pages fetched over loopback, then Ctrl-C (SIGINT) ends it with exit code 0. Also a
// missing store (exit 2) and a port in use (exit 3).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <regex>
#include <thread>

#include "testing/pg_test_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/cli_run_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

class ServeCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    run_id_ = RunQuickstartThroughCli(*tmp_).run_id;
    ASSERT_FALSE(run_id_.empty());
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  // Starts `safeval serve` on the store; returns the port it printed (0 when it printed none
  // within 30 s), and sets pid_.
  int StartServe(const std::string& err_name, const std::vector<std::string>& extra = {},
                 std::string store = "") {
    if (store.empty()) store = tmp_->File("s.db");
    std::vector<std::string> args = {SafevalBinary(), "serve", "--store", store};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = StartProcess(args, tmp_->path(), tmp_->File(err_name + ".out"), tmp_->File(err_name));
    std::regex line("safeval: serving .* at http://127\\.0\\.0\\.1:([0-9]+)/ \\(Ctrl-C to stop\\)");
    for (int i = 0; i < 300; ++i) {
      std::smatch m;
      std::string err = ReadFile(tmp_->File(err_name));
      if (std::regex_search(err, m, line)) return std::stoi(m[1]);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }

  static TempDir* tmp_;
  static std::string run_id_;
  pid_t pid_ = -1;
};

TempDir* ServeCli::tmp_ = nullptr;
std::string ServeCli::run_id_;

TEST_F(ServeCli, ServesRunsAndItemsUntilCtrlC) {
  ASSERT_FALSE(run_id_.empty());
  int port = StartServe("serve.err", {"--port", "0"});
  ASSERT_GT(port, 0) << ReadFile(tmp_->File("serve.err"));
  httplib::Client client("127.0.0.1", port);
  httplib::Result home = client.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("<table id=\"runs\">"), std::string::npos);
  EXPECT_NE(home->body.find("href=\"/runs/" + run_id_ + "\""), std::string::npos);
  httplib::Result run = client.Get("/runs/" + run_id_);
  ASSERT_TRUE(run);
  EXPECT_EQ(run->status, 200);
  EXPECT_NE(run->body.find("DEMO TARGET"), std::string::npos);
  httplib::Result item = client.Get("/runs/" + run_id_ + "/items/0");
  ASSERT_TRUE(item);
  EXPECT_EQ(item->status, 200);
  EXPECT_NE(item->body.find("id=\"conversation\""), std::string::npos);
  EXPECT_NE(item->body.find("<table id=\"verdicts\">"), std::string::npos);
  EXPECT_NE(item->get_header_value("Content-Security-Policy").find("default-src 'none'"),
            std::string::npos);

  // A second server on the same port: a clear error, exit 3.
  ProcessResult taken = RunProcess(
      {SafevalBinary(), "serve", "--store", tmp_->File("s.db"), "--port", std::to_string(port)},
      tmp_->path());
  EXPECT_EQ(taken.exit_code, 3) << taken.err;
  EXPECT_NE(taken.err.find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << taken.err;

  ::kill(pid_, SIGINT);
  EXPECT_EQ(WaitProcess(pid_), 0) << ReadFile(tmp_->File("serve.err"));
}

TEST_F(ServeCli, AMissingStoreIsBadInput) {
  ProcessResult r = RunProcess(
      {SafevalBinary(), "serve", "--store", tmp_->File("none.db"), "--port", "0"}, tmp_->path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no store at '" + tmp_->File("none.db") + "'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(tmp_->File("none.db")));
}

// A password written in a PostgreSQL URL is used but never shown: the serving line (and every page
// header) carries the URL with "***" instead.
TEST_F(ServeCli, APostgresPasswordIsNeverPrinted) {
  SV_REQUIRE_POSTGRES();
  PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  const std::string password = "s3cr3t-pw-7731";
  std::string url = schema.url();
  size_t at = url.find('@');
  ASSERT_NE(at, std::string::npos) << url;
  size_t scheme = url.find("://") + 3;
  ASSERT_EQ(url.substr(scheme, at - scheme).find(':'), std::string::npos) << "URL has a password already";
  url.insert(at, ":" + password);  // the throwaway server trusts local connections: any password works
  int port = StartServe("pg.err", {"--port", "0"}, url);
  ASSERT_GT(port, 0) << ReadFile(tmp_->File("pg.err"));
  httplib::Client client("127.0.0.1", port);
  auto home = client.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_EQ(home->body.find(password), std::string::npos);
  EXPECT_NE(home->body.find("***"), std::string::npos);
  ::kill(pid_, SIGINT);
  EXPECT_EQ(WaitProcess(pid_), 0);
  std::string err = ReadFile(tmp_->File("pg.err"));
  EXPECT_EQ(err.find(password), std::string::npos) << err;
  EXPECT_NE(err.find("***"), std::string::npos) << err;
}

}  // namespace
}  // namespace safeval::testing
