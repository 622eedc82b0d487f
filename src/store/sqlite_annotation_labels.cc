// Labels and adjudications of SqliteAnnotationStore.
#include <set>
#include <utility>

#include "store/annotation_checks.h"
#include "store/sqlite_annotation_store.h"
#include "store/sqlite_store.h"

namespace safeval::store_internal {
namespace {

// The checks a label or an adjudication needs from the store, prepared once per call.
struct DecisionTargets {
  SqliteStatement in_round;   // is the item in the round?
  SqliteStatement annotator;  // does the annotator exist, and may they adjudicate?
  const std::string& path;

  static Result<DecisionTargets> Prepare(SqliteDb& db) {
    SV_ASSIGN_OR_RETURN(SqliteStatement r,
                        db.Prepare("SELECT 1 FROM round_items WHERE round = ? AND item_index = ?"));
    SV_ASSIGN_OR_RETURN(SqliteStatement a,
                        db.Prepare("SELECT adjudicator FROM annotators WHERE name = ?"));
    return DecisionTargets{std::move(r), std::move(a), db.path()};
  }

  Status RequireItem(const std::string& round, int64_t item_index) {
    in_round.Reset();
    SV_ASSIGN_OR_RETURN(bool found, in_round.Bind(1, round).Bind(2, item_index).Step());
    if (found) return Status::Ok();
    return Status::InvalidArgument("item " + std::to_string(item_index) +
                                   " is not in annotation round '" + round + "'");
  }

  // InvalidArgument for an unknown annotator, or one who is not an adjudicator when
  // `must_adjudicate`.
  Status RequireAnnotator(const std::string& name, bool must_adjudicate) {
    annotator.Reset();
    SV_ASSIGN_OR_RETURN(bool found, annotator.Bind(1, name).Step());
    if (!found) return Status::InvalidArgument("no annotator '" + name + "' in " + path);
    if (must_adjudicate && annotator.ColumnInt(0) == 0) {
      return Status::InvalidArgument("annotator '" + name + "' is not an adjudicator");
    }
    return Status::Ok();
  }
};

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

// The class column of a label or an adjudication row.
Result<ResponseClass> ReadClass(const SqliteStatement& stmt, int col) {
  std::string name = stmt.ColumnText(col);
  std::optional<ResponseClass> cls = ParseResponseClass(name);
  if (!cls) return Status::IoError("unknown class '" + name + "'");
  return *cls;
}

// Columns shared by the two tables after (item_index, who): class, violation, quality, note, at.
constexpr char kLabelColumns[] =
    "l.item_index, l.annotator, l.class, l.violation, l.quality, l.note, l.labelled_at";
constexpr char kAdjudicationColumns[] =
    "l.item_index, l.adjudicator, l.class, l.violation, l.quality, l.note, l.decided_at";

// SELECT `columns` of `table` rows of a round, by item position in the round, then `order`.
std::string SelectByPosition(const std::string& columns, const std::string& table,
                             const std::string& order) {
  return "SELECT " + columns + " FROM " + table +
         " AS l JOIN round_items AS ri ON ri.round = l.round AND ri.item_index = l.item_index"
         " WHERE l.round = ? ORDER BY ri.position" +
         order;
}

}  // namespace

Status SqliteAnnotationStore::SaveLabels(const std::string& round,
                                         const std::vector<AnnotationLabel>& labels) {
  return WithOperation(DoSaveLabels(round, labels), "saving labels of round '" + round + "'");
}

Result<std::vector<AnnotationLabel>> SqliteAnnotationStore::LoadLabels(const std::string& round) {
  return WithOperation(DoLoadLabels(round), "reading labels of round '" + round + "'");
}

Status SqliteAnnotationStore::SaveAdjudication(const std::string& round,
                                               const Adjudication& adjudication) {
  return WithOperation(DoSaveAdjudication(round, adjudication),
                       "saving an adjudication of round '" + round + "'");
}

Result<std::vector<Adjudication>> SqliteAnnotationStore::LoadAdjudications(
    const std::string& round) {
  return WithOperation(DoLoadAdjudications(round),
                       "reading adjudications of round '" + round + "'");
}

Status SqliteAnnotationStore::DoSaveLabels(const std::string& round,
                                           const std::vector<AnnotationLabel>& labels) {
  SV_RETURN_IF_ERROR(CheckLabels(labels));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_RETURN_IF_ERROR(ReadRoundRow(round).status());
  SV_ASSIGN_OR_RETURN(DecisionTargets targets, DecisionTargets::Prepare(*db_));
  SV_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_->Prepare("INSERT OR REPLACE INTO labels (round, item_index, annotator, class, "
                   "violation, quality, note, labelled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  for (const AnnotationLabel& label : labels) {
    SV_RETURN_IF_ERROR(targets.RequireItem(round, label.item_index));
    SV_RETURN_IF_ERROR(targets.RequireAnnotator(label.annotator, false));
    insert.Reset();
    SV_RETURN_IF_ERROR(insert.Bind(1, round)
                           .Bind(2, label.item_index)
                           .Bind(3, label.annotator)
                           .Bind(4, Name(label.cls))
                           .Bind(5, label.violation)
                           .Bind(6, label.quality)
                           .Bind(7, label.note)
                           .Bind(8, label.labelled_at)
                           .Run());
  }
  return tx.Commit();
}

Result<std::vector<AnnotationLabel>> SqliteAnnotationStore::DoLoadLabels(const std::string& round) {
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginRead(*db_));
  SV_RETURN_IF_ERROR(ReadRoundRow(round).status());
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare(SelectByPosition(kLabelColumns, "labels", ", l.annotator")));
  stmt.Bind(1, round);
  std::vector<AnnotationLabel> labels;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return labels;
    AnnotationLabel label;
    label.item_index = stmt.ColumnInt(0);
    label.annotator = stmt.ColumnText(1);
    Result<ResponseClass> cls = ReadClass(stmt, 2);
    if (!cls.ok()) return Corrupt(cls.status().WithContext(LabelWhere(label)), round);
    label.cls = *cls;
    label.violation = stmt.ColumnInt(3) != 0;
    label.quality = stmt.ColumnOptionalInt(4);
    label.note = stmt.ColumnText(5);
    label.labelled_at = stmt.ColumnText(6);
    labels.push_back(std::move(label));
  }
}

Status SqliteAnnotationStore::DoSaveAdjudication(const std::string& round, const Adjudication& a) {
  const std::string where =
      "adjudication of item " + std::to_string(a.item_index) + " by '" + a.adjudicator + "'";
  SV_RETURN_IF_ERROR(CheckDecision(where, a.cls, a.quality, a.note, a.decided_at));
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(*db_));
  SV_RETURN_IF_ERROR(ReadRoundRow(round).status());
  SV_ASSIGN_OR_RETURN(DecisionTargets targets, DecisionTargets::Prepare(*db_));
  SV_RETURN_IF_ERROR(targets.RequireItem(round, a.item_index));
  SV_RETURN_IF_ERROR(targets.RequireAnnotator(a.adjudicator, true));
  SV_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db_->Prepare("INSERT OR REPLACE INTO adjudications (round, item_index, adjudicator, class, "
                   "violation, quality, note, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  SV_RETURN_IF_ERROR(insert.Bind(1, round)
                         .Bind(2, a.item_index)
                         .Bind(3, a.adjudicator)
                         .Bind(4, Name(a.cls))
                         .Bind(5, a.violation)
                         .Bind(6, a.quality)
                         .Bind(7, a.note)
                         .Bind(8, a.decided_at)
                         .Run());
  return tx.Commit();
}

Result<std::vector<Adjudication>> SqliteAnnotationStore::DoLoadAdjudications(
    const std::string& round) {
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginRead(*db_));
  SV_RETURN_IF_ERROR(ReadRoundRow(round).status());
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db_->Prepare(SelectByPosition(kAdjudicationColumns, "adjudications", "")));
  stmt.Bind(1, round);
  std::vector<Adjudication> adjudications;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return adjudications;
    Adjudication a;
    a.item_index = stmt.ColumnInt(0);
    a.adjudicator = stmt.ColumnText(1);
    Result<ResponseClass> cls = ReadClass(stmt, 2);
    if (!cls.ok()) {
      return Corrupt(
          cls.status().WithContext("adjudication of item " + std::to_string(a.item_index)), round);
    }
    a.cls = *cls;
    a.violation = stmt.ColumnInt(3) != 0;
    a.quality = stmt.ColumnOptionalInt(4);
    a.note = stmt.ColumnText(5);
    a.decided_at = stmt.ColumnText(6);
    adjudications.push_back(std::move(a));
  }
}

}  // namespace safeval::store_internal
