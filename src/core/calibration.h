// A judge's measured accuracy on a labelled set, for error-corrected rates:
// corrected prevalence = (p + Sp − 1) / (Se + Sp − 1) (DESIGN.md, Metrics).
#pragma once

#include <cstdint>
#include <string>

namespace safeval {

struct JudgeCalibration {
  std::string judge;        // "name@version" of the judge it was measured for
  std::string labels_hash;  // ContentHash of the labelled file
  std::string created_at;   // ISO 8601 UTC
  // Violation (positive) against human labels.
  int64_t true_positives = 0;
  int64_t false_positives = 0;
  int64_t true_negatives = 0;
  int64_t false_negatives = 0;
  std::string details_json;  // the full report: confusion matrix over classes, per-class F1, kappa

  double sensitivity() const {
    int64_t p = true_positives + false_negatives;
    return p > 0 ? static_cast<double>(true_positives) / p : 0.0;
  }
  double specificity() const {
    int64_t n = true_negatives + false_positives;
    return n > 0 ? static_cast<double>(true_negatives) / n : 0.0;
  }
};

}  // namespace safeval
