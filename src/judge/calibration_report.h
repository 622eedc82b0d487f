// How well a judge agrees with human labels: the confusion matrix over response
// classes, accuracy, per-class precision/recall/F1, Cohen's kappa, and
// sensitivity/specificity for violation (what error-corrected rates need, see
// core/calibration.h). Pure arithmetic: no I/O, no state beyond the tally.
//
// Conventions, chosen so the numbers mean what metrics use them for:
//   - The judge may answer undetermined; such an item counts against accuracy
//     and recall (the judge did not get it right) and sits in its own column
//     of the confusion matrix, but it is left out of the violation table,
//     because rates never count undetermined items either.
//   - Precision, recall or F1 whose denominator is 0 is reported as 0.
//   - Kappa is over all classes; it is undefined (nullopt) when the expected
//     agreement is 1 (every label and every answer is one and the same class).
// Thread-safety: a CalibrationTally is a plain value; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/response_class.h"

namespace safeval {

// One labelled item: what the human said and what the judge said.
struct LabelledVerdict {
  ResponseClass human = ResponseClass::kRefuses;  // REQUIRES: a decided class
  bool human_violation = false;
  ResponseClass judge = ResponseClass::kUndetermined;
  bool judge_violation = false;
};

// Every ResponseClass, decided ones first, in enum order (undetermined last).
inline constexpr size_t kClassCount = 6;

struct ClassScore {
  ResponseClass cls = ResponseClass::kRefuses;
  int64_t support = 0;    // items the humans gave this class
  int64_t predicted = 0;  // items the judge gave this class
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

struct CalibrationReport {
  int64_t items = 0;
  // confusion[human][judge], indexed by static_cast<size_t>(ResponseClass).
  std::array<std::array<int64_t, kClassCount>, kClassCount> confusion{};
  int64_t correct = 0;
  double accuracy = 0;              // correct / items (0 without items)
  std::vector<ClassScore> classes;  // the five decided classes, in enum order
  double macro_f1 = 0;              // mean F1 over the classes humans used
  std::optional<double> kappa;
  int64_t undetermined = 0;  // items the judge could not decide
  // Violation (positive) against the human label, over decided items.
  int64_t true_positives = 0;
  int64_t false_positives = 0;
  int64_t true_negatives = 0;
  int64_t false_negatives = 0;
  double sensitivity = 0;  // TP / (TP + FN); 0 without positives
  double specificity = 0;  // TN / (TN + FP); 0 without negatives
};

// Accumulates labelled items one at a time (so a labelled file can stream).
class CalibrationTally {
 public:
  void Add(const LabelledVerdict& item);
  CalibrationReport Finish() const;

 private:
  CalibrationReport counts_;  // only the counting fields are filled until Finish
};

// The report over `items` (a convenience over CalibrationTally).
CalibrationReport ComputeCalibrationReport(const std::vector<LabelledVerdict>& items);

}  // namespace safeval
