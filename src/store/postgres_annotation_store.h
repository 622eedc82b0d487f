// The PostgreSQL implementation of AnnotationStore, private to src/store/ (others call
// OpenStores in open_store.h). Same checks (annotation_checks.h), messages and transactions as
// the SQLite one (sqlite_annotation_store.h): every public method is one transaction, and on any
// error nothing is written. Database failures are IoError "<operation>: store '<label>': …".
// Not thread-safe; the connection may be shared with a PostgresStore (calls must not interleave).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/annotation_store.h"
#include "store/postgres_connection.h"

namespace safeval::store_internal {

class PostgresAnnotationStore final : public AnnotationStore {
 public:
  explicit PostgresAnnotationStore(std::shared_ptr<PgConnection> db) : db_(std::move(db)) {}

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
  // In `tx`, without error context (the public methods add PgCall and the operation).
  Status DoCreateRound(pqxx::work& tx, const AnnotationRound& round);
  Status DoSaveLabels(pqxx::work& tx, const std::string& round,
                      const std::vector<AnnotationLabel>& labels);
  Status DoSaveAdjudication(pqxx::work& tx, const std::string& round, const Adjudication& a);

  // The annotator called `name`, or nullopt.
  std::optional<Annotator> FindAnnotator(pqxx::transaction_base& tx, const std::string& name);
  // The round without its items, or NotFound "no annotation round '<name>' in <label>".
  Result<AnnotationRound> ReadRoundRow(pqxx::transaction_base& tx, const std::string& name);
  Result<AnnotationRound> ReadRound(pqxx::transaction_base& tx, const std::string& name);
  // InvalidArgument unless the item is in the round.
  Status RequireItem(pqxx::transaction_base& tx, const std::string& round, int64_t item_index);
  // InvalidArgument for an unknown annotator, or one who may not adjudicate when asked.
  Status RequireAnnotator(pqxx::transaction_base& tx, const std::string& name,
                          bool must_adjudicate);
  Status Corrupt(const Status& status, const std::string& round) const;

  std::shared_ptr<PgConnection> db_;
};

}  // namespace safeval::store_internal
