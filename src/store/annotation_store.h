// AnnotationStore: annotators, annotation rounds, labels and adjudications, in the same store
// file as the runs (schema version 5 adds their tables; older stores migrate forward).
// Same error conventions as store.h: NotFound for an unknown round or run, InvalidArgument for
// bad input (a name taken, a label of an item not in the round, a class that is not decided,
// quality outside 1..5, text that is not UTF-8), IoError "<operation>: store '<path>': ..." for
// database failures. Each call is one transaction. Not thread-safe: one writer per object.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/annotation.h"
#include "core/status.h"

namespace safeval {

class AnnotationStore {
 public:
  virtual ~AnnotationStore() = default;

  // Annotators. Tokens are never stored: only their hash (server/annotator_token.h).
  virtual Status AddAnnotator(const Annotator& annotator, const std::string& token_hash) = 0;
  // Replaces an annotator's token hash (a new login token); NotFound for an unknown name.
  virtual Status ResetAnnotatorToken(const std::string& name, const std::string& token_hash) = 0;
  virtual Result<std::vector<Annotator>> ListAnnotators() = 0;  // by name
  // The annotator whose token hash this is, or nullopt.
  virtual Result<std::optional<Annotator>> FindAnnotatorByTokenHash(const std::string& token_hash) = 0;

  // Rounds. CreateRound checks that the run exists and every item index is one of its items.
  virtual Status CreateRound(const AnnotationRound& round) = 0;
  virtual Result<AnnotationRound> GetRound(const std::string& name) = 0;
  // Every round, newest first, with `items` filled.
  virtual Result<std::vector<AnnotationRound>> ListRounds() = 0;

  // Labels: saved in one transaction, each replacing the same annotator's earlier label of the
  // item. Every label's item must be in the round and its annotator must exist.
  virtual Status SaveLabels(const std::string& round, const std::vector<AnnotationLabel>& labels) = 0;
  // The round's labels by item position in the round, then annotator name.
  virtual Result<std::vector<AnnotationLabel>> LoadLabels(const std::string& round) = 0;

  // Adjudications: the adjudicator must exist and be an adjudicator; the item must be in the round.
  virtual Status SaveAdjudication(const std::string& round, const Adjudication& adjudication) = 0;
  virtual Result<std::vector<Adjudication>> LoadAdjudications(const std::string& round) = 0;
};

// Opens the SQLite store at `path` (creating and migrating it exactly as OpenSqliteStore does);
// ":memory:" is not shared with a Store opened separately, so tests that need both use
// OpenSqliteStores.
Result<std::unique_ptr<AnnotationStore>> OpenSqliteAnnotationStore(const std::string& path);

// A Store and an AnnotationStore over one SQLite connection (works for ":memory:" too).
struct SqliteStores {
  std::unique_ptr<class Store> runs;
  std::unique_ptr<AnnotationStore> annotations;
};
Result<SqliteStores> OpenSqliteStores(const std::string& path);

// Saves the round's gold labels (core/annotation.h's GoldLabels) as verdicts of judge
// kGoldJudgeName on the run's items (Store::SaveVerdicts), with judge_version "human@<round>",
// confidence 1, the quality, and the note as rationale. Items whose gold label disappeared are
// left with their last gold verdict. Returns how many verdicts were saved.
Result<int64_t> PublishGoldVerdicts(class Store& runs, AnnotationStore& annotations,
                                    const std::string& round);

}  // namespace safeval
