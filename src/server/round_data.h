// What the annotation pages compute from the stores: an annotator's queue in a round, the
// round's agreement numbers, the run's policy for pre-selecting violations, and a round's items
// with their responses. Pure functions over values, or reads through the stores passed in
// (which are not thread-safe: WebApp serialises calls).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/annotation.h"
#include "core/prompt.h"
#include "core/status.h"
#include "metrics/agreement.h"
#include "policy/policy.h"
#include "server/label_form.h"
#include "store/annotation_store.h"
#include "store/store.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// One annotator's place in a round (docs/web-ui.md): the queue is the round's items they have
// not labelled that have fewer than `overlap` labels, in round order.
struct AnnotatorQueue {
  int64_t done = 0;             // items of the round this annotator has labelled
  int64_t remaining = 0;        // items still in their queue
  std::optional<int64_t> next;  // the first item of the queue, nullopt when it is empty
  int64_t total() const { return done + remaining; }
};
AnnotatorQueue QueueOf(const AnnotationRound& round, const std::vector<AnnotationLabel>& labels,
                       const std::string& annotator);

// A round with its labels and adjudications, as the agreement and adjudication pages read it.
struct RoundState {
  AnnotationRound round;
  std::vector<AnnotationLabel> labels;
  std::vector<Adjudication> adjudications;
};
// NotFound for an unknown round; IoError from the store.
Result<RoundState> LoadRoundState(AnnotationStore& annotations, const std::string& name);

// The round's agreement numbers: annotators' classes, and separately their violation yes/no.
struct RoundAgreement {
  int64_t labels = 0;
  int64_t items_labelled = 0;  // items with at least one label
  AgreementReport classes;     // ratings: the class names
  AgreementReport violation;   // ratings: "yes" / "no"
  int64_t disagreements = 0;   // items whose labels disagree (LabelsDisagree), adjudicated or not
  int64_t adjudicated = 0;     // of those, the ones an adjudicator decided
  int64_t gold = 0;            // items with a gold label (GoldLabels)
};
RoundAgreement MeasureRound(const AnnotationRound& round,
                            const std::vector<AnnotationLabel>& labels,
                            const std::vector<Adjudication>& adjudications);

// The round's labels grouped by item index (each item's labels by annotator name).
std::map<int64_t, std::vector<AnnotationLabel>> LabelsByItem(
    const std::vector<AnnotationLabel>& labels);

// The policy the run was judged under: the "taxonomy" and "policy" specs of its config_json
// resolved against its suite's folder, as `safeval judge RUN` does. When they cannot be read
// any more (the suite moved, a file was deleted, a run made by hand) the built-in default
// policy over `fallback` — the pre-selection is only a suggestion the annotator may change.
Policy RunPolicy(const RunRecord& run, const Taxonomy& fallback);

// What `policy` says of each decided class for `prompt` (true = a violation).
ViolationByClass ViolationsFor(const Policy& policy, const Prompt& prompt);

// The items of the run with these indexes, with their results (nullopt while pending), by
// index. Store::ItemsAt has no results, so this streams Store::ScanItems and stops after the
// largest index wanted: its cost grows with that index, not with the run. Unknown indexes are
// left out.
Result<std::map<int64_t, StoredItem>> LoadItemsWithResults(Store& runs, const std::string& run_id,
                                                           const std::set<int64_t>& indexes);

}  // namespace safeval
