#include "store/postgres_work_queue.h"

#include <mutex>
#include <pqxx/pqxx>

#include "store/open_store.h"
#include "store/postgres_connection.h"
#include "store/postgres_store.h"

namespace safeval {

namespace {

// The store's own tables this queue reads and updates (the PostgreSQL store's schema).
constexpr char kRunExists[] = "SELECT 1 FROM runs WHERE id = $1";
constexpr char kItemCount[] = "SELECT count(*) FROM items WHERE run_id = $1";
constexpr char kRunningRuns[] = "SELECT id FROM runs WHERE status = 'running'";
constexpr char kFinishRun[] =
    "UPDATE runs SET status = 'finished', "
    "finished_at = to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
    "WHERE id = $1 AND status = 'running'";

// ISO 8601 UTC text of a timestamptz column ("" for NULL).
std::string Iso(const std::string& column) {
  return "coalesce(to_char(" + column +
         " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), '')";
}

const std::string kBatchColumns = "run_id, number, first_index, end_index, state, worker, " +
                                  Iso("lease_expires_at") + ", leases";

WorkBatch BatchOf(const pqxx::row& r) {
  WorkBatch b;
  b.run_id = r[0].as<std::string>();
  b.number = r[1].as<int64_t>();
  b.first_index = r[2].as<int64_t>();
  b.end_index = r[3].as<int64_t>();
  b.state = r[4].as<std::string>();
  b.worker = r[5].as<std::string>();
  b.lease_expires_at = r[6].as<std::string>();
  b.leases = r[7].as<int>();
  return b;
}

Status LeaseLost(const std::string& run_id, int64_t batch) {
  return Status::FailedPrecondition("lease lost: batch " + std::to_string(batch) + " of run " +
                                    run_id + " is no longer leased to this worker");
}

class PostgresWorkQueue : public WorkQueue {
 public:
  explicit PostgresWorkQueue(std::shared_ptr<store_internal::PgConnection> db)
      : db_(std::move(db)) {}

  Status CreateWorkBatches(const std::string& run_id, int64_t batch_size) override {
    if (batch_size < 1) return Status::InvalidArgument("batch size must be at least 1");
    return Transact("create work batches", [&](pqxx::work& w) -> Status {
      w.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", run_id);
      if (w.exec_params(kRunExists, run_id).empty()) return UnknownRun(run_id);
      if (!w.exec_params("SELECT 1 FROM work_batches WHERE run_id = $1 LIMIT 1", run_id).empty()) {
        return Status::Ok();
      }
      int64_t items = w.exec_params(kItemCount, run_id)[0][0].as<int64_t>();
      if (items == 0) return Status::Ok();
      w.exec_params(
          "INSERT INTO work_batches (run_id, number, first_index, end_index) "
          "SELECT $1, g + 1, g * $2, LEAST((g + 1) * $2, $3) "
          "FROM generate_series(0, ($3 - 1) / $2) AS g",
          run_id, batch_size, items);
      return Status::Ok();
    });
  }

  Status RegisterWorker(const WorkerRecord& worker) override {
    return Transact("register worker", [&](pqxx::work& w) {
      w.exec_params(
          "INSERT INTO workers (id, host, pid, run_id) VALUES ($1, $2, $3, $4) "
          "ON CONFLICT (id) DO UPDATE SET host = $2, pid = $3, run_id = $4, last_seen = now()",
          worker.id, worker.host, worker.pid, worker.run_id);
      return Status::Ok();
    });
  }

  Result<std::optional<WorkBatch>> LeaseBatch(const std::string& worker_id,
                                              const std::string& run_id,
                                              std::chrono::seconds lease) override {
    std::optional<WorkBatch> leased;
    Status status = Transact("lease a batch", [&](pqxx::work& w) {
      std::string sql =
          "UPDATE work_batches SET state = 'leased', worker = $1, leases = leases + 1, "
          "lease_expires_at = now() + make_interval(secs => $2) "
          "WHERE (run_id, number) = (SELECT run_id, number FROM work_batches "
          "  WHERE (state = 'pending' OR (state = 'leased' AND lease_expires_at <= now())) AND " +
          (run_id.empty() ? std::string("run_id IN (") + kRunningRuns + ")"
                          : std::string("run_id = $3")) +
          "  ORDER BY number, run_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " + kBatchColumns;
      double seconds = static_cast<double>(lease.count());
      pqxx::result r = run_id.empty() ? w.exec_params(sql, worker_id, seconds)
                                      : w.exec_params(sql, worker_id, seconds, run_id);
      if (!r.empty()) {
        leased = BatchOf(r[0]);
        w.exec_params(
            "INSERT INTO work_run_workers (run_id, worker_id) VALUES ($1, $2) "
            "ON CONFLICT DO NOTHING",
            leased->run_id, worker_id);
      }
      w.exec_params("UPDATE workers SET last_seen = now() WHERE id = $1", worker_id);
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return leased;
  }

  Status RenewLease(const std::string& worker_id, const std::string& run_id, int64_t batch,
                    std::chrono::seconds lease) override {
    return Transact("renew a lease", [&](pqxx::work& w) {
      // Locks in the order every call takes them (the batch row, then the worker row): the
      // heartbeat's connection must not deadlock with its own worker's save.
      pqxx::result r = w.exec_params(
          "UPDATE work_batches SET lease_expires_at = now() + make_interval(secs => $4) "
          "WHERE run_id = $1 AND number = $2 AND worker = $3 AND state = 'leased' "
          "AND lease_expires_at > now()",
          run_id, batch, worker_id, static_cast<double>(lease.count()));
      if (r.affected_rows() != 1) return LeaseLost(run_id, batch);
      w.exec_params("UPDATE workers SET last_seen = now() WHERE id = $1", worker_id);
      return Status::Ok();
    });
  }

  Status SaveLeasedResults(const std::string& worker_id, const std::string& run_id, int64_t batch,
                           const std::vector<ItemResult>& results) override {
    return Transact("save results", [&](pqxx::work& w) -> Status {
      // The row lock is held until commit: nobody can re-lease the batch in the meantime.
      pqxx::result held = w.exec_params(
          "SELECT first_index, end_index FROM work_batches WHERE run_id = $1 AND number = $2 "
          "AND worker = $3 AND state = 'leased' AND lease_expires_at > now() FOR UPDATE",
          run_id, batch, worker_id);
      if (held.empty()) return LeaseLost(run_id, batch);
      int64_t first = held[0][0].as<int64_t>(), end = held[0][1].as<int64_t>();
      for (const ItemResult& r : results) {
        if (r.index < first || r.index >= end) {
          return Status::InvalidArgument("item index " + std::to_string(r.index) +
                                         " is outside batch " + std::to_string(batch) + " [" +
                                         std::to_string(first) + ", " + std::to_string(end) + ")");
        }
      }
      SV_RETURN_IF_ERROR(store_internal::SavePostgresResults(*db_, w, run_id, results));
      w.exec_params(
          "UPDATE workers SET items_done = items_done + $2, last_seen = now() WHERE id = $1",
          worker_id, static_cast<int64_t>(results.size()));
      return Status::Ok();
    });
  }

  Status CompleteBatch(const std::string& worker_id, const std::string& run_id,
                       int64_t batch) override {
    return Transact("complete a batch", [&](pqxx::work& w) -> Status {
      // Serialises the completions of one run, so that the last one sees every other as done.
      w.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))", run_id);
      pqxx::result r = w.exec_params(
          "UPDATE work_batches SET state = 'done', lease_expires_at = NULL "
          "WHERE run_id = $1 AND number = $2 AND worker = $3 AND state = 'leased' "
          "AND lease_expires_at > now()",
          run_id, batch, worker_id);
      if (r.affected_rows() != 1) return LeaseLost(run_id, batch);
      w.exec_params("UPDATE workers SET last_seen = now() WHERE id = $1", worker_id);
      if (w.exec_params("SELECT 1 FROM work_batches WHERE run_id = $1 AND state <> 'done' LIMIT 1",
                        run_id)
              .empty()) {
        w.exec_params(kFinishRun, run_id);
      }
      return Status::Ok();
    });
  }

  Result<std::vector<WorkBatch>> LoadWorkBatches(const std::string& run_id) override {
    std::vector<WorkBatch> batches;
    Status status = Transact("load work batches", [&](pqxx::work& w) {
      for (const pqxx::row& row : w.exec_params("SELECT " + kBatchColumns +
                                                    " FROM work_batches WHERE run_id = $1 "
                                                    "ORDER BY number",
                                                run_id)) {
        batches.push_back(BatchOf(row));
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return batches;
  }

  Result<std::vector<WorkerRecord>> ListWorkers(const std::string& run_id) override {
    std::vector<WorkerRecord> workers;
    Status status = Transact("list workers", [&](pqxx::work& w) {
      // A worker of any run counts for `run_id` once it leased one of its batches.
      pqxx::result r = w.exec_params(
          "SELECT id, host, pid, run_id, " + Iso("started_at") + ", " + Iso("last_seen") +
              ", items_done FROM workers WHERE run_id = $1 OR id IN "
              "(SELECT worker_id FROM work_run_workers WHERE run_id = $1) ORDER BY started_at, id",
          run_id);
      for (const pqxx::row& row : r) {
        WorkerRecord rec;
        rec.id = row[0].as<std::string>();
        rec.host = row[1].as<std::string>();
        rec.pid = row[2].as<int64_t>();
        rec.run_id = row[3].as<std::string>();
        rec.started_at = row[4].as<std::string>();
        rec.last_seen = row[5].as<std::string>();
        rec.items_done = row[6].as<int64_t>();
        workers.push_back(std::move(rec));
      }
      return Status::Ok();
    });
    if (!status.ok()) return status;
    return workers;
  }

 private:
  Status UnknownRun(const std::string& run_id) const {
    return Status::NotFound("no run '" + run_id + "' in " + db_->label());
  }

  // Runs `body` in one transaction, committed when it returns Ok (rolled back otherwise);
  // driver exceptions become IoError "<operation>: store '<label>': <reason>".
  template <typename Body>
  Status Transact(const std::string& operation, Body&& body) {
    std::lock_guard<std::mutex> lock(mu_);
    Status status = store_internal::PgCall(*db_, [&]() -> Status {
      pqxx::work w(db_->conn());
      Status done = body(w);
      if (done.ok()) w.commit();
      return done;
    });
    if (status.code() == StatusCode::kIoError) {
      return Status::IoError(operation + ": " + status.message());
    }
    return status;
  }

  std::mutex mu_;
  std::shared_ptr<store_internal::PgConnection> db_;  // GUARDED_BY(mu_)
};

}  // namespace

Result<std::unique_ptr<WorkQueue>> OpenPostgresWorkQueue(const std::string& url) {
  // The queue's tables are the store's (schema version 2): opening the connection migrates a
  // store that lacks them, and creates a store opened for the first time.
  SV_ASSIGN_OR_RETURN(std::shared_ptr<store_internal::PgConnection> db,
                      store_internal::OpenPostgresConnection(url));
  return std::unique_ptr<WorkQueue>(std::make_unique<PostgresWorkQueue>(std::move(db)));
}

Result<std::unique_ptr<WorkQueue>> OpenWorkQueue(const std::string& spec) {
  if (!IsPostgresUrl(spec)) {
    return Status::InvalidArgument(
        "--distributed needs a PostgreSQL store (--store postgresql://…)");
  }
  return OpenPostgresWorkQueue(spec);
}

}  // namespace safeval
