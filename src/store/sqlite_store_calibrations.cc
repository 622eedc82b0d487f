// Judge calibrations in the SQLite store.
#include "store/sqlite_store.h"

namespace safeval::store_internal {

Status SqliteStore::SaveCalibration(const JudgeCalibration& c) {
  Result<SqliteStatement> stmt = db_->Prepare(
      "INSERT OR REPLACE INTO calibrations (judge, labels_hash, created_at, true_positives, "
      "false_positives, true_negatives, false_negatives, details_json) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!stmt.ok()) return WithOperation(stmt.status(), "saving calibration of '" + c.judge + "'");
  Status s = stmt->Bind(1, c.judge)
                 .Bind(2, c.labels_hash)
                 .Bind(3, c.created_at)
                 .Bind(4, c.true_positives)
                 .Bind(5, c.false_positives)
                 .Bind(6, c.true_negatives)
                 .Bind(7, c.false_negatives)
                 .Bind(8, c.details_json)
                 .Run();
  return WithOperation(s, "saving calibration of '" + c.judge + "'");
}

Result<std::optional<JudgeCalibration>> SqliteStore::FindCalibration(const std::string& judge) {
  const std::string operation = "reading calibration of '" + judge + "'";
  Result<SqliteStatement> stmt = db_->Prepare(
      "SELECT labels_hash, created_at, true_positives, false_positives, true_negatives, "
      "false_negatives, details_json FROM calibrations WHERE judge = ?");
  if (!stmt.ok()) return WithOperation(stmt.status(), operation);
  Result<bool> row = stmt->Bind(1, judge).Step();
  if (!row.ok()) return WithOperation(row.status(), operation);
  if (!*row) return std::optional<JudgeCalibration>();
  JudgeCalibration c;
  c.judge = judge;
  c.labels_hash = stmt->ColumnText(0);
  c.created_at = stmt->ColumnText(1);
  c.true_positives = stmt->ColumnInt(2);
  c.false_positives = stmt->ColumnInt(3);
  c.true_negatives = stmt->ColumnInt(4);
  c.false_negatives = stmt->ColumnInt(5);
  c.details_json = stmt->ColumnText(6);
  return std::optional<JudgeCalibration>(std::move(c));
}

}  // namespace safeval::store_internal
