#include "store/sqlite_db.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <filesystem>
#include <system_error>
#include <utility>

namespace safeval::store_internal {
namespace {

// The header probe: reading the schema forces SQLite to parse the file, which
// is where a text file or a truncated database shows itself.
Status ProbeHeader(sqlite3* db, const std::string& path) {
  int rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Status::Ok();
  int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return Status::IoError("'" + path + "' is not a safeval store: " + sqlite3_errmsg(db));
  }
  return Status::IoError("cannot read store '" + path + "': " + sqlite3_errmsg(db));
}

// A failed write, sync or resize of the store's files (database, WAL, journal, shared memory).
bool IsWriteFailure(int code) {
  switch (code) {
    case SQLITE_IOERR_WRITE:
    case SQLITE_IOERR_FSYNC:
    case SQLITE_IOERR_TRUNCATE:
    case SQLITE_IOERR_SHMSIZE:
    case SQLITE_IOERR_SHMOPEN:
      return true;
    default:
      return false;
  }
}

// Why the store's files could not grow, or "" when no reason is found. SQLite's system errno
// is often lost by the time the error is reported (its unix VFS reads the global errno late),
// so besides ENOSPC/EDQUOT/EFBIG this looks at the evidence: a file of the store at the
// process's file size limit (RLIMIT_FSIZE), or a filesystem with (almost) no free space.
std::string FullDiskCause(const std::string& path, int error) {
  if (error == ENOSPC || error == EDQUOT) return "the disk is full";
  if (error == EFBIG) return "a file size limit was reached";
  if (path.empty() || path == ":memory:") return "";
  constexpr uintmax_t kSlack = 64 * 1024;  // one failed write's worth of pages
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    for (const char* suffix : {"", "-wal", "-journal"}) {
      struct stat st {};
      if (stat((path + suffix).c_str(), &st) == 0 &&
          static_cast<uintmax_t>(st.st_size) + kSlack >= limit.rlim_cur) {
        return "a file size limit was reached";
      }
    }
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  struct statvfs fs {};
  if (statvfs(dir.empty() ? "." : dir.c_str(), &fs) == 0) {
    // root may use the blocks reserved for it, other users only the available ones.
    uintmax_t blocks = geteuid() == 0 ? fs.f_bfree : fs.f_bavail;
    if (blocks * fs.f_frsize < 16 * kSlack) return "the disk is full";
  }
  return "";
}

// "store 'runs/safeval.db': the disk is full (No space left on device): the store could not
// be written ...", or "" when the failure is not about space. The caller adds what was being
// written, and the run layer how to resume.
std::string DiskFullMessage(sqlite3* db, const std::string& path) {
  int code = sqlite3_extended_errcode(db);
  int error = sqlite3_system_errno(db);
  std::string cause;
  if ((code & 0xff) == SQLITE_FULL) {
    cause = FullDiskCause(path, error);
    if (cause.empty()) cause = "the disk is full";
  } else if (IsWriteFailure(code)) {
    cause = FullDiskCause(path, error);
  }
  if (cause.empty()) return "";
  std::string detail =
      error != 0 ? std::error_code(error, std::generic_category()).message() : sqlite3_errmsg(db);
  bool limit = cause.starts_with("a file size limit");
  return "store '" + path + "': " + cause + " (" + detail +
         "): the store could not be written; nothing of the failed write was kept (" +
         (limit ? "raise the limit or free some space" : "free some space") + ", then continue)";
}

}  // namespace

Result<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (sqlite_db.h), so SQLite's own lock
  // around every call would only cost time (a few percent of a run).
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  // sqlite3_open_v2 allocates a handle even on most failures; it must still be closed.
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    return Status::IoError("cannot open store '" + path + "': " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  SV_RETURN_IF_ERROR(ProbeHeader(raw, path));
  return db;
}

SqliteDb::~SqliteDb() {
  // close_v2 defers the close until outstanding statements finish, so the
  // order in which a store destroys its members cannot leak the connection.
  if (db_) sqlite3_close_v2(db_);
}

Status SqliteDb::Error() const {
  std::string full = DiskFullMessage(db_, path_);
  if (!full.empty()) return Status::IoError(full);
  return Status::IoError("store '" + path_ + "': " + sqlite3_errmsg(db_));
}

Status SqliteDb::Exec(const std::string& sql) {
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return Error();
  return Status::Ok();
}

Result<SqliteStatement> SqliteDb::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error();
  }
  return SqliteStatement(this, stmt);
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

SqliteStatement::SqliteStatement(SqliteStatement&& other) noexcept
    : db_(other.db_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_status_(std::move(other.bind_status_)) {}

SqliteStatement& SqliteStatement::operator=(SqliteStatement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_status_ = std::move(other.bind_status_);
  }
  return *this;
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

void SqliteStatement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_status_.ok()) bind_status_ = db_->Error();
}

SqliteStatement& SqliteStatement::Bind(int index, std::string_view text) {
  // SQLITE_TRANSIENT: SQLite copies the bytes, so temporaries are safe to bind.
  NoteBind(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

SqliteStatement& SqliteStatement::BindBorrowed(int index, std::string_view text) {
  // SQLITE_STATIC: SQLite reads the caller's bytes when the statement runs. A null data pointer
  // (a default string_view) would bind NULL, so an empty view binds a static "".
  const char* data = text.empty() ? "" : text.data();
  NoteBind(sqlite3_bind_text64(stmt_, index, data, text.size(), SQLITE_STATIC, SQLITE_UTF8));
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  NoteBind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, double value) {
  NoteBind(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, std::optional<int> value) {
  NoteBind(value ? sqlite3_bind_int64(stmt_, index, *value) : sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> SqliteStatement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error();
}

Status SqliteStatement::Run() {
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_status_ = Status::Ok();
}

std::string SqliteStatement::ColumnText(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!text) return "";
  // Length after the text call: the pointer and byte count must describe the same conversion.
  return std::string(text, static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

int64_t SqliteStatement::ColumnInt(int col) const { return sqlite3_column_int64(stmt_, col); }

double SqliteStatement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }

bool SqliteStatement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

std::optional<int> SqliteStatement::ColumnOptionalInt(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return static_cast<int>(ColumnInt(col));
}

Result<SqliteTransaction> SqliteTransaction::BeginImmediate(SqliteDb& db) {
  SV_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return SqliteTransaction(&db);
}

Result<SqliteTransaction> SqliteTransaction::BeginRead(SqliteDb& db) {
  SV_RETURN_IF_ERROR(db.Exec("BEGIN"));
  return SqliteTransaction(&db);
}

SqliteTransaction::~SqliteTransaction() {
  // A failed ROLLBACK has no one to report to; SQLite rolls back on close anyway.
  if (db_) (void)db_->Exec("ROLLBACK");
}

Status SqliteTransaction::Commit() {
  if (!db_) return Status::Internal("commit of a finished transaction");
  SV_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  db_ = nullptr;
  return Status::Ok();
}

Result<ForeignKeysOff> ForeignKeysOff::Begin(SqliteDb& db) {
  SV_ASSIGN_OR_RETURN(SqliteStatement read, db.Prepare("PRAGMA foreign_keys"));
  SV_ASSIGN_OR_RETURN(bool row, read.Step());
  if (!row || read.ColumnInt(0) == 0) return ForeignKeysOff(nullptr);
  SV_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = OFF"));
  return ForeignKeysOff(&db);
}

ForeignKeysOff::~ForeignKeysOff() {
  // Outside a transaction the switch cannot fail for want of a lock: it only sets a flag.
  if (db_) (void)db_->Exec("PRAGMA foreign_keys = ON");
}

}  // namespace safeval::store_internal
