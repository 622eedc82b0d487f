// A thin RAII wrapper over the SQLite C API, private to src/store/.
//
// SqliteDb owns a connection, SqliteStatement a prepared statement and
// SqliteTransaction an open transaction that rolls back unless committed.
// Nothing here throws: every SQLite failure becomes an IoError Status
// "store '<path>': <SQLite's message>" — except a write that failed for lack of space
// (SQLITE_FULL, or a write error while the store file is at the process's file size limit or
// the filesystem is nearly full), which says so: "store '<path>': the disk is full ...: the
// store could not be written; nothing of the failed write was kept ...". Callers add the
// operation with Status::WithContext. SQL text is always a constant; values go through Bind.
//
// Thread-safety: none. A connection and its statements belong to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace safeval::store_internal {

class SqliteStatement;

class SqliteDb {
 public:
  // Opens (creating if missing) the database at `path`; ":memory:" is a private
  // in-memory database. Lock waits last up to `busy_timeout_ms`. SQLite opens
  // files lazily, so this also reads the header: a file that is not a SQLite
  // database fails here with IoError "'<path>' is not a safeval store: ...".
  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, int busy_timeout_ms);

  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  // Runs `sql` (one or more statements, no parameters); result rows are discarded.
  Status Exec(const std::string& sql);
  // Compiles one statement. Fails on a syntax error or an unknown table.
  Result<SqliteStatement> Prepare(std::string_view sql);
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  const std::string& path() const { return path_; }

 private:
  friend class SqliteStatement;
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status Error() const;

  sqlite3* db_;
  std::string path_;
};

// A prepared statement. Move-only. Bind indexes start at 1 and column indexes
// at 0, as in SQLite. A failed bind is remembered and reported by the next Step.
// REQUIRES: the SqliteDb that prepared it outlives it.
class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&& other) noexcept;
  SqliteStatement& operator=(SqliteStatement&& other) noexcept;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement();

  SqliteStatement& Bind(int index, std::string_view text);
  SqliteStatement& Bind(int index, int64_t value);
  SqliteStatement& Bind(int index, double value);
  SqliteStatement& Bind(int index, std::optional<int> value);  // nullopt binds NULL
  // Overloads that keep `int` and `bool` from being ambiguous between the above.
  SqliteStatement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& Bind(int index, bool value) { return Bind(index, static_cast<int64_t>(value)); }
  SqliteStatement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  SqliteStatement& Bind(int index, const std::string& text) {
    return Bind(index, std::string_view(text));
  }
  // Binds `text` without copying it (Bind copies), for the large or numerous text values of
  // a hot write path. REQUIRES: `text` stays valid and unchanged until the statement has run
  // and is Reset or bound again.
  SqliteStatement& BindBorrowed(int index, std::string_view text);

  // Advances: true when a row is ready to read, false when the statement is done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Makes the statement ready to run again with new bindings.
  void Reset();

  std::string ColumnText(int col) const;  // "" for NULL
  int64_t ColumnInt(int col) const;
  double ColumnDouble(int col) const;
  bool ColumnIsNull(int col) const;
  std::optional<int> ColumnOptionalInt(int col) const;

 private:
  friend class SqliteDb;
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void NoteBind(int rc);

  const SqliteDb* db_;
  sqlite3_stmt* stmt_;
  Status bind_status_;
};

// An open transaction: rolled back on destruction unless Commit() succeeded,
// so every early return on an error path undoes partial writes.
class SqliteTransaction {
 public:
  // BEGIN IMMEDIATE: takes the write lock now, so a conflicting writer fails
  // (after the busy timeout) before any work is done rather than at COMMIT.
  static Result<SqliteTransaction> BeginImmediate(SqliteDb& db);
  // BEGIN (deferred): for a group of reads that must see one snapshot. A
  // read-only transaction may simply be destroyed; nothing is lost.
  static Result<SqliteTransaction> BeginRead(SqliteDb& db);

  SqliteTransaction(SqliteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  // COMMIT. On failure the transaction is still rolled back on destruction.
  Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;  // nullptr once committed (or moved from)
};

// Foreign key enforcement switched off on a connection until this is destroyed, when it is
// switched on again (if it was on). For a write path whose rows satisfy their keys by
// construction, where checking them again costs a B-tree search per row. REQUIRES: no
// transaction is open (SQLite ignores the switch inside one). Each switch expires the
// connection's prepared statements, which SQLite prepares again when they next run.
class ForeignKeysOff {
 public:
  static Result<ForeignKeysOff> Begin(SqliteDb& db);

  ForeignKeysOff(ForeignKeysOff&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ForeignKeysOff& operator=(ForeignKeysOff&&) = delete;
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;
  ~ForeignKeysOff();

 private:
  explicit ForeignKeysOff(SqliteDb* db) : db_(db) {}
  SqliteDb* db_;  // nullptr: nothing to switch back on
};

}  // namespace safeval::store_internal
