// The item-level operations of SqliteStore: saving results and verdicts, and
// reading items back (all of them, or the pending ones).
#include <algorithm>
#include <memory>
#include <unordered_set>

#include "store/sqlite_store.h"
#include "store/store_json.h"
#include "store/store_rows.h"

namespace safeval::store_internal {
namespace {

std::string Placeholders(int count) {
  std::string out = "?";
  for (int i = 1; i < count; ++i) out += ", ?";
  return out;
}

// Judges per result are few: a pairwise check costs less than building a set for each result.
Status CheckJudgesUnique(const ItemResult& result) {
  const std::vector<Verdict>& verdicts = result.verdicts;
  for (size_t i = 1; i < verdicts.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (verdicts[i].judge == verdicts[j].judge) {
        return Status::InvalidArgument("item " + std::to_string(result.index) +
                                       " has two verdicts from judge '" + verdicts[i].judge + "'");
      }
    }
  }
  return Status::Ok();
}

}  // namespace

// The four statements that replace one item's result, prepared once per connection (a
// prepared statement outlives transactions, and SQLite prepares it again itself should the
// schema change), and the JSON buffers its rows borrow.
struct ResultWriter {
  SqliteStatement delete_verdicts;
  SqliteStatement delete_result;
  SqliteStatement insert_result;
  SqliteStatement insert_verdict;
  RowJson json;

  static Result<std::unique_ptr<ResultWriter>> Prepare(SqliteDb& db) {
    SV_ASSIGN_OR_RETURN(SqliteStatement dv,
                        db.Prepare("DELETE FROM verdicts WHERE run_id = ? AND idx = ?"));
    SV_ASSIGN_OR_RETURN(SqliteStatement dr,
                        db.Prepare("DELETE FROM results WHERE run_id = ? AND idx = ?"));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement ir,
        db.Prepare("INSERT INTO results (run_id, " + std::string(kResultColumns) +
                   ", cache_hash) VALUES (" + Placeholders(kResultColumnCount + 2) + ")"));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement iv,
        db.Prepare("INSERT INTO verdicts (run_id, idx, pos, " + std::string(kVerdictColumns) +
                   ") VALUES (" + Placeholders(kVerdictColumnCount + 3) + ")"));
    return std::unique_ptr<ResultWriter>(
        new ResultWriter{std::move(dv), std::move(dr), std::move(ir), std::move(iv), {}});
  }

  Status Delete(SqliteStatement& stmt, const std::string& run_id, int64_t index) {
    stmt.Reset();
    return stmt.Bind(1, run_id).Bind(2, index).Run();
  }

  // `replaces`: the item has a result already (its verdicts go with it). The inserts borrow
  // `run_id`, `result` and `json` until their next Reset, which comes before their next use.
  Status Write(const std::string& run_id, const ItemResult& result, bool replaces) {
    SV_RETURN_IF_ERROR(CheckJudgesUnique(result));
    // The foreign key would cascade this delete; doing it explicitly keeps the
    // replacement correct even for a connection opened without foreign_keys=ON.
    if (replaces) {
      SV_RETURN_IF_ERROR(Delete(delete_verdicts, run_id, result.index));
      SV_RETURN_IF_ERROR(Delete(delete_result, run_id, result.index));
    }
    insert_result.Reset();
    insert_result.BindBorrowed(1, run_id);
    SV_RETURN_IF_ERROR(BindResult(insert_result, result, json));
    SV_RETURN_IF_ERROR(insert_result.Run());
    for (size_t pos = 0; pos < result.verdicts.size(); ++pos) {
      insert_verdict.Reset();
      insert_verdict.BindBorrowed(1, run_id)
          .Bind(2, result.index)
          .Bind(3, static_cast<int64_t>(pos));
      SV_RETURN_IF_ERROR(BindVerdict(insert_verdict, result.verdicts[pos], json));
      SV_RETURN_IF_ERROR(insert_verdict.Run());
    }
    return Status::Ok();
  }
};

SqliteStore::SqliteStore(std::shared_ptr<SqliteDb> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

Result<ResultWriter*> SqliteStore::Writer() {
  if (!writer_) {
    SV_ASSIGN_OR_RETURN(writer_, ResultWriter::Prepare(*db_));
  }
  return writer_.get();
}

Result<std::vector<StoredItem>> SqliteStore::PendingItems(const std::string& run_id) {
  return WithOperation(DoLoadItems(run_id, /*pending_only=*/true),
                       "reading pending items of run '" + run_id + "'");
}

Status SqliteStore::SaveResults(const std::string& run_id, const std::vector<ItemResult>& results) {
  return WithOperation(DoSaveResults(run_id, results), "saving results of run '" + run_id + "'");
}

Result<std::vector<StoredItem>> SqliteStore::LoadItems(const std::string& run_id) {
  return WithOperation(DoLoadItems(run_id, /*pending_only=*/false),
                       "reading items of run '" + run_id + "'");
}

Result<int64_t> SqliteStore::ItemCount(const std::string& run_id) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT coalesce(max(idx) + 1, 0) FROM items WHERE run_id = ?"));
  SV_ASSIGN_OR_RETURN(bool row, stmt.Bind(1, run_id).Step());
  return row ? stmt.ColumnInt(0) : 0;
}

// Index checks happen as each result is written, not up front: a bad index in
// the middle of a batch relies on the rollback, which the tests exercise.
//
// The batch is written with foreign keys off (about 15% of SQLite's work per result, 20% for a
// replacement): its rows satisfy both keys by construction. A result's item exists because
// a run's items are numbered 0..count-1 (CreateRun and SaveAttack add them so, nothing deletes
// one but its run) and the index is checked against count under the write lock; a verdict's
// result is the row inserted just before it; a replaced result's verdicts are deleted with it
// explicitly, as the cascade would.
Status SqliteStore::DoSaveResults(const std::string& run_id,
                                  const std::vector<ItemResult>& results) {
  SV_ASSIGN_OR_RETURN(ForeignKeysOff unchecked, ForeignKeysOff::Begin(*db_));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_RETURN_IF_ERROR(RequireRun(run_id));
  SV_ASSIGN_OR_RETURN(int64_t count, ItemCount(run_id));
  SV_ASSIGN_OR_RETURN(ResultWriter * writer, Writer());
  SV_ASSIGN_OR_RETURN(std::optional<std::unordered_set<int64_t>> existing,
                      ResultsAmong(run_id, results));
  for (const ItemResult& result : results) {
    if (result.index < 0 || result.index >= count) {
      return Status::InvalidArgument("item index " + std::to_string(result.index) +
                                     " is out of range: run '" + run_id + "' in " + db_->path() +
                                     " has " + std::to_string(count) + " items");
    }
    // An index twice in one batch: the second replaces the first.
    bool replaces = !existing || !existing->insert(result.index).second;
    SV_RETURN_IF_ERROR(writer->Write(run_id, result, replaces));
  }
  return tx.Commit();
}

// The indexes among `results` that have a result already, found with one range query (a fresh
// run's batch finds none, and its items skip the two deletes a replacement needs); nullopt for
// a batch spread thin over the run, whose range would read many other items' rows.
Result<std::optional<std::unordered_set<int64_t>>> SqliteStore::ResultsAmong(
    const std::string& run_id, const std::vector<ItemResult>& results) {
  std::unordered_set<int64_t> found;
  if (results.empty()) return std::optional(std::move(found));
  auto [low, high] = std::minmax_element(
      results.begin(), results.end(),
      [](const ItemResult& a, const ItemResult& b) { return a.index < b.index; });
  if (high->index - low->index >= 4 * static_cast<int64_t>(results.size()) + 64) {
    return std::optional<std::unordered_set<int64_t>>();
  }
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_->Prepare("SELECT idx FROM results WHERE run_id = ? AND idx BETWEEN ? AND ?"));
  stmt.Bind(1, run_id).Bind(2, low->index).Bind(3, high->index);
  for (;;) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    found.insert(stmt.ColumnInt(0));
  }
  return std::optional(std::move(found));
}

Result<std::vector<StoredItem>> SqliteStore::DoLoadItems(const std::string& run_id,
                                                         bool pending_only) {
  // One snapshot for both queries, so a concurrent writer cannot split an item.
  SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
  SV_RETURN_IF_ERROR(RequireRun(run_id));
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items,
                      QueryItems(run_id, pending_only, -1, INT64_MAX));
  if (!pending_only) SV_RETURN_IF_ERROR(AttachVerdicts(run_id, items));
  return items;
}

// Columns: 0 prompt_json, then kResultColumns (NULL without a result; outcome
// is NOT NULL in a result row, so a NULL outcome means "no result").
Result<std::vector<StoredItem>> SqliteStore::QueryItems(const std::string& run_id,
                                                        bool pending_only, int64_t after_index,
                                                        int64_t limit) {
  std::string sql = "SELECT prompt_json, " + std::string(kResultColumns) +
                    " FROM items LEFT JOIN results USING (run_id, idx) WHERE run_id = ?1"
                    " AND idx > ?2";
  if (pending_only) sql += " AND (outcome IS NULL OR outcome IN (?4, ?5))";
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt, db_->Prepare(sql + " ORDER BY idx LIMIT ?3"));
  stmt.Bind(1, run_id).Bind(2, after_index).Bind(3, limit);
  if (pending_only) stmt.Bind(4, Name(Outcome::kModelError)).Bind(5, Name(Outcome::kJudgeError));
  std::vector<StoredItem> items;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return items;
    StoredItem item;
    item.index = stmt.ColumnInt(1);
    Result<Prompt> prompt = PromptFromJson(stmt.ColumnText(0));
    if (!prompt.ok()) return Corrupt(prompt.status(), run_id, item.index);
    item.prompt = std::move(prompt).value();
    // A pending item's earlier failed result is not returned: it is about to be redone.
    if (!pending_only && !stmt.ColumnIsNull(2)) {
      Result<ItemResult> result = ReadResult(stmt, 1);
      if (!result.ok()) return Corrupt(result.status(), run_id, item.index);
      item.result = std::move(result).value();
    }
    items.push_back(std::move(item));
  }
}

// Merges the verdicts (ordered by idx, pos) into `items` (ordered by index).
Status SqliteStore::AttachVerdicts(const std::string& run_id, std::vector<StoredItem>& items) {
  if (items.empty()) return Status::Ok();
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT idx, " + std::string(kVerdictColumns) +
                                   " FROM verdicts WHERE run_id = ? AND idx BETWEEN ? AND ?"
                                   " ORDER BY idx, pos"));
  stmt.Bind(1, run_id).Bind(2, items.front().index).Bind(3, items.back().index);
  auto item = items.begin();
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    int64_t index = stmt.ColumnInt(0);
    while (item != items.end() && item->index < index) ++item;
    if (item == items.end() || item->index != index || !item->result) {
      return Corrupt(Status::IoError("a verdict has no result"), run_id, index);
    }
    Result<Verdict> verdict = ReadVerdict(stmt, 1);
    if (!verdict.ok()) return Corrupt(verdict.status(), run_id, index);
    item->result->verdicts.push_back(std::move(verdict).value());
  }
}

Result<int64_t> SqliteStore::SaveAttack(const std::string& run_id, const std::string& seed_id,
                                        const std::string& tree_json, const Prompt& item,
                                        ItemResult result) {
  auto save = [&]() -> Result<int64_t> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(SqliteStatement seen,
                        db_->Prepare("SELECT count(*) FROM attacks WHERE run_id = ? AND seed_id = ?"));
    SV_ASSIGN_OR_RETURN(bool row, seen.Bind(1, run_id).Bind(2, seed_id).Step());
    if (row && seen.ColumnInt(0) > 0) {
      return Status::InvalidArgument("seed '" + seed_id + "' of run '" + run_id +
                                     "' was attacked already");
    }
    SV_ASSIGN_OR_RETURN(int64_t index, ItemCount(run_id));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement insert,
        db_->Prepare("INSERT INTO items (run_id, idx, prompt_json, category, intent) "
                     "VALUES (?, ?, ?, ?, ?)"));
    SV_RETURN_IF_ERROR(InsertItem(insert, run_id, index, item));
    result.index = index;
    SV_ASSIGN_OR_RETURN(ResultWriter * writer, Writer());
    SV_RETURN_IF_ERROR(writer->Write(run_id, result, /*replaces=*/false));  // a new item
    SV_ASSIGN_OR_RETURN(
        SqliteStatement attack,
        db_->Prepare("INSERT INTO attacks (run_id, seed_id, pos, item_idx, tree_json) VALUES "
                     "(?, ?, (SELECT count(*) FROM attacks WHERE run_id = ?1), ?, ?)"));
    SV_RETURN_IF_ERROR(
        attack.Bind(1, run_id).Bind(2, seed_id).Bind(3, index).Bind(4, tree_json).Run());
    SV_RETURN_IF_ERROR(tx.Commit());
    return index;
  };
  return WithOperation(save(), "saving an attack of run '" + run_id + "'");
}

// A new tree goes after the run's last one; the upsert leaves a replaced tree's pos (and
// item_idx) alone. The tree's item is not known here (it was saved as any other item): item_idx
// is -1 for a tree saved alone. Nothing reads item_idx.
Status SqliteStore::SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                                   const std::string& tree_json) {
  auto save = [&]() -> Status {
    SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement upsert,
        db_->Prepare("INSERT INTO attacks (run_id, seed_id, pos, item_idx, tree_json) VALUES"
                     " (?1, ?2, (SELECT coalesce(max(pos) + 1, 0) FROM attacks WHERE run_id = ?1),"
                     " -1, ?3) ON CONFLICT (run_id, seed_id) DO UPDATE SET"
                     " tree_json = excluded.tree_json"));
    SV_RETURN_IF_ERROR(upsert.Bind(1, run_id).Bind(2, seed_id).Bind(3, tree_json).Run());
    return tx.Commit();
  };
  return WithOperation(save(), "saving an attack tree of run '" + run_id + "'");
}

Result<std::vector<std::pair<std::string, std::string>>> SqliteStore::LoadAttacks(
    const std::string& run_id) {
  auto load = [&]() -> Result<std::vector<std::pair<std::string, std::string>>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                        db_->Prepare("SELECT seed_id, tree_json FROM attacks WHERE run_id = ?"
                                     " ORDER BY pos"));
    stmt.Bind(1, run_id);
    std::vector<std::pair<std::string, std::string>> attacks;
    while (true) {
      SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return attacks;
      attacks.emplace_back(stmt.ColumnText(0), stmt.ColumnText(1));
    }
  };
  return WithOperation(load(), "reading the attacks of run '" + run_id + "'");
}

}  // namespace safeval::store_internal
