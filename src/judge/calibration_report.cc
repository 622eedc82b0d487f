#include "judge/calibration_report.h"

namespace safeval {
namespace {

size_t Index(ResponseClass cls) { return static_cast<size_t>(cls); }

double Ratio(int64_t num, int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

int64_t RowSum(const CalibrationReport& r, size_t row) {
  int64_t sum = 0;
  for (int64_t n : r.confusion[row]) sum += n;
  return sum;
}

int64_t ColumnSum(const CalibrationReport& r, size_t col) {
  int64_t sum = 0;
  for (const auto& row : r.confusion) sum += row[col];
  return sum;
}

ClassScore Score(const CalibrationReport& r, ResponseClass cls) {
  ClassScore s;
  s.cls = cls;
  const int64_t hits = r.confusion[Index(cls)][Index(cls)];
  s.support = RowSum(r, Index(cls));
  s.predicted = ColumnSum(r, Index(cls));
  s.precision = Ratio(hits, s.predicted);
  s.recall = Ratio(hits, s.support);
  s.f1 = Ratio(2 * hits, s.support + s.predicted);  // = 2PR / (P + R)
  return s;
}

// Cohen's kappa: (p_o - p_e) / (1 - p_e), p_e from the row and column margins.
std::optional<double> Kappa(const CalibrationReport& r) {
  if (r.items == 0) return std::nullopt;
  const double n = static_cast<double>(r.items);
  double expected = 0;
  for (size_t k = 0; k < kClassCount; ++k) {
    expected +=
        (static_cast<double>(RowSum(r, k)) / n) * (static_cast<double>(ColumnSum(r, k)) / n);
  }
  if (expected >= 1.0) return std::nullopt;
  return (r.accuracy - expected) / (1.0 - expected);
}

}  // namespace

void CalibrationTally::Add(const LabelledVerdict& item) {
  CalibrationReport& c = counts_;
  ++c.items;
  ++c.confusion[Index(item.human)][Index(item.judge)];
  if (item.human == item.judge) ++c.correct;
  if (item.judge == ResponseClass::kUndetermined) {
    ++c.undetermined;
    return;
  }
  if (item.human_violation) {
    ++(item.judge_violation ? c.true_positives : c.false_negatives);
  } else {
    ++(item.judge_violation ? c.false_positives : c.true_negatives);
  }
}

CalibrationReport CalibrationTally::Finish() const {
  CalibrationReport r = counts_;
  r.accuracy = Ratio(r.correct, r.items);
  double f1_sum = 0;
  int used = 0;
  for (ResponseClass cls : kDecidedClasses) {
    r.classes.push_back(Score(r, cls));
    if (r.classes.back().support > 0) {
      f1_sum += r.classes.back().f1;
      ++used;
    }
  }
  r.macro_f1 = used > 0 ? f1_sum / used : 0.0;
  r.kappa = Kappa(r);
  r.sensitivity = Ratio(r.true_positives, r.true_positives + r.false_negatives);
  r.specificity = Ratio(r.true_negatives, r.true_negatives + r.false_positives);
  return r;
}

CalibrationReport ComputeCalibrationReport(const std::vector<LabelledVerdict>& items) {
  CalibrationTally tally;
  for (const LabelledVerdict& item : items) tally.Add(item);
  return tally.Finish();
}

}  // namespace safeval
