// The PostgreSQL work queue against a live server (SAFEVAL_TEST_POSTGRES; skipped without it):
// batches, exclusive leases under concurrency, expiry by the database clock, saves that check
// the lease in their own transaction, completion that finishes the run.
//
// Expiry is tested without waiting: a lease of 0 s expires at once (the database's now() of any
// later transaction is past it).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "store/open_store.h"
#include "store/work_queue.h"
#include "testing/pg_test_server.h"
#include "testing/store_test_data.h"

namespace safeval {
namespace {

using std::chrono::seconds;

WorkerRecord Worker(const std::string& id) {
  WorkerRecord w;
  w.id = id;
  w.host = "host";
  w.pid = 42;
  return w;
}

class PostgresWorkQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SV_REQUIRE_POSTGRES();
    schema_ = std::make_unique<testing::PgTestSchema>();
    ASSERT_TRUE(schema_->ok()) << schema_->error();
    auto store = OpenStore(schema_->url());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    queue_ = OpenQueue();
    ASSERT_NE(queue_, nullptr);
  }

  std::unique_ptr<WorkQueue> OpenQueue() {
    auto queue = OpenWorkQueue(schema_->url());
    EXPECT_TRUE(queue.ok()) << queue.status().ToString();
    return queue.ok() ? std::move(queue).value() : nullptr;
  }

  // A run of `items` prompts split into batches of `batch_size`.
  void CreateRun(const std::string& id, int items, int batch_size) {
    ASSERT_TRUE(store_->CreateRun(testing::TestRun(id), testing::TestPrompts(items)).ok());
    Status created = queue_->CreateWorkBatches(id, batch_size);
    ASSERT_TRUE(created.ok()) << created.ToString();
  }

  int64_t Pending(const std::string& run_id) {
    auto pending = store_->PendingItems(run_id);
    EXPECT_TRUE(pending.ok());
    return pending.ok() ? static_cast<int64_t>(pending->size()) : -1;
  }

  std::unique_ptr<testing::PgTestSchema> schema_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WorkQueue> queue_;
};

TEST_F(PostgresWorkQueueTest, SplitsARunIntoBatchesOnce) {
  CreateRun("r1", 10, 4);
  ASSERT_TRUE(queue_->CreateWorkBatches("r1", 3).ok());  // already split: kept as it was
  auto batches = queue_->LoadWorkBatches("r1");
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 3u);
  EXPECT_EQ((*batches)[0].first_index, 0);
  EXPECT_EQ((*batches)[0].end_index, 4);
  EXPECT_EQ((*batches)[2].number, 3);
  EXPECT_EQ((*batches)[2].first_index, 8);
  EXPECT_EQ((*batches)[2].end_index, 10);
  for (const WorkBatch& b : *batches) {
    EXPECT_EQ(b.state, "pending");
    EXPECT_EQ(b.worker, "");
    EXPECT_EQ(b.lease_expires_at, "");
    EXPECT_EQ(b.leases, 0);
  }
  EXPECT_EQ(queue_->CreateWorkBatches("nope", 4).code(), StatusCode::kNotFound);
  EXPECT_EQ(queue_->CreateWorkBatches("r1", 0).code(), StatusCode::kInvalidArgument);
}

TEST_F(PostgresWorkQueueTest, RefusesAStoreThatIsNotPostgres) {
  auto queue = OpenWorkQueue("runs/safeval.db");
  ASSERT_FALSE(queue.ok());
  EXPECT_EQ(queue.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(queue.status().message().find("--distributed needs a PostgreSQL store"),
            std::string::npos);
}

TEST_F(PostgresWorkQueueTest, LeasesLowestNumberFirstAndRecordsTheHolder) {
  CreateRun("r1", 10, 4);
  ASSERT_TRUE(queue_->RegisterWorker(Worker("w1")).ok());
  auto a = queue_->LeaseBatch("w1", "r1", seconds(60));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ((*a)->number, 1);
  EXPECT_EQ((*a)->state, "leased");
  EXPECT_EQ((*a)->worker, "w1");
  EXPECT_EQ((*a)->leases, 1);
  EXPECT_EQ((*a)->lease_expires_at.size(), 20u) << (*a)->lease_expires_at;  // ISO 8601 UTC
  auto b = queue_->LeaseBatch("w1", "r1", seconds(60));
  ASSERT_TRUE(b.ok() && b->has_value());
  EXPECT_EQ((*b)->number, 2);
}

TEST_F(PostgresWorkQueueTest, ConcurrentWorkersNeverGetTheSameBatch) {
  CreateRun("r1", 200, 5);  // 40 batches
  std::mutex mu;
  std::vector<int64_t> leased;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      auto queue = OpenWorkQueue(schema_->url());
      if (!queue.ok()) {
        ++errors;
        return;
      }
      std::string worker = "w" + std::to_string(t);
      while (true) {
        auto batch = (*queue)->LeaseBatch(worker, "r1", seconds(60));
        if (!batch.ok()) {
          ++errors;
          return;
        }
        if (!batch->has_value()) return;
        std::lock_guard<std::mutex> lock(mu);
        leased.push_back((*batch)->number);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(errors.load(), 0);
  std::sort(leased.begin(), leased.end());
  ASSERT_EQ(leased.size(), 40u);
  for (size_t i = 0; i < leased.size(); ++i) EXPECT_EQ(leased[i], static_cast<int64_t>(i + 1));
}

TEST_F(PostgresWorkQueueTest, AnExpiredLeaseIsLeasedAgain) {
  CreateRun("r1", 4, 4);  // one batch
  auto first = queue_->LeaseBatch("w1", "r1", seconds(0));  // expires at once
  ASSERT_TRUE(first.ok() && first->has_value());
  auto second = queue_->LeaseBatch("w2", "r1", seconds(60));
  ASSERT_TRUE(second.ok() && second->has_value()) << "the expired batch is leased again";
  EXPECT_EQ((*second)->number, 1);
  EXPECT_EQ((*second)->worker, "w2");
  EXPECT_EQ((*second)->leases, 2);
  auto third = queue_->LeaseBatch("w3", "r1", seconds(60));
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third->has_value()) << "a live lease is not taken";
  // The old holder can no longer renew, save or complete it.
  EXPECT_EQ(queue_->RenewLease("w1", "r1", 1, seconds(60)).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(queue_->CompleteBatch("w1", "r1", 1).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(queue_->RenewLease("w2", "r1", 1, seconds(60)).ok());
}

TEST_F(PostgresWorkQueueTest, SaveAfterExpiryWritesNothing) {
  CreateRun("r1", 4, 4);
  ASSERT_TRUE(queue_->RegisterWorker(Worker("w1")).ok());
  auto lease = queue_->LeaseBatch("w1", "r1", seconds(0));
  ASSERT_TRUE(lease.ok() && lease->has_value());
  Status saved = queue_->SaveLeasedResults("w1", "r1", 1, {testing::TestJudged(0), testing::TestJudged(1)});
  EXPECT_EQ(saved.code(), StatusCode::kFailedPrecondition) << saved.ToString();
  EXPECT_NE(saved.message().find("lease lost"), std::string::npos);
  EXPECT_EQ(Pending("r1"), 4);
  // Re-leased, also after the expired holder tried: the new holder's save lands.
  auto again = queue_->LeaseBatch("w2", "r1", seconds(60));
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ(queue_->SaveLeasedResults("w1", "r1", 1, {testing::TestJudged(0)}).code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(queue_->SaveLeasedResults("w2", "r1", 1, {testing::TestJudged(0), testing::TestJudged(1)}).ok());
  EXPECT_EQ(Pending("r1"), 2);
  auto workers = queue_->ListWorkers("r1");
  ASSERT_TRUE(workers.ok()) << workers.status().ToString();
  ASSERT_EQ(workers->size(), 1u);  // w2 never registered: only w1, seen through its lease
  EXPECT_EQ((*workers)[0].id, "w1");
  EXPECT_EQ((*workers)[0].items_done, 0);
}

TEST_F(PostgresWorkQueueTest, SaveOutsideTheBatchIsRefusedWhole) {
  CreateRun("r1", 8, 4);
  auto lease = queue_->LeaseBatch("w1", "r1", seconds(60));
  ASSERT_TRUE(lease.ok() && lease->has_value());
  Status saved = queue_->SaveLeasedResults("w1", "r1", 1, {testing::TestJudged(0), testing::TestJudged(5)});
  EXPECT_EQ(saved.code(), StatusCode::kInvalidArgument) << saved.ToString();
  EXPECT_EQ(Pending("r1"), 8);
}

TEST_F(PostgresWorkQueueTest, CompletingTheLastBatchFinishesTheRun) {
  CreateRun("r1", 6, 4);
  ASSERT_TRUE(queue_->RegisterWorker(Worker("w1")).ok());
  for (int64_t n = 1; n <= 2; ++n) {
    auto lease = queue_->LeaseBatch("w1", "r1", seconds(60));
    ASSERT_TRUE(lease.ok() && lease->has_value());
    std::vector<ItemResult> results;
    for (int64_t i = (*lease)->first_index; i < (*lease)->end_index; ++i) results.push_back(testing::TestJudged(i));
    ASSERT_TRUE(queue_->SaveLeasedResults("w1", "r1", n, results).ok());
    auto run = store_->GetRun("r1");
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->status, "running");
    ASSERT_TRUE(queue_->CompleteBatch("w1", "r1", n).ok());
  }
  auto run = store_->GetRun("r1");
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "finished");
  EXPECT_FALSE(run->finished_at.empty());
  EXPECT_EQ(Pending("r1"), 0);
  auto batches = queue_->LoadWorkBatches("r1");
  ASSERT_TRUE(batches.ok());
  for (const WorkBatch& b : *batches) EXPECT_EQ(b.state, "done");
  auto workers = queue_->ListWorkers("r1");
  ASSERT_TRUE(workers.ok() && workers->size() == 1u);
  EXPECT_EQ((*workers)[0].items_done, 6);
  EXPECT_FALSE((*workers)[0].last_seen.empty());
  auto none = queue_->LeaseBatch("w1", "r1", seconds(60));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST_F(PostgresWorkQueueTest, WithoutARunOnlyRunningRunsAreLeased) {
  CreateRun("done-run", 4, 4);
  CreateRun("live-run", 4, 4);
  RunRecord finished = testing::TestRun("done-run");
  finished.status = "finished";
  finished.finished_at = "2026-11-28T04:00:00Z";
  ASSERT_TRUE(store_->UpdateRun(finished).ok());
  auto lease = queue_->LeaseBatch("w1", "", seconds(60));
  ASSERT_TRUE(lease.ok() && lease->has_value()) << (lease.ok() ? "" : lease.status().ToString());
  EXPECT_EQ((*lease)->run_id, "live-run");
  auto none = queue_->LeaseBatch("w1", "", seconds(60));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace safeval
