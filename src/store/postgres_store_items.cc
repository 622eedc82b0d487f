// The writes of PostgresStore below the run: results (a batch of any size in three statements
// whose parameters are column arrays), verdicts added to judged items, and attacks (with their
// item, or the tree alone).
#include <map>
#include <set>

#include "store/postgres_rows.h"
#include "store/postgres_store.h"
#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

Status CheckJudgesUnique(const ItemResult& result) {
  std::set<std::string> seen;
  for (const Verdict& v : result.verdicts) {
    if (!seen.insert(v.judge).second) {
      return Status::InvalidArgument("item " + std::to_string(result.index) +
                                     " has two verdicts from judge '" + v.judge + "'");
    }
  }
  return Status::Ok();
}

Status OutOfRange(const PgConnection& db, const std::string& run_id, int64_t index, int64_t count) {
  return Status::InvalidArgument("item index " + std::to_string(index) + " is out of range: run '" +
                                 run_id + "' in " + db.label() + " has " + std::to_string(count) +
                                 " items");
}

// A batch's results as one upsert: $1 the run, then one array per column of kPgResultColumns
// (PgColumns), so the statement's text is the same for every batch.
std::string ResultUpsert() {
  std::string sql = "INSERT INTO results (run_id, " + std::string(kPgResultColumns) +
                    ") SELECT $1::text, * FROM " + PgUnnest(kPgResultTypes, 2) +
                    " ON CONFLICT (run_id, idx) DO UPDATE SET ";
  std::string_view columns = kPgResultColumns;
  bool first = true;
  while (!columns.empty()) {
    size_t comma = columns.find(", ");
    std::string_view column = columns.substr(0, comma);
    columns = comma == std::string_view::npos ? "" : columns.substr(comma + 2);
    if (column == "idx") continue;
    if (!first) sql += ", ";
    first = false;
    sql += std::string(column) + " = excluded." + std::string(column);
  }
  return sql;
}

// $1 the run, then the arrays of idx, pos and kPgVerdictColumns.
std::string VerdictInsert() {
  return "INSERT INTO verdicts (run_id, idx, pos, " + std::string(kPgVerdictColumns) +
         ") SELECT $1::text, * FROM " +
         PgUnnest("bigint, integer, " + std::string(kPgVerdictTypes), 2);
}

// The statements' parameters, built (and every value checked) before anything is written.
struct ResultBatch {
  PgColumns results{kPgResultColumnCount};
  PgColumns verdicts{kPgVerdictColumnCount + 2};
};

Result<ResultBatch> BuildBatch(const std::vector<const ItemResult*>& results) {
  ResultBatch batch;
  for (const ItemResult* result : results) {
    PgParams row;
    SV_RETURN_IF_ERROR(AddResultParams(row, *result));
    batch.results.AddRow(row);
    for (size_t pos = 0; pos < result->verdicts.size(); ++pos) {
      PgParams verdict;
      verdict.Int(result->index).Int(static_cast<int64_t>(pos));
      SV_RETURN_IF_ERROR(AddVerdictParams(verdict, result->verdicts[pos]));
      batch.verdicts.AddRow(verdict);
    }
  }
  return batch;
}

// Runs `sql` with the run as $1 and the columns' arrays after it.
void ExecColumns(pqxx::transaction_base& tx, const std::string& sql, const std::string& run_id,
                 const PgColumns& columns) {
  PgParams params;
  params.Text(run_id);
  columns.AppendTo(params);
  PgExec(tx, sql, params);
}

std::string ArrayLiteral(const std::vector<const ItemResult*>& results) {
  std::string out = "{";
  for (size_t i = 0; i < results.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(results[i]->index);
  }
  return out + "}";
}

}  // namespace

Status SavePostgresResults(const PgConnection& db, pqxx::transaction_base& tx,
                           const std::string& run_id, const std::vector<ItemResult>& results) {
  if (results.empty()) return Status::Ok();
  const int64_t count = PgItemCount(tx, run_id);
  // The last result saved for an index wins, as if they were saved one after another.
  std::map<int64_t, const ItemResult*> last;
  for (const ItemResult& result : results) {
    if (result.index < 0 || result.index >= count) {
      return OutOfRange(db, run_id, result.index, count);
    }
    SV_RETURN_IF_ERROR(CheckJudgesUnique(result));
    last[result.index] = &result;
  }
  std::vector<const ItemResult*> unique;
  unique.reserve(last.size());
  for (const auto& [index, result] : last) unique.push_back(result);
  // The upsert comes first: it locks each result row until the commit, so a concurrent save of
  // the same items waits, and the delete (a new snapshot under READ COMMITTED) then sees and
  // removes every earlier verdict, committed or ours, before the new ones go in.
  SV_ASSIGN_OR_RETURN(ResultBatch batch, BuildBatch(unique));
  static const std::string kResultUpsert = ResultUpsert();
  static const std::string kVerdictInsert = VerdictInsert();
  ExecColumns(tx, kResultUpsert, run_id, batch.results);
  // The range lets the planner use the primary key even before the table's statistics exist.
  tx.exec_params0(
      "DELETE FROM verdicts WHERE run_id = $1 AND idx BETWEEN $3 AND $4 AND idx = "
      "ANY($2::bigint[])",
      run_id, ArrayLiteral(unique), unique.front()->index, unique.back()->index);
  if (batch.verdicts.rows() > 0) ExecColumns(tx, kVerdictInsert, run_id, batch.verdicts);
  return Status::Ok();
}

Status PostgresStore::SaveResults(const std::string& run_id,
                                  const std::vector<ItemResult>& results) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    SV_RETURN_IF_ERROR(SavePostgresResults(*db_, tx, run_id, results));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving results of run '" + run_id + "'");
}

namespace {

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

// InvalidArgument unless the item has a result whose outcome is judged.
Status RequireJudged(pqxx::transaction_base& tx, const std::string& run_id, int64_t index,
                     const std::string& where) {
  pqxx::result rows =
      tx.exec_params("SELECT outcome FROM results WHERE run_id = $1 AND idx = $2", run_id, index);
  if (rows.empty()) return Status::InvalidArgument(where + " has no result yet");
  std::string name = PgText(rows[0][0]);
  if (name != Name(Outcome::kJudged)) {
    return Status::InvalidArgument(where + " has outcome " + name +
                                   ", not judged: only a judged response can get a verdict");
  }
  return Status::Ok();
}

// Replaces the judge's verdict in its place, or adds it after the item's last one.
Status WriteVerdict(pqxx::transaction_base& tx, const std::string& run_id, int64_t index,
                    const Verdict& verdict) {
  PgParams params;
  params.Text(run_id).Int(index);
  SV_RETURN_IF_ERROR(AddVerdictParams(params, verdict));
  pqxx::result updated = PgExec(tx,
                                "UPDATE verdicts SET judge_version = $4, class = $5, "
                                "violation = $6, confidence = $7, quality = $8, severity = $9, "
                                "rationale = $10, evidence_json = $11, missed_distress = $12 "
                                "WHERE run_id = $1 AND idx = $2 AND judge = $3",
                                params);
  if (updated.affected_rows() > 0) return Status::Ok();
  int64_t pos = tx.exec_params1(
                      "SELECT coalesce(max(pos) + 1, 0) FROM verdicts WHERE run_id = $1 AND "
                      "idx = $2",
                      run_id, index)[0]
                    .as<int64_t>();
  PgParams insert;
  insert.Text(run_id).Int(index).Int(pos);
  SV_RETURN_IF_ERROR(AddVerdictParams(insert, verdict));
  PgExec(tx,
         "INSERT INTO verdicts (run_id, idx, pos, " + std::string(kPgVerdictColumns) + ") VALUES " +
             PgValuesList(1, kPgVerdictColumnCount + 3),
         insert);
  return Status::Ok();
}

}  // namespace

Status PostgresStore::SaveVerdicts(const std::string& run_id,
                                   const std::vector<std::pair<int64_t, Verdict>>& verdicts) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_RETURN_IF_ERROR(CheckOnePerItem(verdicts));
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(DoSaveVerdicts(tx, run_id, verdicts));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving verdicts of run '" + run_id + "'");
}

Status PostgresStore::DoSaveVerdicts(pqxx::work& tx, const std::string& run_id,
                                     const std::vector<std::pair<int64_t, Verdict>>& verdicts) {
  SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
  const int64_t count = PgItemCount(tx, run_id);
  for (const auto& [index, verdict] : verdicts) {
    if (index < 0 || index >= count) return OutOfRange(*db_, run_id, index, count);
    const std::string where =
        "item " + std::to_string(index) + " of run '" + run_id + "' in " + db_->label();
    SV_RETURN_IF_ERROR(RequireJudged(tx, run_id, index, where));
    SV_RETURN_IF_ERROR(WriteVerdict(tx, run_id, index, verdict));
  }
  return Status::Ok();
}

Result<int64_t> PostgresStore::SaveAttack(const std::string& run_id, const std::string& seed_id,
                                          const std::string& tree_json, const Prompt& item,
                                          ItemResult result) {
  Result<int64_t> index = PgCall(*db_, [&]() -> Result<int64_t> {
    pqxx::work tx(db_->conn());
    SV_ASSIGN_OR_RETURN(int64_t saved,
                        DoSaveAttack(tx, run_id, seed_id, tree_json, item, std::move(result)));
    tx.commit();
    return saved;
  });
  return PgWithOperation(std::move(index), "saving an attack of run '" + run_id + "'");
}

Result<int64_t> PostgresStore::DoSaveAttack(pqxx::work& tx, const std::string& run_id,
                                            const std::string& seed_id,
                                            const std::string& tree_json, const Prompt& item,
                                            ItemResult result) {
  // The run's row lock makes concurrent appends take turns for the next index.
  SV_RETURN_IF_ERROR(RequireRun(tx, run_id, /*lock=*/true));
  if (!tx.exec_params("SELECT 1 FROM attacks WHERE run_id = $1 AND seed_id = $2", run_id, seed_id)
           .empty()) {
    return Status::InvalidArgument("seed '" + seed_id + "' of run '" + run_id +
                                   "' was attacked already");
  }
  SV_ASSIGN_OR_RETURN(std::string json, PromptToJson(item));
  const int64_t index = PgItemCount(tx, run_id);
  tx.exec_params0(
      "INSERT INTO items (run_id, idx, prompt_json, category, intent) VALUES ($1, $2, $3, $4, $5)",
      run_id, index, json, item.category.str(), std::string(Name(item.intent)));
  result.index = index;
  SV_RETURN_IF_ERROR(SavePostgresResults(*db_, tx, run_id, {result}));
  tx.exec_params0(
      "INSERT INTO attacks (run_id, seed_id, pos, item_idx, tree_json) VALUES "
      "($1, $2, (SELECT count(*) FROM attacks WHERE run_id = $1), $3, $4)",
      run_id, seed_id, index, tree_json);
  return index;
}

// As SqliteStore::SaveAttackTree: a new tree goes last, a replaced one keeps its pos, and a tree
// saved alone has item_idx -1. The run's row lock makes concurrent additions take turns for pos.
Status PostgresStore::SaveAttackTree(const std::string& run_id, const std::string& seed_id,
                                     const std::string& tree_json) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id, /*lock=*/true));
    tx.exec_params0(
        "INSERT INTO attacks (run_id, seed_id, pos, item_idx, tree_json) VALUES ($1, $2, "
        "(SELECT coalesce(max(pos) + 1, 0) FROM attacks WHERE run_id = $1), -1, $3) "
        "ON CONFLICT (run_id, seed_id) DO UPDATE SET tree_json = excluded.tree_json",
        run_id, seed_id, tree_json);
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving an attack tree of run '" + run_id + "'");
}

Result<std::vector<std::pair<std::string, std::string>>> PostgresStore::LoadAttacks(
    const std::string& run_id) {
  using Attacks = std::vector<std::pair<std::string, std::string>>;
  Result<Attacks> attacks = PgCall(*db_, [&]() -> Result<Attacks> {
    pqxx::read_transaction tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    Attacks out;
    for (const pqxx::row& row : tx.exec_params(
             "SELECT seed_id, tree_json FROM attacks WHERE run_id = $1 ORDER BY pos", run_id)) {
      out.emplace_back(PgText(row[0]), PgText(row[1]));
    }
    return out;
  });
  return PgWithOperation(std::move(attacks), "reading the attacks of run '" + run_id + "'");
}

}  // namespace safeval::store_internal
