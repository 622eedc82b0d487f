// PostgresAnnotationStore: annotators, rounds, labels and adjudications.
#include "store/postgres_annotation_store.h"

#include <set>
#include <utility>

#include "store/annotation_checks.h"
#include "store/postgres_rows.h"

namespace safeval::store_internal {
namespace {

constexpr char kAnnotatorColumns[] = "name, adjudicator, created_at";
constexpr char kRoundColumns[] = "name, run_id, sample, overlap, created_at";

Annotator ReadAnnotator(const pqxx::row& row) {
  Annotator a;
  a.name = PgText(row[0]);
  a.adjudicator = PgBool(row[1]);
  a.created_at = PgText(row[2]);
  return a;
}

Status CheckTokenHash(const std::string& token_hash) {
  if (token_hash.empty()) return Status::InvalidArgument("an annotator's token hash is empty");
  return CheckStoredText("an annotator's token hash", token_hash);
}

std::string LabelWhere(const AnnotationLabel& label) {
  return "label of item " + std::to_string(label.item_index) + " by '" + label.annotator + "'";
}

Status CheckLabels(const std::vector<AnnotationLabel>& labels) {
  std::set<std::pair<int64_t, std::string>> seen;
  for (const AnnotationLabel& label : labels) {
    SV_RETURN_IF_ERROR(
        CheckDecision(LabelWhere(label), label.cls, label.quality, label.note, label.labelled_at));
    if (!seen.insert({label.item_index, label.annotator}).second) {
      return Status::InvalidArgument("item " + std::to_string(label.item_index) +
                                     " has two labels by '" + label.annotator + "'");
    }
  }
  return Status::Ok();
}

Result<ResponseClass> ReadClass(const pqxx::field& field) {
  std::string name = PgText(field);
  std::optional<ResponseClass> cls = ParseResponseClass(name);
  if (!cls) return Status::IoError("unknown class '" + name + "'");
  return *cls;
}

// SELECT `columns` of `table` rows of a round ($1), by item position in the round, then `order`.
std::string SelectByPosition(const std::string& columns, const std::string& table,
                             const std::string& order) {
  return "SELECT " + columns + " FROM " + table +
         " AS l JOIN round_items AS ri ON ri.round = l.round AND ri.item_index = l.item_index"
         " WHERE l.round = $1 ORDER BY ri.position" +
         order;
}

// The decision columns of a label or adjudication after (round, item_index, who).
PgParams DecisionParams(const std::string& round, int64_t item_index, const std::string& who,
                        ResponseClass cls, bool violation, std::optional<int> quality,
                        const std::string& note, const std::string& at) {
  PgParams params;
  params.Text(round)
      .Int(item_index)
      .Text(who)
      .Text(Name(cls))
      .Bool(violation)
      .OptionalInt(quality)
      .Text(note)
      .Text(at);
  return params;
}

}  // namespace

// ---- error context -------------------------------------------------------------------------

Status PostgresAnnotationStore::AddAnnotator(const Annotator& annotator,
                                             const std::string& token_hash) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_RETURN_IF_ERROR(CheckAnnotationName("annotator", annotator.name));
    SV_RETURN_IF_ERROR(CheckTokenHash(token_hash));
    SV_RETURN_IF_ERROR(
        CheckStoredText("annotator '" + annotator.name + "': created_at", annotator.created_at));
    pqxx::work tx(db_->conn());
    // Serialises additions, so two processes cannot give one token to two annotators.
    tx.exec("LOCK TABLE annotators IN SHARE ROW EXCLUSIVE MODE");
    if (FindAnnotator(tx, annotator.name)) {
      return Status::InvalidArgument("annotator '" + annotator.name + "' already exists in " +
                                     db_->label());
    }
    if (!tx.exec_params("SELECT 1 FROM annotators WHERE token_hash = $1", token_hash).empty()) {
      return Status::InvalidArgument("another annotator already has this token");
    }
    tx.exec_params0(
        "INSERT INTO annotators (name, adjudicator, token_hash, created_at) VALUES ($1, $2, $3, "
        "$4)",
        annotator.name, annotator.adjudicator, token_hash, annotator.created_at);
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "adding annotator '" + annotator.name + "'");
}

Status PostgresAnnotationStore::ResetAnnotatorToken(const std::string& name,
                                                    const std::string& token_hash) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_RETURN_IF_ERROR(CheckTokenHash(token_hash));
    pqxx::work tx(db_->conn());
    tx.exec("LOCK TABLE annotators IN SHARE ROW EXCLUSIVE MODE");
    if (!FindAnnotator(tx, name)) {
      return Status::NotFound("no annotator '" + name + "' in " + db_->label());
    }
    if (!tx.exec_params("SELECT 1 FROM annotators WHERE token_hash = $1", token_hash).empty()) {
      return Status::InvalidArgument("another annotator already has this token");
    }
    tx.exec_params0("UPDATE annotators SET token_hash = $1 WHERE name = $2", token_hash, name);
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "resetting the token of annotator '" + name + "'");
}

Result<std::vector<Annotator>> PostgresAnnotationStore::ListAnnotators() {
  auto annotators = PgCall(*db_, [&]() -> Result<std::vector<Annotator>> {
    pqxx::read_transaction tx(db_->conn());
    std::vector<Annotator> out;
    for (const pqxx::row& row :
         tx.exec("SELECT " + std::string(kAnnotatorColumns) + " FROM annotators ORDER BY name")) {
      out.push_back(ReadAnnotator(row));
    }
    return out;
  });
  return PgWithOperation(std::move(annotators), "listing annotators");
}

Result<std::optional<Annotator>> PostgresAnnotationStore::FindAnnotatorByTokenHash(
    const std::string& token_hash) {
  using Found = std::optional<Annotator>;
  auto found = PgCall(*db_, [&]() -> Result<Found> {
    if (token_hash.empty()) return Found();
    pqxx::read_transaction tx(db_->conn());
    pqxx::result rows = tx.exec_params("SELECT " + std::string(kAnnotatorColumns) +
                                           " FROM annotators WHERE token_hash = $1"
                                           " ORDER BY name LIMIT 1",
                                       token_hash);
    if (rows.empty()) return Found();
    return Found(ReadAnnotator(rows[0]));
  });
  // The hash stays out of the message: it is as good as the token to someone who can inject it.
  return PgWithOperation(std::move(found), "finding an annotator by token");
}

Status PostgresAnnotationStore::CreateRound(const AnnotationRound& round) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_RETURN_IF_ERROR(CheckRoundFields(round));
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(DoCreateRound(tx, round));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "creating annotation round '" + round.name + "'");
}

Result<AnnotationRound> PostgresAnnotationStore::GetRound(const std::string& name) {
  auto round = PgCall(*db_, [&]() -> Result<AnnotationRound> {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(db_->conn());
    return ReadRound(tx, name);
  });
  return PgWithOperation(std::move(round), "reading annotation round '" + name + "'");
}

Result<std::vector<AnnotationRound>> PostgresAnnotationStore::ListRounds() {
  auto rounds = PgCall(*db_, [&]() -> Result<std::vector<AnnotationRound>> {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(db_->conn());
    std::vector<AnnotationRound> out;
    for (const pqxx::row& row : tx.exec("SELECT name FROM rounds ORDER BY position DESC")) {
      SV_ASSIGN_OR_RETURN(AnnotationRound round, ReadRound(tx, PgText(row[0])));
      out.push_back(std::move(round));
    }
    return out;
  });
  return PgWithOperation(std::move(rounds), "listing annotation rounds");
}

Status PostgresAnnotationStore::SaveLabels(const std::string& round,
                                           const std::vector<AnnotationLabel>& labels) {
  Status status = PgCall(*db_, [&]() -> Status {
    SV_RETURN_IF_ERROR(CheckLabels(labels));
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(DoSaveLabels(tx, round, labels));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving labels of round '" + round + "'");
}

Status PostgresAnnotationStore::SaveAdjudication(const std::string& round,
                                                 const Adjudication& adjudication) {
  Status status = PgCall(*db_, [&]() -> Status {
    pqxx::work tx(db_->conn());
    SV_RETURN_IF_ERROR(DoSaveAdjudication(tx, round, adjudication));
    tx.commit();
    return Status::Ok();
  });
  return PgWithOperation(status, "saving an adjudication of round '" + round + "'");
}

// ---- the operations ------------------------------------------------------------------------

Status PostgresAnnotationStore::Corrupt(const Status& status, const std::string& round) const {
  return status.WithContext("store '" + db_->label() + "', annotation round '" + round + "'");
}

std::optional<Annotator> PostgresAnnotationStore::FindAnnotator(pqxx::transaction_base& tx,
                                                                const std::string& name) {
  pqxx::result rows = tx.exec_params(
      "SELECT " + std::string(kAnnotatorColumns) + " FROM annotators WHERE name = $1", name);
  if (rows.empty()) return std::nullopt;
  return ReadAnnotator(rows[0]);
}

Status PostgresAnnotationStore::DoCreateRound(pqxx::work& tx, const AnnotationRound& round) {
  // Rounds are numbered in creation order: take turns with other processes for the number.
  tx.exec("LOCK TABLE rounds IN SHARE ROW EXCLUSIVE MODE");
  Result<AnnotationRound> existing = ReadRoundRow(tx, round.name);
  if (existing.ok()) {
    return Status::InvalidArgument("annotation round '" + round.name + "' already exists in " +
                                   db_->label());
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  pqxx::row run = tx.exec_params1(
      "SELECT (SELECT count(*) FROM runs WHERE id = $1),"
      " (SELECT coalesce(max(idx) + 1, 0) FROM items WHERE run_id = $1)",
      round.run_id);
  if (run[0].as<int64_t>() == 0) {
    return Status::NotFound("no run '" + round.run_id + "' in " + db_->label());
  }
  const int64_t item_count = run[1].as<int64_t>();
  for (int64_t index : round.items) {
    if (index >= item_count) {
      return Status::InvalidArgument("round '" + round.name + "': item " + std::to_string(index) +
                                     " is not an item of run '" + round.run_id + "' (it has " +
                                     std::to_string(item_count) + " items)");
    }
  }
  tx.exec_params0("INSERT INTO rounds (" + std::string(kRoundColumns) +
                      ", position) SELECT $1, $2, $3, $4::integer, $5,"
                      " coalesce(max(position) + 1, 0) FROM rounds",
                  round.name, round.run_id, std::string(Name(round.sample)), round.overlap,
                  round.created_at);
  PgParams items;
  for (size_t position = 0; position < round.items.size(); ++position) {
    items.Text(round.name).Int(static_cast<int64_t>(position)).Int(round.items[position]);
  }
  PgExec(tx,
         "INSERT INTO round_items (round, position, item_index) VALUES " +
             PgValuesList(static_cast<int>(round.items.size()), 3),
         items);
  return Status::Ok();
}

Result<AnnotationRound> PostgresAnnotationStore::ReadRoundRow(pqxx::transaction_base& tx,
                                                              const std::string& name) {
  pqxx::result rows =
      tx.exec_params("SELECT " + std::string(kRoundColumns) + " FROM rounds WHERE name = $1", name);
  if (rows.empty()) {
    return Status::NotFound("no annotation round '" + name + "' in " + db_->label());
  }
  AnnotationRound round;
  round.name = PgText(rows[0][0]);
  round.run_id = PgText(rows[0][1]);
  std::string sample = PgText(rows[0][2]);
  std::optional<RoundSample> parsed = ParseRoundSample(sample);
  if (!parsed) return Corrupt(Status::IoError("unknown sample '" + sample + "'"), name);
  round.sample = *parsed;
  round.overlap = static_cast<int>(PgInt(rows[0][3]));
  round.created_at = PgText(rows[0][4]);
  return round;
}

Result<AnnotationRound> PostgresAnnotationStore::ReadRound(pqxx::transaction_base& tx,
                                                           const std::string& name) {
  SV_ASSIGN_OR_RETURN(AnnotationRound round, ReadRoundRow(tx, name));
  for (const pqxx::row& row : tx.exec_params(
           "SELECT item_index FROM round_items WHERE round = $1 ORDER BY position", name)) {
    round.items.push_back(PgInt(row[0]));
  }
  return round;
}

Status PostgresAnnotationStore::RequireItem(pqxx::transaction_base& tx, const std::string& round,
                                            int64_t item_index) {
  if (!tx.exec_params("SELECT 1 FROM round_items WHERE round = $1 AND item_index = $2", round,
                      item_index)
           .empty()) {
    return Status::Ok();
  }
  return Status::InvalidArgument("item " + std::to_string(item_index) +
                                 " is not in annotation round '" + round + "'");
}

Status PostgresAnnotationStore::RequireAnnotator(pqxx::transaction_base& tx,
                                                 const std::string& name, bool must_adjudicate) {
  std::optional<Annotator> annotator = FindAnnotator(tx, name);
  if (!annotator) return Status::InvalidArgument("no annotator '" + name + "' in " + db_->label());
  if (must_adjudicate && !annotator->adjudicator) {
    return Status::InvalidArgument("annotator '" + name + "' is not an adjudicator");
  }
  return Status::Ok();
}

Status PostgresAnnotationStore::DoSaveLabels(pqxx::work& tx, const std::string& round,
                                             const std::vector<AnnotationLabel>& labels) {
  SV_RETURN_IF_ERROR(ReadRoundRow(tx, round).status());
  for (const AnnotationLabel& label : labels) {
    SV_RETURN_IF_ERROR(RequireItem(tx, round, label.item_index));
    SV_RETURN_IF_ERROR(RequireAnnotator(tx, label.annotator, false));
    PgExec(tx,
           "INSERT INTO labels (round, item_index, annotator, class, violation, quality, note,"
           " labelled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
           " ON CONFLICT (round, item_index, annotator) DO UPDATE SET class = excluded.class,"
           " violation = excluded.violation, quality = excluded.quality, note = excluded.note,"
           " labelled_at = excluded.labelled_at",
           DecisionParams(round, label.item_index, label.annotator, label.cls, label.violation,
                          label.quality, label.note, label.labelled_at));
  }
  return Status::Ok();
}

Result<std::vector<AnnotationLabel>> PostgresAnnotationStore::LoadLabels(const std::string& round) {
  auto labels = PgCall(*db_, [&]() -> Result<std::vector<AnnotationLabel>> {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(db_->conn());
    SV_RETURN_IF_ERROR(ReadRoundRow(tx, round).status());
    std::vector<AnnotationLabel> out;
    for (const pqxx::row& row : tx.exec_params(
             SelectByPosition("l.item_index, l.annotator, l.class, l.violation, l.quality,"
                              " l.note, l.labelled_at",
                              "labels", ", l.annotator"),
             round)) {
      AnnotationLabel label;
      label.item_index = PgInt(row[0]);
      label.annotator = PgText(row[1]);
      Result<ResponseClass> cls = ReadClass(row[2]);
      if (!cls.ok()) return Corrupt(cls.status().WithContext(LabelWhere(label)), round);
      label.cls = *cls;
      label.violation = PgBool(row[3]);
      label.quality = PgOptionalInt(row[4]);
      label.note = PgText(row[5]);
      label.labelled_at = PgText(row[6]);
      out.push_back(std::move(label));
    }
    return out;
  });
  return PgWithOperation(std::move(labels), "reading labels of round '" + round + "'");
}

Status PostgresAnnotationStore::DoSaveAdjudication(pqxx::work& tx, const std::string& round,
                                                   const Adjudication& a) {
  const std::string where =
      "adjudication of item " + std::to_string(a.item_index) + " by '" + a.adjudicator + "'";
  SV_RETURN_IF_ERROR(CheckDecision(where, a.cls, a.quality, a.note, a.decided_at));
  SV_RETURN_IF_ERROR(ReadRoundRow(tx, round).status());
  SV_RETURN_IF_ERROR(RequireItem(tx, round, a.item_index));
  SV_RETURN_IF_ERROR(RequireAnnotator(tx, a.adjudicator, true));
  PgExec(tx,
         "INSERT INTO adjudications (round, item_index, adjudicator, class, violation, quality,"
         " note, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
         " ON CONFLICT (round, item_index) DO UPDATE SET adjudicator = excluded.adjudicator,"
         " class = excluded.class, violation = excluded.violation, quality = excluded.quality,"
         " note = excluded.note, decided_at = excluded.decided_at",
         DecisionParams(round, a.item_index, a.adjudicator, a.cls, a.violation, a.quality, a.note,
                        a.decided_at));
  return Status::Ok();
}

Result<std::vector<Adjudication>> PostgresAnnotationStore::LoadAdjudications(
    const std::string& round) {
  auto adjudications = PgCall(*db_, [&]() -> Result<std::vector<Adjudication>> {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(db_->conn());
    SV_RETURN_IF_ERROR(ReadRoundRow(tx, round).status());
    std::vector<Adjudication> out;
    for (const pqxx::row& row : tx.exec_params(
             SelectByPosition("l.item_index, l.adjudicator, l.class, l.violation, l.quality,"
                              " l.note, l.decided_at",
                              "adjudications", ""),
             round)) {
      Adjudication a;
      a.item_index = PgInt(row[0]);
      a.adjudicator = PgText(row[1]);
      Result<ResponseClass> cls = ReadClass(row[2]);
      if (!cls.ok()) {
        return Corrupt(
            cls.status().WithContext("adjudication of item " + std::to_string(a.item_index)),
            round);
      }
      a.cls = *cls;
      a.violation = PgBool(row[3]);
      a.quality = PgOptionalInt(row[4]);
      a.note = PgText(row[5]);
      a.decided_at = PgText(row[6]);
      out.push_back(std::move(a));
    }
    return out;
  });
  return PgWithOperation(std::move(adjudications),
                         "reading adjudications of round '" + round + "'");
}

}  // namespace safeval::store_internal
