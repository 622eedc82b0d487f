#include "server/live_report_data.h"

#include <optional>
#include <utility>

#include "server/stored_report.h"

namespace safeval {

LiveReportData::LiveReportData(size_t max_waiting) : max_waiting_(max_waiting) {}

void LiveReportData::GiveUp() {
  usable_ = false;
  waiting_.clear();
}

void LiveReportData::Add(const StoredItem& item, const ItemResult& result) {
  if (!usable_) return;
  if (item.index < next_index_ || waiting_.count(item.index) > 0) {
    GiveUp();  // a second result for an item: the store holds the last, which decides
    return;
  }
  if (item.index != next_index_) {
    if (waiting_.size() >= max_waiting_) {
      GiveUp();
      return;
    }
    waiting_.emplace(item.index, ToReportItem(item, result));
    return;
  }
  builder_.Add(ToReportItem(item, result));
  ++next_index_;
  while (!waiting_.empty() && waiting_.begin()->first == next_index_) {
    builder_.Add(std::move(waiting_.begin()->second));
    waiting_.erase(waiting_.begin());
    ++next_index_;
  }
}

Result<ReportData> LiveReportData::Finish(Store& store, const RunRecord& run,
                                          const std::string& policy_name,
                                          const std::string& safeval_version) && {
  bool covered = usable_ && waiting_.empty() && next_index_ > 0;
  if (covered) {
    // Items 0..next_index_-1 came from the run; the run's indexes are contiguous, so it has no
    // other item when it has none at next_index_.
    SV_ASSIGN_OR_RETURN(std::optional<StoredItem> beyond, store.GetItem(run.id, next_index_));
    covered = !beyond.has_value();
  }
  if (!covered) return LoadReportData(store, run, {}, policy_name, safeval_version);
  return FinishReportData(std::move(builder_), store, run, {}, policy_name, safeval_version);
}

}  // namespace safeval
