// IdIndex: linear probing over a power-of-two table, grown by doubling at 80% load.
#include "dataset/id_index.h"

namespace safeval {
namespace {

constexpr size_t kInitialCapacity = 1024;

}  // namespace

// Fibonacci hashing: the top bits of key * 2^64/phi. The keys are xxHash3 digests already,
// but this keeps the table sound for keys that differ only in their high bits.
size_t IdIndex::SlotOf(uint64_t key) const {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_);
}

std::optional<IdIndex::Location> IdIndex::Insert(uint64_t key, Location location) {
  if (key == 0) {
    if (zero_) return zero_;
    zero_ = location;
    ++size_;
    return std::nullopt;
  }
  // Grow before the insert that would pass 80% (counting key 0, which takes no slot, keeps
  // this simple and errs on the roomy side).
  if ((size_ + 1) * 5 > capacity() * 4) Grow();
  const size_t mask = capacity() - 1;
  for (size_t i = SlotOf(key);; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == key) return slot.location;
    if (slot.key == 0) {
      slot = {key, location};
      ++size_;
      return std::nullopt;
    }
  }
}

std::optional<IdIndex::Location> IdIndex::Find(uint64_t key) const {
  if (key == 0) return zero_;
  if (slots_.empty()) return std::nullopt;
  const size_t mask = capacity() - 1;
  for (size_t i = SlotOf(key);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.key == key) return slot.location;
    if (slot.key == 0) return std::nullopt;
  }
}

void IdIndex::Grow() {
  std::vector<Slot> old;
  old.swap(slots_);
  const size_t capacity = old.empty() ? kInitialCapacity : old.size() * 2;
  slots_.assign(capacity, Slot{});
  shift_ = 64;
  for (size_t c = capacity; c > 1; c >>= 1) --shift_;
  const size_t mask = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.key == 0) continue;
    size_t i = SlotOf(slot.key);
    while (slots_[i].key != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace safeval
