// An evenly spread sample of a list whose length is not known in advance, in bounded memory:
// the elements at the positions that are multiples of a stride, which doubles (dropping every
// other kept element) whenever more than `capacity` would be kept. Once all elements are
// offered, kept() is every element when there were at most `capacity`, else between
// capacity / 2 and capacity of them, evenly spaced from the first element on. Deterministic.
// Internal to src/report/. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace safeval {

class EvenSample {
 public:
  // REQUIRES: capacity >= 1.
  explicit EvenSample(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // True when the next element offered will be kept (at least until the stride doubles).
  bool WouldKeep() const { return count_ % stride_ == 0; }

  // Offers the list's next element, `id`. Returns true when it was taken in; the ids no longer
  // kept (perhaps `id` itself, when taking it in doubled the stride) are appended to `dropped`.
  bool Offer(uint64_t id, std::vector<uint64_t>* dropped);

  uint64_t count() const { return count_; }                    // elements offered
  const std::vector<uint64_t>& kept() const { return kept_; }  // in the order offered

 private:
  size_t capacity_;
  uint64_t count_ = 0;
  uint64_t stride_ = 1;
  std::vector<uint64_t> kept_;
};

}  // namespace safeval
