// OpenPostgresConnection and the run-level operations of PostgresStore.
#include "store/postgres_store.h"

#include <tuple>

#include "store/postgres_rows.h"
#include "store/postgres_schema.h"
#include "store/store_json.h"

namespace safeval::store_internal {

Result<std::shared_ptr<PgConnection>> OpenPostgresConnection(const std::string& url) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> db, PgConnection::Connect(url));
  SV_RETURN_IF_ERROR(MigratePostgresStore(*db));
  return std::shared_ptr<PgConnection>(std::move(db));
}

int64_t PgItemCount(pqxx::transaction_base& tx, const std::string& run_id) {
  return tx.exec_params1("SELECT coalesce(max(idx) + 1, 0) FROM items WHERE run_id = $1", run_id)[0]
      .as<int64_t>();
}

Status PostgresStore::RequireRun(pqxx::transaction_base& tx, const std::string& run_id, bool lock) {
  std::string sql = "SELECT 1 FROM runs WHERE id = $1";
  if (lock) sql += " FOR UPDATE";
  if (tx.exec_params(sql, run_id).empty()) {
    return Status::NotFound("no run '" + run_id + "' in " + db_->label());
  }
  return Status::Ok();
}

Status PostgresStore::Corrupt(const Status& status, const std::string& run_id,
                              int64_t index) const {
  std::string where = "store '" + db_->label() + "', run '" + run_id + "'";
  if (index >= 0) where += ", item " + std::to_string(index);
  return status.WithContext(where);
}

Status PostgresStore::CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) {
  size_t next = 0;
  PromptSource source = [&]() -> Result<std::optional<Prompt>> {
    if (next == prompts.size()) return std::optional<Prompt>();
    return std::optional<Prompt>(prompts[next++]);
  };
  return CreateRunStreaming(run, source, {});
}

Status PostgresStore::CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                                         const std::function<std::string()>& dataset_hash) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(DoCreateRun(tx, run, next, dataset_hash));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "creating run '" + run.id + "'");
}

// The items go in through COPY: a 100k-prompt plan is one stream, not 100k statements. On an
// error the transaction is never committed, so nothing of the run is written.
Status PostgresStore::DoCreateRun(pqxx::work& tx, const RunRecord& run, const PromptSource& next,
                                  const std::function<std::string()>& dataset_hash) {
  if (run.id.empty()) return Status::InvalidArgument("cannot create a run with an empty id");
  PgParams params;
  SV_RETURN_IF_ERROR(AddRunParams(params, run));
  pqxx::result inserted =
      PgExec(tx,
             "INSERT INTO runs (" + std::string(kPgRunColumns) + ") VALUES " +
                 PgValuesList(1, kPgRunColumnCount) + " ON CONFLICT (id) DO NOTHING",
             params);
  if (inserted.affected_rows() == 0) {
    return Status::InvalidArgument("run '" + run.id + "' already exists in " + db_->label());
  }
  {
    pqxx::stream_to copy(
        tx, "items",
        std::vector<std::string>{"run_id", "idx", "prompt_json", "category", "intent"});
    for (int64_t index = 0;; ++index) {
      Result<std::optional<Prompt>> prompt = next();
      Status failed = prompt.ok() ? Status::Ok() : prompt.status();
      Result<std::string> json = std::string();
      if (failed.ok() && *prompt) {
        json = PromptToJson(**prompt);
        if (!json.ok()) failed = json.status();
      }
      if (!failed.ok() || !*prompt) {
        copy.complete();
        if (!failed.ok()) return failed;
        break;
      }
      copy << std::make_tuple(run.id, index, *json, (*prompt)->category.str(),
                              std::string(Name((*prompt)->intent)));
    }
  }
  if (dataset_hash) {
    tx.exec_params0("UPDATE runs SET dataset_hash = $1 WHERE id = $2", dataset_hash(), run.id);
  }
  return Status::Ok();
}

Result<RunRecord> PostgresStore::GetRun(const std::string& run_id) {
  Result<RunRecord> run = PgCall(*db_, [&]() -> Result<RunRecord> {
    pqxx::read_transaction tx(db_->conn());
    pqxx::result rows =
        tx.exec_params("SELECT " + std::string(kPgRunColumns) + " FROM runs WHERE id = $1", run_id);
    if (rows.empty()) return Status::NotFound("no run '" + run_id + "' in " + db_->label());
    Result<RunRecord> read = ReadPgRun(rows[0]);
    if (!read.ok()) return Corrupt(read.status(), run_id, -1);
    return read;
  });
  return PgWithOperation(std::move(run), "reading run '" + run_id + "'");
}

Result<std::vector<RunRecord>> PostgresStore::ListRuns() {
  auto runs = PgCall(*db_, [&]() -> Result<std::vector<RunRecord>> {
    pqxx::read_transaction tx(db_->conn());
    pqxx::result rows = tx.exec("SELECT " + std::string(kPgRunColumns) +
                                " FROM runs ORDER BY started_at DESC, id DESC");
    std::vector<RunRecord> out;
    out.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      Result<RunRecord> run = ReadPgRun(row);
      if (!run.ok()) return Corrupt(run.status(), PgText(row[0]), -1);
      out.push_back(std::move(run).value());
    }
    return out;
  });
  return PgWithOperation(std::move(runs), "listing runs");
}

Status PostgresStore::UpdateRun(const RunRecord& run) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_ASSIGN_OR_RETURN(std::string judges, StringsToJson(run.judges));
    pqxx::work tx(db_->conn());
    pqxx::result updated = tx.exec_params(
        "UPDATE runs SET status = $1, finished_at = $2, judges_json = $3 WHERE id = $4", run.status,
        run.finished_at, judges, run.id);
    if (updated.affected_rows() == 0) {
      return Status::NotFound("no run '" + run.id + "' in " + db_->label());
    }
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "updating run '" + run.id + "'");
}

}  // namespace safeval::store_internal
