// Where the executor gets the items it runs: pulled one at a time, so a run of any size
// needs memory only for the items in flight and waiting to be committed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace safeval {

class ItemSource {
 public:
  virtual ~ItemSource() = default;
  // The next item to run, nullopt when there are no more, or the error that stopped it.
  virtual Result<std::optional<StoredItem>> Next() = 0;
};

// The items of a list, in order (tests, small plans).
class ListItemSource : public ItemSource {
 public:
  explicit ListItemSource(std::vector<StoredItem> items) : items_(std::move(items)) {}
  Result<std::optional<StoredItem>> Next() override;

 private:
  std::vector<StoredItem> items_;
  size_t next_ = 0;
};

// The pending items of a stored run by index, read in windows of `window` items.
class PendingItemSource : public ItemSource {
 public:
  PendingItemSource(Store& store, std::string run_id, int64_t window = 1024)
      : store_(store), run_id_(std::move(run_id)), window_(window) {}
  Result<std::optional<StoredItem>> Next() override;

 private:
  Store& store_;
  std::string run_id_;
  int64_t window_;
  int64_t after_ = -1;
  std::vector<StoredItem> buffer_;
  size_t next_ = 0;
  bool exhausted_ = false;
};

// The stored items with the given indexes (a campaign batch), in that order, read in windows.
class IndexedItemSource : public ItemSource {
 public:
  IndexedItemSource(Store& store, std::string run_id, std::vector<int64_t> indexes,
                    size_t window = 1024)
      : store_(store), run_id_(std::move(run_id)), indexes_(std::move(indexes)), window_(window) {}
  Result<std::optional<StoredItem>> Next() override;

 private:
  Store& store_;
  std::string run_id_;
  std::vector<int64_t> indexes_;
  size_t window_;
  size_t next_index_ = 0;  // into indexes_: the first not yet read
  std::vector<StoredItem> buffer_;
  size_t next_ = 0;
};

}  // namespace safeval
