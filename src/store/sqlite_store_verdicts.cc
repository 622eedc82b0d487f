// SaveVerdicts: adding one judge's verdicts (human labels, typically) to items
// that already have a judged result, without touching their other verdicts.
#include <set>
#include <utility>

#include "store/sqlite_store.h"
#include "store/store_rows.h"

namespace safeval::store_internal {
namespace {

constexpr char kPlaceholders[] = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";  // run_id, idx, pos + 10
static_assert(kVerdictColumnCount + 3 == 13, "kPlaceholders must match kVerdictColumns");

// The statements that add or replace one verdict, prepared once per call.
struct VerdictWriter {
  SqliteStatement outcome;   // the item's result outcome, if any
  SqliteStatement position;  // where the judge's verdict sits now, if anywhere
  SqliteStatement next;      // the position after the item's last verdict
  SqliteStatement remove;
  SqliteStatement insert;
  RowJson json;  // borrowed by `insert`

  static Result<VerdictWriter> Prepare(SqliteDb& db) {
    SV_ASSIGN_OR_RETURN(SqliteStatement o,
                        db.Prepare("SELECT outcome FROM results WHERE run_id = ? AND idx = ?"));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement p,
        db.Prepare("SELECT pos FROM verdicts WHERE run_id = ? AND idx = ? AND judge = ?"));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement n,
        db.Prepare("SELECT coalesce(max(pos) + 1, 0) FROM verdicts WHERE run_id = ? AND idx = ?"));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement r,
        db.Prepare("DELETE FROM verdicts WHERE run_id = ? AND idx = ? AND judge = ?"));
    SV_ASSIGN_OR_RETURN(SqliteStatement i, db.Prepare("INSERT INTO verdicts (run_id, idx, pos, " +
                                                      std::string(kVerdictColumns) + ") VALUES (" +
                                                      kPlaceholders + ")"));
    return VerdictWriter{std::move(o), std::move(p), std::move(n), std::move(r), std::move(i), {}};
  }

  // InvalidArgument unless the item has a result whose outcome is judged.
  Status RequireJudged(const std::string& run_id, int64_t index, const std::string& where) {
    outcome.Reset();
    SV_ASSIGN_OR_RETURN(bool row, outcome.Bind(1, run_id).Bind(2, index).Step());
    if (!row) return Status::InvalidArgument(where + " has no result yet");
    std::string name = outcome.ColumnText(0);
    if (name != Name(Outcome::kJudged)) {
      return Status::InvalidArgument(where + " has outcome " + name +
                                     ", not judged: only a judged response can get a verdict");
    }
    return Status::Ok();
  }

  // The judge's current position, after removing its verdict; or the next free one.
  Result<int64_t> TakePosition(const std::string& run_id, int64_t index, const std::string& judge) {
    position.Reset();
    SV_ASSIGN_OR_RETURN(bool found, position.Bind(1, run_id).Bind(2, index).Bind(3, judge).Step());
    if (found) {
      int64_t pos = position.ColumnInt(0);
      remove.Reset();
      SV_RETURN_IF_ERROR(remove.Bind(1, run_id).Bind(2, index).Bind(3, judge).Run());
      return pos;
    }
    next.Reset();
    SV_ASSIGN_OR_RETURN(bool row, next.Bind(1, run_id).Bind(2, index).Step());
    return row ? next.ColumnInt(0) : 0;
  }

  Status Write(const std::string& run_id, int64_t index, const Verdict& verdict,
               const std::string& where) {
    SV_RETURN_IF_ERROR(RequireJudged(run_id, index, where));
    SV_ASSIGN_OR_RETURN(int64_t pos, TakePosition(run_id, index, verdict.judge));
    insert.Reset();
    insert.Bind(1, run_id).Bind(2, index).Bind(3, pos);
    SV_RETURN_IF_ERROR(BindVerdict(insert, verdict, json));
    return insert.Run();
  }
};

Status CheckOnePerItem(const std::vector<std::pair<int64_t, Verdict>>& verdicts) {
  std::set<std::pair<int64_t, std::string>> seen;
  for (const auto& [index, verdict] : verdicts) {
    if (verdict.judge.empty()) {
      return Status::InvalidArgument("a verdict for item " + std::to_string(index) +
                                     " names no judge");
    }
    if (!seen.insert({index, verdict.judge}).second) {
      return Status::InvalidArgument("item " + std::to_string(index) +
                                     " has two verdicts from judge '" + verdict.judge + "'");
    }
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::SaveVerdicts(const std::string& run_id,
                                 const std::vector<std::pair<int64_t, Verdict>>& verdicts) {
  return WithOperation(DoSaveVerdicts(run_id, verdicts), "saving verdicts of run '" + run_id + "'");
}

Status SqliteStore::DoSaveVerdicts(const std::string& run_id,
                                   const std::vector<std::pair<int64_t, Verdict>>& verdicts) {
  SV_RETURN_IF_ERROR(CheckOnePerItem(verdicts));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_RETURN_IF_ERROR(RequireRun(run_id));
  SV_ASSIGN_OR_RETURN(int64_t count, ItemCount(run_id));
  SV_ASSIGN_OR_RETURN(VerdictWriter writer, VerdictWriter::Prepare(*db_));
  for (const auto& [index, verdict] : verdicts) {
    const std::string where =
        "item " + std::to_string(index) + " of run '" + run_id + "' in " + db_->path();
    if (index < 0 || index >= count) {
      return Status::InvalidArgument("item index " + std::to_string(index) +
                                     " is out of range: run '" + run_id + "' in " + db_->path() +
                                     " has " + std::to_string(count) + " items");
    }
    SV_RETURN_IF_ERROR(writer.Write(run_id, index, verdict, where));
  }
  return tx.Commit();
}

}  // namespace safeval::store_internal
