// The worker loop (run/distributed_worker.h) without PostgreSQL: an in-memory WorkQueue whose
// saves go to a SQLite store, the built-in demo target, and a thread-safe fake clock that moves
// only when the worker sleeps (its lease expiry is decided by that clock).
#include "run/distributed_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <sstream>

#include "run/distributed_run.h"
#include "tests/suite_fixture.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

// Moves only by SleepMs/Advance; safe to read from the heartbeat thread.
class TestClock : public Clock {
 public:
  int64_t NowMs() override { return now_ms_.load(); }
  std::string NowIso8601() override { return "2026-11-28T03:10:00Z"; }
  void SleepMs(int64_t ms) override { now_ms_ += ms; }

 private:
  std::atomic<int64_t> now_ms_{1'000'000};
};

// A WorkQueue in memory over one run, with the semantics of the PostgreSQL one; leases expire
// by `clock`. `lose_save_of` makes the first save of that batch find its lease taken by
// "ghost" (which then never renews it).
class FakeWorkQueue : public WorkQueue {
 public:
  FakeWorkQueue(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  int64_t lose_save_of = 0;
  int saves = 0;
  int completes = 0;
  int renewals = 0;

  Status CreateWorkBatches(const std::string& run_id, int64_t batch_size) override {
    std::lock_guard<std::mutex> lock(mu_);
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store_.PendingItems(run_id));
    int64_t n = static_cast<int64_t>(items.size());
    for (int64_t first = 0, number = 1; first < n; first += batch_size, ++number) {
      WorkBatch b;
      b.run_id = run_id;
      b.number = number;
      b.first_index = first;
      b.end_index = std::min(n, first + batch_size);
      b.state = "pending";
      batches_[number] = b;
      expiry_[number] = 0;
    }
    return Status::Ok();
  }
  Status RegisterWorker(const WorkerRecord& worker) override {
    std::lock_guard<std::mutex> lock(mu_);
    workers_.push_back(worker);
    return Status::Ok();
  }
  Result<std::optional<WorkBatch>> LeaseBatch(const std::string& worker_id, const std::string&,
                                              std::chrono::seconds lease) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [number, b] : batches_) {
      if (b.state == "pending" || (b.state == "leased" && Expired(number))) {
        b.state = "leased";
        b.worker = worker_id;
        ++b.leases;
        expiry_[number] = clock_.NowMs() + lease.count() * 1000;
        return std::optional<WorkBatch>(b);
      }
    }
    return std::optional<WorkBatch>();
  }
  Status RenewLease(const std::string& worker_id, const std::string&, int64_t batch,
                    std::chrono::seconds lease) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!Holds(worker_id, batch)) return Status::FailedPrecondition("lease lost");
    ++renewals;
    expiry_[batch] = clock_.NowMs() + lease.count() * 1000;
    return Status::Ok();
  }
  Status SaveLeasedResults(const std::string& worker_id, const std::string& run_id, int64_t batch,
                           const std::vector<ItemResult>& results) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (batch == lose_save_of) {
      lose_save_of = 0;
      batches_[batch].worker = "ghost";
      expiry_[batch] = clock_.NowMs() + 30'000;
    }
    if (!Holds(worker_id, batch)) return Status::FailedPrecondition("lease lost");
    ++saves;
    return store_.SaveResults(run_id, results);
  }
  Status CompleteBatch(const std::string& worker_id, const std::string& run_id,
                       int64_t batch) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!Holds(worker_id, batch)) return Status::FailedPrecondition("lease lost");
    ++completes;
    batches_[batch].state = "done";
    for (auto& [n, b] : batches_)
      if (b.state != "done") return Status::Ok();
    SV_ASSIGN_OR_RETURN(RunRecord run, store_.GetRun(run_id));
    run.status = "finished";
    run.finished_at = "2026-11-28T04:00:00Z";
    return store_.UpdateRun(run);
  }
  Result<std::vector<WorkBatch>> LoadWorkBatches(const std::string&) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<WorkBatch> out;
    for (auto& [n, b] : batches_) out.push_back(b);
    return out;
  }
  Result<std::vector<WorkerRecord>> ListWorkers(const std::string&) override {
    std::lock_guard<std::mutex> lock(mu_);
    return workers_;
  }

 private:
  bool Expired(int64_t batch) { return expiry_[batch] <= clock_.NowMs(); }
  bool Holds(const std::string& worker, int64_t batch) {
    const WorkBatch& b = batches_[batch];
    return b.state == "leased" && b.worker == worker && !Expired(batch);
  }

  Store& store_;
  Clock& clock_;
  std::mutex mu_;
  std::map<int64_t, WorkBatch> batches_;
  std::map<int64_t, int64_t> expiry_;
  std::vector<WorkerRecord> workers_;
};

class DistributedWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WriteDataset(dir_, 10);
    suite_ = dir_.Write("suite.yaml",
                        "schema_version: 1\nname: dist\ndatasets: [data.jsonl]\n"
                        "targets:\n  - {name: demo, type: demo}\n"
                        "judges:\n  - {name: rules, type: rules}\n"
                        "store: store.db\noutput_dir: out\n");
    auto store = OpenSqliteStore(":memory:");
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    env_.clock = &clock_;
    env_.getenv = [](const std::string&) { return std::optional<std::string>(); };
    env_.out = &out_;
    env_.err = &err_;
    EvaluationRequest request;
    request.suite_path = suite_;
    auto created = CreateRuns(request, env_, *store_);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    ASSERT_EQ(created->runs.size(), 1u);
    run_id_ = created->runs[0].id;
    queue_ = std::make_unique<FakeWorkQueue>(*store_, clock_);
    ASSERT_TRUE(queue_->CreateWorkBatches(run_id_, 4).ok());  // [0,4) [4,8) [8,10)
    options_.identity.id = "host-1-abc";
    options_.identity.run_id = run_id_;
    options_.lease = std::chrono::seconds(6);
    options_.idle_poll_ms = 1000;
  }

  Result<WorkerSummary> Run() { return RunWorker(options_, *queue_, *queue_, *store_, env_); }

  // Every item has one result with one verdict per judge.
  void ExpectAllJudgedOnce() {
    auto items = store_->LoadItems(run_id_);
    ASSERT_TRUE(items.ok());
    ASSERT_EQ(items->size(), 10u);
    for (const StoredItem& item : *items) {
      ASSERT_TRUE(item.result.has_value()) << "item " << item.index;
      EXPECT_EQ(item.result->outcome, Outcome::kJudged);
      EXPECT_EQ(item.result->verdicts.size(), 1u);
    }
  }

  testing::TempDir dir_;
  std::string suite_;
  TestClock clock_;
  std::ostringstream out_, err_;
  EvaluationEnv env_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<FakeWorkQueue> queue_;
  std::string run_id_;
  WorkerOptions options_;
};

TEST_F(DistributedWorkerTest, CreatedRunsHaveEveryItemPendingAndNothingExecuted) {
  auto pending = store_->PendingItems(run_id_);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 10u);
  auto run = store_->GetRun(run_id_);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "running");
  ASSERT_EQ(run->judges.size(), 1u);
  EXPECT_EQ(run->judges[0].rfind("rules@", 0), 0u) << run->judges[0];
}

TEST_F(DistributedWorkerTest, DoesEveryBatchAndFinishesTheRun) {
  int reports = 0;
  env_.write_report = [&](Store&, const RunRecord& run, const Taxonomy&, const Policy&) {
    ++reports;
    EXPECT_EQ(run.status, "finished");
    return Result<Totals>(Totals{});
  };
  auto summary = Run();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->batches, 3);
  EXPECT_EQ(summary->items, 10);
  EXPECT_EQ(summary->lost_leases, 0);
  EXPECT_FALSE(summary->interrupted);
  EXPECT_EQ(queue_->completes, 3);
  EXPECT_EQ(reports, 1);
  ExpectAllJudgedOnce();
  auto run = store_->GetRun(run_id_);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->status, "finished");
  auto workers = queue_->ListWorkers(run_id_);
  ASSERT_TRUE(workers.ok());
  ASSERT_EQ(workers->size(), 1u);
  EXPECT_EQ((*workers)[0].id, "host-1-abc");
}

TEST_F(DistributedWorkerTest, ALostLeaseDropsTheBatchThenTheExpiredBatchIsRedone) {
  queue_->lose_save_of = 2;  // "ghost" takes batch 2 as the worker saves it, then dies
  auto summary = Run();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(summary->lost_leases, 1);
  EXPECT_EQ(summary->batches, 3) << "batch 2 is done once the ghost's lease expired";
  EXPECT_EQ(summary->items, 10);
  EXPECT_NE(err_.str().find("lost the lease of batch 2"), std::string::npos) << err_.str();
  ExpectAllJudgedOnce();
  auto batches = queue_->LoadWorkBatches(run_id_);
  ASSERT_TRUE(batches.ok());
  EXPECT_EQ((*batches)[1].leases, 2);
}

TEST_F(DistributedWorkerTest, StopsAtOnceWhenCancelled) {
  std::atomic<bool> cancel{true};
  env_.cancel = &cancel;
  auto summary = Run();
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_TRUE(summary->interrupted);
  EXPECT_EQ(summary->batches, 0);
  EXPECT_EQ(queue_->completes, 0);
}

TEST_F(DistributedWorkerTest, AChangedSuiteIsRefusedAsByResume) {
  dir_.Write("suite.yaml",
             "schema_version: 1\nname: dist\ndatasets: [data.jsonl]\n"
             "targets:\n  - {name: demo, type: demo}\n"
             "judges:\n  - {name: strict, type: rules}\n"
             "store: store.db\noutput_dir: out\n");
  auto summary = Run();
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(summary.status().message().find("changed since run"), std::string::npos);
}

TEST_F(DistributedWorkerTest, DistributedRunsNeedAPostgresStore) {
  EvaluationRequest request;
  request.suite_path = suite_;
  request.store = dir_.path() + "/store.db";
  auto runs = CreateDistributedRuns(request, 0, env_);
  ASSERT_FALSE(runs.ok());
  EXPECT_EQ(runs.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(runs.status().message().find("--distributed needs a PostgreSQL store"),
            std::string::npos);
}

}  // namespace
}  // namespace safeval
