#include "run/item_source.h"

#include <algorithm>

namespace safeval {

Result<std::optional<StoredItem>> ListItemSource::Next() {
  if (next_ == items_.size()) return std::optional<StoredItem>();
  return std::optional<StoredItem>(std::move(items_[next_++]));
}

Result<std::optional<StoredItem>> PendingItemSource::Next() {
  if (next_ == buffer_.size()) {
    if (exhausted_) return std::optional<StoredItem>();
    SV_ASSIGN_OR_RETURN(buffer_, store_.PendingItemsAfter(run_id_, after_, window_));
    next_ = 0;
    if (static_cast<int64_t>(buffer_.size()) < window_) exhausted_ = true;
    if (buffer_.empty()) return std::optional<StoredItem>();
    after_ = buffer_.back().index;
  }
  return std::optional<StoredItem>(std::move(buffer_[next_++]));
}

Result<std::optional<StoredItem>> IndexedItemSource::Next() {
  while (next_ == buffer_.size()) {
    if (next_index_ == indexes_.size()) return std::optional<StoredItem>();
    size_t end = std::min(indexes_.size(), next_index_ + window_);
    std::vector<int64_t> wanted(indexes_.begin() + static_cast<std::ptrdiff_t>(next_index_),
                                indexes_.begin() + static_cast<std::ptrdiff_t>(end));
    next_index_ = end;
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> found, store_.ItemsAt(run_id_, wanted));
    // ItemsAt returns them by index; keep the batch's own order.
    buffer_.clear();
    next_ = 0;
    for (int64_t index : wanted) {
      auto it = std::lower_bound(found.begin(), found.end(), index,
                                 [](const StoredItem& s, int64_t i) { return s.index < i; });
      if (it != found.end() && it->index == index) buffer_.push_back(std::move(*it));
    }
  }
  return std::optional<StoredItem>(std::move(buffer_[next_++]));
}

}  // namespace safeval
