// A distributed run end to end (needs SAFEVAL_TEST_POSTGRES; skipped without it): `safeval run
// --distributed` creates the run and its batches in a fresh PostgreSQL schema, four `safeval
// worker` processes execute it against a slow loopback OpenAI mock, one is SIGKILLed
// mid-batch; with a 2 s lease the others take its batch over. Then every item has exactly one
// result, judged, with one verdict per judge, every batch is done and the run is finished.
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "store/open_store.h"
#include "store/work_queue.h"
#include "testing/mock_openai_server.h"
#include "testing/pg_test_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"
#include "tests/test_paths.h"

namespace safeval {
namespace {

using testing::MockOpenAiServer;
using testing::ProcessResult;
using testing::RunProcess;
using testing::SafevalBinary;
using testing::StartProcess;
using testing::WaitProcess;

constexpr int kItems = 96;
constexpr int kBatch = 8;  // 12 batches
constexpr int kWorkers = 4;

// The run id from "Run <id> created: …".
std::string RunIdOf(const std::string& out) {
  size_t at = out.find("Run ");
  if (at == std::string::npos) return "";
  size_t end = out.find(' ', at + 4);
  return out.substr(at + 4, end - at - 4);
}

TEST(DistributedTest, FourWorkersOneKilledEveryItemJudgedOnce) {
  SV_REQUIRE_POSTGRES();
  testing::PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  // 150 ms per answer, 2 in flight per worker: a batch of 8 takes about 0.6 s.
  MockOpenAiServer mock([](const std::string& body, int) {
    testing::MockReply reply = MockOpenAiServer::DefaultReply(body);
    reply.delay_ms = 150;
    return reply;
  });
  testing::TempDir dir;
  testing::WriteDataset(dir, kItems);
  std::string suite = testing::WriteOpenAiSuite(dir, mock.base_url(), "    concurrency: 2\n");

  ProcessResult created = RunProcess({SafevalBinary(), "run", suite, "--store", schema.url(),
                                      "--distributed", "--batch-size", std::to_string(kBatch)},
                                     dir.path());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::string run_id = RunIdOf(created.out);
  ASSERT_FALSE(run_id.empty()) << created.out;
  EXPECT_NE(created.out.find("start workers with: safeval worker --store"), std::string::npos)
      << created.out;
  EXPECT_EQ(mock.requests(), 0) << "a distributed run sends nothing itself";

  std::vector<pid_t> pids;
  for (int w = 0; w < kWorkers; ++w) {
    std::string n = std::to_string(w);
    pids.push_back(StartProcess({SafevalBinary(), "worker", "--store", schema.url(), "--run",
                                 run_id, "--lease-seconds", "2"},
                                dir.path(), dir.File("worker" + n + ".out"),
                                dir.File("worker" + n + ".err")));
  }
  // Kill worker 0 as soon as it holds a batch (ids are "<host>-<pid>-<random>").
  auto queue = OpenWorkQueue(schema.url());
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  std::string victim = "-" + std::to_string(pids[0]) + "-";
  bool killed = false;
  for (int attempt = 0; attempt < 3000 && !killed; ++attempt) {
    auto batches = (*queue)->LoadWorkBatches(run_id);
    ASSERT_TRUE(batches.ok()) << batches.status().ToString();
    for (const WorkBatch& b : *batches) {
      if (b.state == "leased" && b.worker.find(victim) != std::string::npos) {
        ASSERT_EQ(kill(pids[0], SIGKILL), 0);
        killed = true;
        break;
      }
    }
    if (!killed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(killed) << "worker 0 never leased a batch";
  EXPECT_EQ(WaitProcess(pids[0]), 128 + SIGKILL);
  for (int w = 1; w < kWorkers; ++w) {
    EXPECT_EQ(WaitProcess(pids[w]), 0)
        << "worker " << w << ":\n"
        << testing::ReadFile(dir.File("worker" + std::to_string(w) + ".err"));
  }

  auto store = OpenStore(schema.url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto run = (*store)->GetRun(run_id);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "finished");
  EXPECT_FALSE(run->finished_at.empty());
  auto items = (*store)->LoadItems(run_id);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), static_cast<size_t>(kItems));
  for (const StoredItem& item : *items) {
    ASSERT_TRUE(item.result.has_value()) << "item " << item.index << " has no result";
    EXPECT_EQ(item.result->outcome, Outcome::kJudged) << "item " << item.index;
    EXPECT_EQ(item.result->verdicts.size(), 1u) << "item " << item.index;
  }
  auto batches = (*queue)->LoadWorkBatches(run_id);
  ASSERT_TRUE(batches.ok());
  ASSERT_EQ(batches->size(), static_cast<size_t>(kItems / kBatch));
  int released = 0;
  for (const WorkBatch& b : *batches) {
    EXPECT_EQ(b.state, "done") << "batch " << b.number;
    if (b.leases > 1) ++released;
  }
  EXPECT_GE(released, 1) << "the killed worker's batch was leased again";
  // Each item was sent once, except those of the killed batch whose results it never saved.
  EXPECT_GE(mock.requests(), kItems);
  std::string logs;
  for (int w = 0; w < kWorkers; ++w) logs += testing::ReadFile(dir.File("worker" + std::to_string(w) + ".err"));
  EXPECT_LE(mock.requests(), kItems + kBatch) << logs;

  ProcessResult show =
      RunProcess({SafevalBinary(), "runs", "show", run_id, "--store", schema.url()}, dir.path());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("Work     12 batches: 12 done, 0 leased, 0 pending"), std::string::npos)
      << show.out;
  EXPECT_NE(show.out.find("Workers  4"), std::string::npos) << show.out;
}

TEST(DistributedTest, DistributedNeedsAPostgresStore) {
  testing::TempDir dir;
  testing::WriteDataset(dir, 3);
  std::string suite = testing::WriteOpenAiSuite(dir, "http://127.0.0.1:9/v1");
  ProcessResult r = RunProcess({SafevalBinary(), "run", suite, "--distributed"}, dir.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--distributed needs a PostgreSQL store"), std::string::npos) << r.err;
}

TEST(DistributedTest, APasswordInTheUrlIsNeverShown) {
  testing::TempDir dir;
  ProcessResult r = RunProcess(
      {SafevalBinary(), "worker", "--store", "postgresql://u:s3cr3t-pw@127.0.0.1:1/db"}, dir.path());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cannot connect to store"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("s3cr3t-pw"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find("s3cr3t-pw"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace safeval
