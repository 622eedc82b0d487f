// OpenSqliteAnnotationStore, OpenSqliteStores, and the annotators and rounds of
// SqliteAnnotationStore.
#include "store/sqlite_annotation_store.h"

#include "store/annotation_checks.h"
#include "store/sqlite_store.h"

namespace safeval {

using store_internal::SqliteAnnotationStore;
using store_internal::SqliteDb;

Result<std::unique_ptr<AnnotationStore>> OpenSqliteAnnotationStore(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, store_internal::OpenStoreConnection(path));
  return std::unique_ptr<AnnotationStore>(new SqliteAnnotationStore(std::move(db)));
}

Result<SqliteStores> OpenSqliteStores(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> opened, store_internal::OpenStoreConnection(path));
  std::shared_ptr<SqliteDb> db = std::move(opened);
  SqliteStores stores;
  stores.runs = std::make_unique<store_internal::SqliteStore>(db);
  stores.annotations = std::make_unique<SqliteAnnotationStore>(db);
  return stores;
}

namespace store_internal {
namespace {

constexpr char kAnnotatorColumns[] = "name, adjudicator, created_at";
constexpr char kRoundColumns[] = "name, run_id, sample, overlap, created_at";

Annotator ReadAnnotator(const SqliteStatement& stmt) {
  Annotator a;
  a.name = stmt.ColumnText(0);
  a.adjudicator = stmt.ColumnInt(1) != 0;
  a.created_at = stmt.ColumnText(2);
  return a;
}

Status CheckTokenHash(const std::string& token_hash) {
  if (token_hash.empty()) return Status::InvalidArgument("an annotator's token hash is empty");
  return CheckStoredText("an annotator's token hash", token_hash);
}

}  // namespace

Status SqliteAnnotationStore::AddAnnotator(const Annotator& annotator,
                                           const std::string& token_hash) {
  return WithOperation(DoAddAnnotator(annotator, token_hash),
                       "adding annotator '" + annotator.name + "'");
}

Status SqliteAnnotationStore::ResetAnnotatorToken(const std::string& name,
                                                  const std::string& token_hash) {
  return WithOperation(DoResetAnnotatorToken(name, token_hash),
                       "resetting the token of annotator '" + name + "'");
}

Result<std::vector<Annotator>> SqliteAnnotationStore::ListAnnotators() {
  return WithOperation(DoListAnnotators(), "listing annotators");
}

Result<std::optional<Annotator>> SqliteAnnotationStore::FindAnnotatorByTokenHash(
    const std::string& token_hash) {
  // The hash stays out of the message: it is as good as the token to someone who can inject it.
  return WithOperation(DoFindAnnotatorByTokenHash(token_hash), "finding an annotator by token");
}

Status SqliteAnnotationStore::CreateRound(const AnnotationRound& round) {
  return WithOperation(DoCreateRound(round), "creating annotation round '" + round.name + "'");
}

Result<AnnotationRound> SqliteAnnotationStore::GetRound(const std::string& name) {
  return WithOperation(DoGetRound(name), "reading annotation round '" + name + "'");
}

Result<std::vector<AnnotationRound>> SqliteAnnotationStore::ListRounds() {
  return WithOperation(DoListRounds(), "listing annotation rounds");
}

Status SqliteAnnotationStore::Corrupt(const Status& status, const std::string& round) const {
  return status.WithContext("store '" + db_->path() + "', annotation round '" + round + "'");
}

Result<std::optional<Annotator>> SqliteAnnotationStore::FindAnnotator(const std::string& name) {
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_->Prepare("SELECT " + std::string(kAnnotatorColumns) + " FROM annotators WHERE name = ?"));
  SV_ASSIGN_OR_RETURN(bool found, stmt.Bind(1, name).Step());
  if (!found) return std::optional<Annotator>();
  return std::optional<Annotator>(ReadAnnotator(stmt));
}

Status SqliteAnnotationStore::RequireUnusedTokenHash(const std::string& token_hash) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT 1 FROM annotators WHERE token_hash = ?"));
  SV_ASSIGN_OR_RETURN(bool used, stmt.Bind(1, token_hash).Step());
  if (used) return Status::InvalidArgument("another annotator already has this token");
  return Status::Ok();
}

Status SqliteAnnotationStore::DoAddAnnotator(const Annotator& annotator,
                                             const std::string& token_hash) {
  SV_RETURN_IF_ERROR(CheckAnnotationName("annotator", annotator.name));
  SV_RETURN_IF_ERROR(CheckTokenHash(token_hash));
  SV_RETURN_IF_ERROR(
      CheckStoredText("annotator '" + annotator.name + "': created_at", annotator.created_at));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_ASSIGN_OR_RETURN(std::optional<Annotator> existing, FindAnnotator(annotator.name));
  if (existing) {
    return Status::InvalidArgument("annotator '" + annotator.name + "' already exists in " +
                                   db_->path());
  }
  SV_RETURN_IF_ERROR(RequireUnusedTokenHash(token_hash));
  SV_ASSIGN_OR_RETURN(SqliteStatement insert,
                      db_->Prepare("INSERT INTO annotators (name, adjudicator, token_hash, "
                                   "created_at) VALUES (?, ?, ?, ?)"));
  SV_RETURN_IF_ERROR(insert.Bind(1, annotator.name)
                         .Bind(2, annotator.adjudicator)
                         .Bind(3, token_hash)
                         .Bind(4, annotator.created_at)
                         .Run());
  return tx.Commit();
}

Status SqliteAnnotationStore::DoResetAnnotatorToken(const std::string& name,
                                                    const std::string& token_hash) {
  SV_RETURN_IF_ERROR(CheckTokenHash(token_hash));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_ASSIGN_OR_RETURN(std::optional<Annotator> existing, FindAnnotator(name));
  if (!existing) return Status::NotFound("no annotator '" + name + "' in " + db_->path());
  SV_RETURN_IF_ERROR(RequireUnusedTokenHash(token_hash));
  SV_ASSIGN_OR_RETURN(SqliteStatement update,
                      db_->Prepare("UPDATE annotators SET token_hash = ? WHERE name = ?"));
  SV_RETURN_IF_ERROR(update.Bind(1, token_hash).Bind(2, name).Run());
  return tx.Commit();
}

Result<std::vector<Annotator>> SqliteAnnotationStore::DoListAnnotators() {
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_->Prepare("SELECT " + std::string(kAnnotatorColumns) + " FROM annotators ORDER BY name"));
  std::vector<Annotator> annotators;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return annotators;
    annotators.push_back(ReadAnnotator(stmt));
  }
}

Result<std::optional<Annotator>> SqliteAnnotationStore::DoFindAnnotatorByTokenHash(
    const std::string& token_hash) {
  if (token_hash.empty()) return std::optional<Annotator>();
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT " + std::string(kAnnotatorColumns) +
                                   " FROM annotators WHERE token_hash = ? ORDER BY name LIMIT 1"));
  SV_ASSIGN_OR_RETURN(bool found, stmt.Bind(1, token_hash).Step());
  if (!found) return std::optional<Annotator>();
  return std::optional<Annotator>(ReadAnnotator(stmt));
}

Status SqliteAnnotationStore::DoCreateRound(const AnnotationRound& round) {
  SV_RETURN_IF_ERROR(CheckRoundFields(round));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  Result<AnnotationRound> existing = ReadRoundRow(round.name);
  if (existing.ok()) {
    return Status::InvalidArgument("annotation round '" + round.name + "' already exists in " +
                                   db_->path());
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  SV_ASSIGN_OR_RETURN(
      SqliteStatement run,
      db_->Prepare("SELECT (SELECT count(*) FROM runs WHERE id = ?1), "
                   "(SELECT coalesce(max(idx) + 1, 0) FROM items WHERE run_id = ?1)"));
  SV_ASSIGN_OR_RETURN(bool row, run.Bind(1, round.run_id).Step());
  if (!row || run.ColumnInt(0) == 0) {
    return Status::NotFound("no run '" + round.run_id + "' in " + db_->path());
  }
  const int64_t item_count = run.ColumnInt(1);
  for (int64_t index : round.items) {
    if (index >= item_count) {
      return Status::InvalidArgument("round '" + round.name + "': item " + std::to_string(index) +
                                     " is not an item of run '" + round.run_id + "' (it has " +
                                     std::to_string(item_count) + " items)");
    }
  }
  SV_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_->Prepare("INSERT INTO rounds (" + std::string(kRoundColumns) +
                   ", position) SELECT ?, ?, ?, ?, ?, coalesce(max(position) + 1, 0) FROM rounds"));
  SV_RETURN_IF_ERROR(insert.Bind(1, round.name)
                         .Bind(2, round.run_id)
                         .Bind(3, Name(round.sample))
                         .Bind(4, round.overlap)
                         .Bind(5, round.created_at)
                         .Run());
  SV_ASSIGN_OR_RETURN(
      SqliteStatement item,
      db_->Prepare("INSERT INTO round_items (round, position, item_index) VALUES (?, ?, ?)"));
  for (size_t position = 0; position < round.items.size(); ++position) {
    item.Reset();
    SV_RETURN_IF_ERROR(item.Bind(1, round.name)
                           .Bind(2, static_cast<int64_t>(position))
                           .Bind(3, round.items[position])
                           .Run());
  }
  return tx.Commit();
}

Result<AnnotationRound> SqliteAnnotationStore::ReadRoundRow(const std::string& name) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt, db_->Prepare("SELECT " + std::string(kRoundColumns) +
                                                         " FROM rounds WHERE name = ?"));
  SV_ASSIGN_OR_RETURN(bool found, stmt.Bind(1, name).Step());
  if (!found) return Status::NotFound("no annotation round '" + name + "' in " + db_->path());
  AnnotationRound round;
  round.name = stmt.ColumnText(0);
  round.run_id = stmt.ColumnText(1);
  std::string sample = stmt.ColumnText(2);
  std::optional<RoundSample> parsed = ParseRoundSample(sample);
  if (!parsed) return Corrupt(Status::IoError("unknown sample '" + sample + "'"), name);
  round.sample = *parsed;
  round.overlap = static_cast<int>(stmt.ColumnInt(3));
  round.created_at = stmt.ColumnText(4);
  return round;
}

Status SqliteAnnotationStore::ReadRoundItems(AnnotationRound& round) {
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db_->Prepare("SELECT item_index FROM round_items WHERE round = ? ORDER BY position"));
  stmt.Bind(1, round.name);
  round.items.clear();
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Status::Ok();
    round.items.push_back(stmt.ColumnInt(0));
  }
}

Result<AnnotationRound> SqliteAnnotationStore::DoGetRound(const std::string& name) {
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginRead(*db_));
  SV_ASSIGN_OR_RETURN(AnnotationRound round, ReadRoundRow(name));
  SV_RETURN_IF_ERROR(ReadRoundItems(round));
  return round;
}

Result<std::vector<AnnotationRound>> SqliteAnnotationStore::DoListRounds() {
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginRead(*db_));
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare("SELECT name FROM rounds ORDER BY position DESC"));
  std::vector<std::string> names;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    names.push_back(stmt.ColumnText(0));
  }
  std::vector<AnnotationRound> rounds;
  for (const std::string& name : names) {
    SV_ASSIGN_OR_RETURN(AnnotationRound round, ReadRoundRow(name));
    SV_RETURN_IF_ERROR(ReadRoundItems(round));
    rounds.push_back(std::move(round));
  }
  return rounds;
}

}  // namespace store_internal
}  // namespace safeval
