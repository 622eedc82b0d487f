// OpenSqliteStore and the run-level operations of SqliteStore.
#include "store/sqlite_store.h"

#include <filesystem>

#include "store/store_json.h"
#include "store/store_rows.h"
#include "store/store_schema.h"

namespace safeval {
namespace {

using store_internal::SqliteDb;
using store_internal::SqliteStatement;

constexpr char kInMemory[] = ":memory:";
// How long a writer waits for another process's lock before failing with "database is locked".
constexpr int kBusyTimeoutMs = 5000;

Status CreateParentFolders(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) {
    return Status::IoError("cannot create folder '" + parent.string() + "' for store '" + path +
                           "': " + ec.message());
  }
  return Status::Ok();
}

// The page size of stores created from now on; SQLite changes it only on an empty file, so older
// stores keep theirs (4 KB). A run's commits rewrite the hot pages of its B-trees into the WAL,
// one write call per page, and the checkpoint copies each again: with 16 KB pages that is a
// quarter of the pages for about the same bytes, and about 15% less CPU per saved result
// (bench/store/README.md).
constexpr int kNewStorePageSize = 16384;
// Checkpoint once the WAL holds this much (SQLite's default is 4 MB).
constexpr int64_t kCheckpointBytes = 64 << 20;

// synchronous=NORMAL is durable across process crashes in WAL mode (a power
// loss may drop the last commits but never corrupts the file). A 16 MB page cache
// and checkpoints every 64 MB of WAL (SetCheckpointInterval) keep a 100k-item
// run from re-reading pages and from waiting on hundreds of fsyncs; the WAL is
// cut back to 64 MB after each checkpoint.
Status ConfigureConnection(SqliteDb& db) {
  return db.Exec("PRAGMA page_size = " + std::to_string(kNewStorePageSize) +
                 "; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
                 " PRAGMA cache_size = -16000; PRAGMA journal_size_limit = " +
                 std::to_string(kCheckpointBytes) + "; PRAGMA temp_store = MEMORY;");
}

// wal_autocheckpoint counts pages: kCheckpointBytes in the store's own page size, which is
// settled once the schema exists.
Status SetCheckpointInterval(SqliteDb& db) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt, db.Prepare("PRAGMA page_size"));
  SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
  int64_t page_size = row && stmt.ColumnInt(0) > 0 ? stmt.ColumnInt(0) : 4096;
  return db.Exec("PRAGMA wal_autocheckpoint = " + std::to_string(kCheckpointBytes / page_size));
}

// WAL lets readers (the web UI, `safeval report`) see a run while it is being
// written. Switched on after the schema check, so a refused file is left untouched.
Status EnableWal(SqliteDb& db) { return db.Exec("PRAGMA journal_mode = WAL"); }

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, store_internal::OpenStoreConnection(path));
  return std::unique_ptr<Store>(new store_internal::SqliteStore(std::move(db)));
}

namespace store_internal {

Result<std::unique_ptr<SqliteDb>> OpenStoreConnection(const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("the store path is empty");
  bool in_memory = path == kInMemory;
  if (!in_memory) SV_RETURN_IF_ERROR(CreateParentFolders(path));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path, kBusyTimeoutMs));
  SV_RETURN_IF_ERROR(ConfigureConnection(*db).WithContext("configuring the connection"));
  SV_RETURN_IF_ERROR(MigrateStore(*db));
  SV_RETURN_IF_ERROR(SetCheckpointInterval(*db).WithContext("configuring the connection"));
  if (!in_memory) SV_RETURN_IF_ERROR(EnableWal(*db).WithContext("enabling WAL mode"));
  return db;
}

Status SqliteStore::CreateRun(const RunRecord& run, const std::vector<Prompt>& prompts) {
  size_t next = 0;
  PromptSource source = [&]() -> Result<std::optional<Prompt>> {
    if (next == prompts.size()) return std::optional<Prompt>();
    return std::optional<Prompt>(prompts[next++]);
  };
  return CreateRunStreaming(run, source, {});
}

Status SqliteStore::CreateRunStreaming(const RunRecord& run, const PromptSource& next,
                                       const std::function<std::string()>& dataset_hash) {
  return WithOperation(DoCreateRun(run, next, dataset_hash), "creating run '" + run.id + "'");
}

Result<RunRecord> SqliteStore::GetRun(const std::string& run_id) {
  return WithOperation(DoGetRun(run_id), "reading run '" + run_id + "'");
}

Result<std::vector<RunRecord>> SqliteStore::ListRuns() {
  return WithOperation(DoListRuns(), "listing runs");
}

Status SqliteStore::UpdateRun(const RunRecord& run) {
  return WithOperation(DoUpdateRun(run), "updating run '" + run.id + "'");
}

Status SqliteStore::RequireRun(const std::string& run_id) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt, db_->Prepare("SELECT 1 FROM runs WHERE id = ?"));
  SV_ASSIGN_OR_RETURN(bool found, stmt.Bind(1, run_id).Step());
  if (!found) return Status::NotFound("no run '" + run_id + "' in " + db_->path());
  return Status::Ok();
}

Status SqliteStore::Corrupt(const Status& status, const std::string& run_id, int64_t index) const {
  std::string where = "store '" + db_->path() + "', run '" + run_id + "'";
  if (index >= 0) where += ", item " + std::to_string(index);
  return status.WithContext(where);
}

Status SqliteStore::InsertRun(const RunRecord& run) {
  std::string placeholders = "?";
  for (int i = 1; i < kRunColumnCount; ++i) placeholders += ", ?";
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("INSERT INTO runs (" + std::string(kRunColumns) + ") VALUES (" +
                                   placeholders + ")"));
  SV_RETURN_IF_ERROR(BindRun(stmt, run));
  return stmt.Run();
}

Status SqliteStore::InsertItem(SqliteStatement& insert, const std::string& run_id, int64_t index,
                               const Prompt& prompt) {
  SV_ASSIGN_OR_RETURN(std::string json, PromptToJson(prompt));
  insert.Reset();
  insert.BindBorrowed(1, run_id)  // both outlive the Run below
      .Bind(2, index)
      .BindBorrowed(3, json)
      .Bind(4, prompt.category.str())
      .Bind(5, Name(prompt.intent));
  return insert.Run();
}

Status SqliteStore::DoCreateRun(const RunRecord& run, const PromptSource& next,
                                const std::function<std::string()>& dataset_hash) {
  if (run.id.empty()) return Status::InvalidArgument("cannot create a run with an empty id");
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  Status exists = RequireRun(run.id);
  if (exists.ok()) {
    return Status::InvalidArgument("run '" + run.id + "' already exists in " + db_->path());
  }
  if (exists.code() != StatusCode::kNotFound) return exists;
  SV_RETURN_IF_ERROR(InsertRun(run));
  SV_ASSIGN_OR_RETURN(SqliteStatement insert,
                      db_->Prepare("INSERT INTO items (run_id, idx, prompt_json, category, intent) "
                                   "VALUES (?, ?, ?, ?, ?)"));
  for (int64_t index = 0;; ++index) {
    SV_ASSIGN_OR_RETURN(std::optional<Prompt> prompt, next());
    if (!prompt) break;
    SV_RETURN_IF_ERROR(InsertItem(insert, run.id, index, *prompt));
  }
  if (dataset_hash) {
    SV_ASSIGN_OR_RETURN(SqliteStatement update,
                        db_->Prepare("UPDATE runs SET dataset_hash = ? WHERE id = ?"));
    SV_RETURN_IF_ERROR(update.Bind(1, dataset_hash()).Bind(2, run.id).Run());
  }
  return tx.Commit();
}

Result<RunRecord> SqliteStore::DoGetRun(const std::string& run_id) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt, db_->Prepare("SELECT " + std::string(kRunColumns) +
                                                         " FROM runs WHERE id = ?"));
  SV_ASSIGN_OR_RETURN(bool found, stmt.Bind(1, run_id).Step());
  if (!found) return Status::NotFound("no run '" + run_id + "' in " + db_->path());
  Result<RunRecord> run = ReadRun(stmt);
  if (!run.ok()) return Corrupt(run.status(), run_id, -1);
  return run;
}

Result<std::vector<RunRecord>> SqliteStore::DoListRuns() {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT " + std::string(kRunColumns) +
                                   " FROM runs ORDER BY started_at DESC, id DESC"));
  std::vector<RunRecord> runs;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return runs;
    Result<RunRecord> run = ReadRun(stmt);
    if (!run.ok()) return Corrupt(run.status(), stmt.ColumnText(0), -1);
    runs.push_back(std::move(run).value());
  }
}

Status SqliteStore::DoUpdateRun(const RunRecord& run) {
  SV_ASSIGN_OR_RETURN(std::string judges, StringsToJson(run.judges));
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_->Prepare("UPDATE runs SET status = ?, finished_at = ?, judges_json = ? WHERE id = ?"));
  SV_RETURN_IF_ERROR(
      stmt.Bind(1, run.status).Bind(2, run.finished_at).Bind(3, judges).Bind(4, run.id).Run());
  if (db_->Changes() == 0) return Status::NotFound("no run '" + run.id + "' in " + db_->path());
  return Status::Ok();
}

}  // namespace store_internal
}  // namespace safeval
