// Human annotation: annotators, rounds of items to label, their labels and the gold label
// each item ends with. Stored by store/annotation_store.h, measured by metrics/agreement.h,
// served by src/server/ and created by `safeval annotate` / `safeval annotators`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/response_class.h"

namespace safeval {

struct Annotator {
  std::string name;          // 1..64 of [A-Za-z0-9_.@-]
  bool adjudicator = false;  // may decide disagreements (the adjudication view)
  std::string created_at;    // ISO 8601 UTC
};

// How a round picked its items from the run.
//   borderline: judges disagree on the class or the violation, or the deciding verdict's
//               confidence is below 0.6;  failures: violations (over-deflections included);
//   random: a seeded uniform sample;  all: every judged item.
enum class RoundSample { kBorderline, kFailures, kRandom, kAll };
std::string_view Name(RoundSample sample);
std::optional<RoundSample> ParseRoundSample(std::string_view text);

struct AnnotationRound {
  std::string name;          // unique in the store; same character set as annotator names
  std::string run_id;
  RoundSample sample = RoundSample::kAll;
  int overlap = 1;           // annotators wanted per item (1..10)
  std::string created_at;
  std::vector<int64_t> items;  // item indexes of the run, in the order annotators get them
};

// One annotator's label of one item of a round. Labelling again replaces it.
struct AnnotationLabel {
  int64_t item_index = 0;
  std::string annotator;
  ResponseClass cls = ResponseClass::kUndetermined;  // a decided class (kDecidedClasses)
  bool violation = false;
  std::optional<int> quality;  // 1..5
  std::string note;            // free text, at most 2000 bytes
  std::string labelled_at;     // ISO 8601 UTC
};

// An adjudicator's decision on an item the annotators disagreed on. Deciding again replaces it.
struct Adjudication {
  int64_t item_index = 0;
  std::string adjudicator;
  ResponseClass cls = ResponseClass::kUndetermined;
  bool violation = false;
  std::optional<int> quality;
  std::string note;
  std::string decided_at;
};

// The label an item of a round ends with, and why.
enum class GoldSource { kAdjudicated, kUnanimous, kSingle };
struct GoldLabel {
  int64_t item_index = 0;
  ResponseClass cls = ResponseClass::kUndetermined;
  bool violation = false;
  std::optional<int> quality;  // the adjudicator's, or the labels' median when unanimous
  std::string note;
  GoldSource source = GoldSource::kUnanimous;
};

// An item's labels disagree when two of them differ in class or in violation.
bool LabelsDisagree(const std::vector<AnnotationLabel>& labels_of_one_item);

// The gold labels of a round, by item index: the adjudication when there is one; otherwise,
// once an item has at least min(overlap, 2) labels that all agree, that label (kUnanimous;
// with overlap 1 a single label is kSingle). Items with disagreeing labels and no adjudication,
// or too few labels, have none. `labels` and `adjudications` may be in any order.
std::vector<GoldLabel> GoldLabels(const AnnotationRound& round,
                                  const std::vector<AnnotationLabel>& labels,
                                  const std::vector<Adjudication>& adjudications);

// The judge name gold labels are saved under as verdicts of the run ("human"), so that
// reports, metrics and `judge calibrate` see them like any judge's.
inline constexpr const char* kGoldJudgeName = "human";

}  // namespace safeval
