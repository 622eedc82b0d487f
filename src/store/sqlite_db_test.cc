// Tests of the SQLite RAII wrapper: binding and reading values, error messages,
// and transactions that roll back unless committed.
#include "store/sqlite_db.h"

#include <gtest/gtest.h>

#include <limits>

#include "testing/temp_dir.h"

namespace safeval::store_internal {
namespace {

std::unique_ptr<SqliteDb> OpenMemory() {
  auto db = SqliteDb::Open(":memory:", 0);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return std::move(db).value();
}

int64_t CountRows(SqliteDb& db, const std::string& table) {
  auto stmt = db.Prepare("SELECT count(*) FROM " + table);
  EXPECT_TRUE(stmt.ok()) << stmt.status().ToString();
  EXPECT_TRUE(*stmt->Step());
  return stmt->ColumnInt(0);
}

TEST(SqliteDb, BindBorrowedReadsTheCallersBytesWhenTheStatementRuns) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (s TEXT NOT NULL, e TEXT NOT NULL)").ok());
  auto insert = db->Prepare("INSERT INTO t VALUES (?, ?)");
  ASSERT_TRUE(insert.ok());
  std::string text("a\0b", 3);
  // A default string_view has no data pointer: it must bind '' (the column is NOT NULL), not NULL.
  insert->BindBorrowed(1, text).BindBorrowed(2, std::string_view());
  text[0] = 'x';  // borrowed, not copied: the row gets the bytes as they are when it runs
  ASSERT_TRUE(insert->Run().ok());
  auto read = db->Prepare("SELECT s, e, typeof(e) FROM t");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(*read->Step());
  EXPECT_EQ(read->ColumnText(0), std::string("x\0b", 3));
  EXPECT_EQ(read->ColumnText(1), "");
  EXPECT_EQ(read->ColumnText(2), "text");
}

TEST(SqliteDb, BindsAndReadsEveryType) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (s TEXT, i INTEGER, d REAL, q INTEGER, n INTEGER)").ok());
  auto insert = db->Prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
  ASSERT_TRUE(insert.ok());
  // An embedded NUL checks that text is bound and read by length, not as a C string.
  std::string text("a\0b", 3);
  insert->Bind(1, text)
      .Bind(2, std::numeric_limits<int64_t>::min())
      .Bind(3, 0.25)
      .Bind(4, std::optional<int>(4))
      .Bind(5, std::optional<int>());
  ASSERT_TRUE(insert->Run().ok());

  auto select = db->Prepare("SELECT s, i, d, q, n FROM t");
  ASSERT_TRUE(select.ok());
  ASSERT_TRUE(*select->Step());
  EXPECT_EQ(select->ColumnText(0), text);
  EXPECT_EQ(select->ColumnInt(1), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(select->ColumnDouble(2), 0.25);
  EXPECT_EQ(select->ColumnOptionalInt(3), 4);
  EXPECT_EQ(select->ColumnOptionalInt(4), std::nullopt);
  EXPECT_TRUE(select->ColumnIsNull(4));
  EXPECT_EQ(select->ColumnText(4), "");
  EXPECT_FALSE(*select->Step());
}

TEST(SqliteDb, ResetAllowsRebinding) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER)").ok());
  auto insert = db->Prepare("INSERT INTO t VALUES (?)");
  ASSERT_TRUE(insert.ok());
  for (int i = 0; i < 3; ++i) {
    insert->Reset();
    ASSERT_TRUE(insert->Bind(1, i).Run().ok());
  }
  EXPECT_EQ(CountRows(*db, "t"), 3);
  EXPECT_EQ(db->Changes(), 1);
}

TEST(SqliteDb, ErrorsCarrySqliteMessageAndPath) {
  auto db = OpenMemory();
  auto stmt = db->Prepare("SELECT * FROM missing");
  ASSERT_FALSE(stmt.ok());
  EXPECT_EQ(stmt.status().code(), StatusCode::kIoError);
  EXPECT_EQ(stmt.status().message(), "store ':memory:': no such table: missing");
}

TEST(SqliteDb, BindErrorIsReportedByStep) {
  auto db = OpenMemory();
  auto stmt = db->Prepare("SELECT ?");
  ASSERT_TRUE(stmt.ok());
  stmt->Bind(7, "x").Bind(1, "y");  // the first failure is the one kept
  Result<bool> row = stmt->Step();
  ASSERT_FALSE(row.ok());
  EXPECT_NE(row.status().message().find("column index out of range"), std::string::npos)
      << row.status().message();
}

TEST(SqliteDb, ConstraintViolationIsAnError) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)").ok());
  Status s = db->Exec("INSERT INTO t VALUES (1)");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("UNIQUE constraint failed"), std::string::npos) << s.message();
}

TEST(SqliteTransaction, RollsBackUnlessCommitted) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER)").ok());
  {
    auto tx = SqliteTransaction::BeginImmediate(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(CountRows(*db, "t"), 0);
  {
    auto tx = SqliteTransaction::BeginImmediate(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx->Commit().ok());
    EXPECT_FALSE(tx->Commit().ok());  // a second commit is a bug, reported not executed
  }
  EXPECT_EQ(CountRows(*db, "t"), 1);
}

TEST(SqliteTransaction, MovedFromTransactionDoesNotRollBack) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER)").ok());
  auto tx = SqliteTransaction::BeginImmediate(*db);
  ASSERT_TRUE(tx.ok());
  ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  {
    SqliteTransaction moved = std::move(tx).value();
    ASSERT_TRUE(moved.Commit().ok());
  }
  EXPECT_EQ(CountRows(*db, "t"), 1);
}

TEST(SqliteDb, TextFileIsNotAStore) {
  testing::TempDir dir;
  std::string path = dir.Write("notes.txt", "These are my notes, not a database.\n");
  auto db = SqliteDb::Open(path, 0);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  EXPECT_EQ(db.status().message(), "'" + path + "' is not a safeval store: file is not a database");
}

TEST(SqliteDb, FolderCannotBeOpened) {
  testing::TempDir dir;
  auto db = SqliteDb::Open(dir.path(), 0);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::kIoError);
  EXPECT_EQ(db.status().message().rfind("cannot open store '" + dir.path() + "'", 0), 0u)
      << db.status().message();
}

int64_t ForeignKeys(SqliteDb& db) {
  auto stmt = db.Prepare("PRAGMA foreign_keys");
  EXPECT_TRUE(stmt.ok() && *stmt->Step());
  return stmt.ok() ? stmt->ColumnInt(0) : -1;
}

TEST(SqliteDb, ForeignKeysOffLastsUntilItIsDestroyed) {
  auto db = OpenMemory();
  ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = ON; CREATE TABLE p (id INTEGER PRIMARY KEY);"
                       " CREATE TABLE c (p INTEGER REFERENCES p (id))")
                  .ok());
  auto orphan = db->Prepare("INSERT INTO c VALUES (7)");  // prepared while keys were checked
  ASSERT_TRUE(orphan.ok());
  {
    auto off = ForeignKeysOff::Begin(*db);
    ASSERT_TRUE(off.ok()) << off.status().ToString();
    EXPECT_EQ(ForeignKeys(*db), 0);
    EXPECT_TRUE(orphan->Run().ok());
  }
  EXPECT_EQ(ForeignKeys(*db), 1);
  orphan->Reset();
  EXPECT_FALSE(orphan->Run().ok());
  EXPECT_EQ(CountRows(*db, "c"), 1);
  // A connection that does not check them is left as it was.
  ASSERT_TRUE(db->Exec("PRAGMA foreign_keys = OFF").ok());
  { ASSERT_TRUE(ForeignKeysOff::Begin(*db).ok()); }
  EXPECT_EQ(ForeignKeys(*db), 0);
}

}  // namespace
}  // namespace safeval::store_internal
