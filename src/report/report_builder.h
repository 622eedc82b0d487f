// ReportDataBuilder: ReportData's item-derived parts — totals, metric rows, disparity, the digest
// (counts over every item and the samples the renderers list) and the top failures — from a
// stream of items, in one pass and bounded memory. Only the items some renderer shows are
// held: per notable kind (violations, over-deflections, undetermined, errors) an EvenSample of
// 2 × kMaxNotablePerKind, per hazard an EvenSample of 2 × kDrillDownRows failures, and the
// best-agreed failures of each hazard — so a 100,000-item run holds a few thousand items at
// most, and the same for a million.
//
// Deterministic: the same items in the same order give the same ReportData. For a run whose
// lists fit their capacities (up to 400 items of a notable kind, 100 failures of a hazard)
// every renderer's output is the same as over all the items.
//
// Not thread-safe; one builder per report.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "metrics/grade.h"
#include "metrics/metrics.h"
#include "report/report.h"
#include "report/report_data.h"

namespace safeval {

struct ReportBuilderOptions {
  MetricsOptions metrics = ReportMetricsOptions();  // what ReportData::metrics holds
  // Keep every item in ReportData::items (tests; RenderItemsCsv of a whole small run), not only
  // the items shown. The samples are the same either way.
  bool keep_every_item = false;
};

class ReportDataBuilder {
 public:
  explicit ReportDataBuilder(const ReportBuilderOptions& options = {});
  ~ReportDataBuilder();
  ReportDataBuilder(const ReportDataBuilder&) = delete;
  ReportDataBuilder& operator=(const ReportDataBuilder&) = delete;

  // The run's next item, in plan order (a pending item counts in Totals::pending only).
  void Add(ReportItem item);

  // Items held so far: bounded by the capacities above (every item with keep_every_item).
  size_t held() const;

  // Per hazard, the decided harmful and adversarial items and their violations: what grading
  // needs of the run (metrics/grade.h).
  HazardUnsafeCounts UnsafeCounts() const;

  // Sets data's totals, metrics, disparity, digest, items and top_failures; leaves the rest
  // alone.
  // Call once, after the last Add.
  void Finish(ReportData* data) &&;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Every item through a ReportDataBuilder (moved out of `items`) into `data`.
void BuildReportItems(std::vector<ReportItem> items, const ReportBuilderOptions& options,
                      ReportData* data);

}  // namespace safeval
