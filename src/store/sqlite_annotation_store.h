// The SQLite implementation of AnnotationStore, private to src/store/ (others call
// OpenSqliteAnnotationStore or OpenSqliteStores in annotation_store.h). Annotators and rounds
// are written by sqlite_annotation_store.cc, labels and adjudications by
// sqlite_annotation_labels.cc, the checks of their input live in annotation_checks.{h,cc}.
//
// Errors: SQLite failures and corrupt rows are IoError "<operation>: store '<path>': <reason>";
// NotFound and InvalidArgument messages are complete and name the store path where it helps.
// Every public method is one transaction, and on any error nothing is written.
// Not thread-safe: one connection, one writer. The connection may be shared with a SqliteStore
// (OpenSqliteStores); calls on the two must not interleave (no call from inside a Scan callback).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/annotation_store.h"
#include "store/sqlite_db.h"

namespace safeval::store_internal {

class SqliteAnnotationStore final : public AnnotationStore {
 public:
  explicit SqliteAnnotationStore(std::shared_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status AddAnnotator(const Annotator& annotator, const std::string& token_hash) override;
  Status ResetAnnotatorToken(const std::string& name, const std::string& token_hash) override;
  Result<std::vector<Annotator>> ListAnnotators() override;
  Result<std::optional<Annotator>> FindAnnotatorByTokenHash(const std::string& token_hash) override;

  Status CreateRound(const AnnotationRound& round) override;
  Result<AnnotationRound> GetRound(const std::string& name) override;
  Result<std::vector<AnnotationRound>> ListRounds() override;

  Status SaveLabels(const std::string& round, const std::vector<AnnotationLabel>& labels) override;
  Result<std::vector<AnnotationLabel>> LoadLabels(const std::string& round) override;

  Status SaveAdjudication(const std::string& round, const Adjudication& adjudication) override;
  Result<std::vector<Adjudication>> LoadAdjudications(const std::string& round) override;

 private:
  // The operations without their error context (the public methods add it).
  Status DoAddAnnotator(const Annotator& annotator, const std::string& token_hash);
  Status DoResetAnnotatorToken(const std::string& name, const std::string& token_hash);
  Result<std::vector<Annotator>> DoListAnnotators();
  Result<std::optional<Annotator>> DoFindAnnotatorByTokenHash(const std::string& token_hash);
  Status DoCreateRound(const AnnotationRound& round);
  Result<std::vector<AnnotationRound>> DoListRounds();
  Status DoSaveLabels(const std::string& round, const std::vector<AnnotationLabel>& labels);
  Result<std::vector<AnnotationLabel>> DoLoadLabels(const std::string& round);
  Status DoSaveAdjudication(const std::string& round, const Adjudication& adjudication);
  Result<std::vector<Adjudication>> DoLoadAdjudications(const std::string& round);

  // The annotator called `name`, or nullopt.
  Result<std::optional<Annotator>> FindAnnotator(const std::string& name);
  // InvalidArgument unless no other annotator has this token hash (so a token names one person).
  Status RequireUnusedTokenHash(const std::string& token_hash);
  // The round without its items, or NotFound "no annotation round '<name>' in <path>".
  Result<AnnotationRound> ReadRoundRow(const std::string& name);
  // The round with its items, in their order.
  Result<AnnotationRound> DoGetRound(const std::string& name);
  Status ReadRoundItems(AnnotationRound& round);
  // Names the store and the round in an error found in a row's content (an unknown class).
  Status Corrupt(const Status& status, const std::string& round) const;

  std::shared_ptr<SqliteDb> db_;
};

}  // namespace safeval::store_internal
