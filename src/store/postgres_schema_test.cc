// The PostgreSQL store's migrations against a live server (SAFEVAL_TEST_POSTGRES; skipped
// without it): a store left at version 1 (before the work queue's tables were part of the
// schema) is brought to the current version by OpenStore and by OpenWorkQueue, and keeps its
// runs, items and results — and, when an older build had already created the queue's tables
// itself, their rows too.
#include "store/postgres_schema.h"

#include <gtest/gtest.h>

#include "store/open_store.h"
#include "store/postgres_store.h"
#include "store/work_queue.h"
#include "testing/pg_test_server.h"
#include "testing/store_test_data.h"

namespace safeval::store_internal {
namespace {

// What builds before migration 2 created beside a version-1 store when a work queue was opened.
constexpr char kPreMigrationQueueTables[] = R"sql(
CREATE TABLE work_batches (
  run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  number BIGINT NOT NULL, first_index BIGINT NOT NULL, end_index BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending', worker TEXT NOT NULL DEFAULT '',
  lease_expires_at TIMESTAMPTZ, leases INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, number));
CREATE INDEX work_batches_open ON work_batches (number, run_id) WHERE state <> 'done';
CREATE TABLE workers (
  id TEXT PRIMARY KEY, host TEXT NOT NULL, pid BIGINT NOT NULL, run_id TEXT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
  items_done BIGINT NOT NULL DEFAULT 0);
CREATE TABLE work_run_workers (
  run_id TEXT COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  worker_id TEXT NOT NULL, PRIMARY KEY (run_id, worker_id));
)sql";

class PostgresSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SV_REQUIRE_POSTGRES();
    schema_ = std::make_unique<testing::PgTestSchema>();
    ASSERT_TRUE(schema_->ok()) << schema_->error();
  }

  // A version-1 store holding run "old" (3 items, item 1 answered).
  void MakeVersion1Store() {
    auto db = PgConnection::Connect(schema_->url());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    std::shared_ptr<PgConnection> conn = std::move(db).value();
    Status migrated = MigratePostgresStoreTo(*conn, 1);
    ASSERT_TRUE(migrated.ok()) << migrated.ToString();
    ASSERT_EQ(*ReadPostgresSchemaVersion(*conn), 1);
    PostgresStore v1(conn);
    ASSERT_TRUE(v1.CreateRun(testing::TestRun("old"), testing::TestPrompts(3)).ok());
    ASSERT_TRUE(v1.SaveResults("old", {testing::TestJudged(1, "kept answer")}).ok());
  }

  int Version() {
    auto db = PgConnection::Connect(schema_->url());
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return -1;
    Result<int> version = ReadPostgresSchemaVersion(**db);
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() ? *version : -1;
  }

  void ExpectOldRunKept(Store& store) {
    auto items = store.LoadItems("old");
    ASSERT_TRUE(items.ok()) << items.status().ToString();
    ASSERT_EQ(items->size(), 3u);
    EXPECT_FALSE((*items)[0].result.has_value());
    ASSERT_TRUE((*items)[1].result.has_value());
    EXPECT_EQ((*items)[1].result->response, "kept answer");
    ASSERT_EQ((*items)[1].result->verdicts.size(), 1u);
    EXPECT_EQ((*items)[1].result->verdicts[0].cls, ResponseClass::kRefuses);
    EXPECT_EQ(store.GetRun("old")->status, "running");
  }

  std::unique_ptr<testing::PgTestSchema> schema_;
};

TEST_F(PostgresSchemaTest, Version1HasNoQueueTablesAndTheCurrentVersionHas) {
  MakeVersion1Store();
  EXPECT_NE(schema_->Exec("SELECT 1 FROM work_batches"), "");
  ASSERT_TRUE(OpenStore(schema_->url()).ok());
  EXPECT_EQ(Version(), kPostgresSchemaVersion);
  EXPECT_EQ(schema_->Exec("SELECT 1 FROM work_batches; SELECT 1 FROM workers;"
                          " SELECT 1 FROM work_run_workers"),
            "");
}

TEST_F(PostgresSchemaTest, OpenStoreMigratesAVersion1StoreAndKeepsItsData) {
  MakeVersion1Store();
  auto store = OpenStore(schema_->url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(Version(), 2);
  ExpectOldRunKept(**store);
  // The migrated store serves a distributed run of its old run.
  auto queue = OpenWorkQueue(schema_->url());
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  ASSERT_TRUE((*queue)->CreateWorkBatches("old", 2).ok());
  EXPECT_EQ((*queue)->LoadWorkBatches("old")->size(), 2u);
  // Deleting the run still cascades into the new tables (their foreign keys are in place).
  ASSERT_EQ(schema_->Exec("DELETE FROM runs WHERE id = 'old'"), "");
  EXPECT_TRUE((*queue)->LoadWorkBatches("old")->empty());
}

TEST_F(PostgresSchemaTest, OpenWorkQueueMigratesAVersion1Store) {
  MakeVersion1Store();
  auto queue = OpenWorkQueue(schema_->url());
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  EXPECT_EQ(Version(), 2);
  ASSERT_TRUE((*queue)->CreateWorkBatches("old", 3).ok());
  auto store = OpenStore(schema_->url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ExpectOldRunKept(**store);
}

TEST_F(PostgresSchemaTest, KeepsQueueTablesAnOlderBuildCreated) {
  MakeVersion1Store();
  ASSERT_EQ(schema_->Exec(kPreMigrationQueueTables), "");
  ASSERT_EQ(
      schema_->Exec("INSERT INTO work_batches (run_id, number, first_index, end_index)"
                    " VALUES ('old', 1, 0, 3);"
                    " INSERT INTO workers (id, host, pid, run_id) VALUES ('w1', 'h', 7, 'old')"),
      "");
  auto queue = OpenWorkQueue(schema_->url());
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  EXPECT_EQ(Version(), 2);
  auto batches = (*queue)->LoadWorkBatches("old");
  ASSERT_TRUE(batches.ok()) << batches.status().ToString();
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].end_index, 3);
  EXPECT_EQ((*batches)[0].state, "pending");
  auto workers = (*queue)->ListWorkers("old");
  ASSERT_TRUE(workers.ok()) << workers.status().ToString();
  ASSERT_EQ(workers->size(), 1u);
  EXPECT_EQ((*workers)[0].id, "w1");
}

TEST_F(PostgresSchemaTest, MigrateToRefusesAnUnknownVersion) {
  auto db = PgConnection::Connect(schema_->url());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ(MigratePostgresStoreTo(**db, 0).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(MigratePostgresStoreTo(**db, kPostgresSchemaVersion + 1).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Version(), 0);  // nothing was created
}

}  // namespace
}  // namespace safeval::store_internal
