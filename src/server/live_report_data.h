// LiveReportData: a run's report data built while the run executes, from the results this
// process commits, so a finished run's report does not read every item back from the store.
//
// Results arrive in the order the model answers; the report's builder (ReportDataBuilder) wants
// plan order. A result ahead of its turn waits until the items before it arrive, at most
// `max_waiting` of them at once (the executor's look-ahead and the requests in flight keep the
// gaps to a few thousand in an `all` campaign).
//
// Finish gives exactly what LoadReportData gives (no references) when the results added were
// those of the run's items 0..n-1, each once, and the run has no item n. Anything else — a
// resumed run whose earlier results this process never saw, items skipped by a stop rule, a
// plan that jumped further ahead than `max_waiting`, an item added twice — makes Finish fall
// back to LoadReportData's scan of the store, so the report is right either way and only its
// cost differs.
//
// Memory: the builder's bounded samples plus the waiting items. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "report/report_builder.h"
#include "report/report_data.h"
#include "store/store.h"

namespace safeval {

class LiveReportData {
 public:
  static constexpr size_t kDefaultMaxWaiting = 16384;

  explicit LiveReportData(size_t max_waiting = kDefaultMaxWaiting);

  // The committed result of `item` (its prompt as the store holds it).
  void Add(const StoredItem& item, const ItemResult& result);

  // Whether the results added so far can still make the whole report (Finish will not scan if
  // the run turns out to have no further items).
  bool usable() const { return usable_; }

  // The report data of `run` as LoadReportData(store, run, {}, policy_name, safeval_version)
  // gives it: from the results added when they covered the run, else from a scan of the store.
  // Errors: IoError from the store.
  Result<ReportData> Finish(Store& store, const RunRecord& run, const std::string& policy_name,
                            const std::string& safeval_version) &&;

 private:
  void GiveUp();

  size_t max_waiting_;
  ReportDataBuilder builder_;
  int64_t next_index_ = 0;                 // the item the builder takes next
  std::map<int64_t, ReportItem> waiting_;  // results ahead of their turn, by index
  bool usable_ = true;
};

}  // namespace safeval
