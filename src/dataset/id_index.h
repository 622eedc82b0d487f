// IdIndex: the id-uniqueness index of DatasetStream. A set of 64-bit id hashes, each with
// where it was first seen (file index, line), in one flat open-addressing table: 16 bytes a
// slot, at most 80% full, so 20 to 40 bytes per id (std::unordered_map took about 64).
//
// Keys are hashes, not ids: two ids whose 64-bit hashes are equal count as the same id (as
// they did before this table; at 10 million ids the chance of any such pair is about 3e-6).
// Every 64-bit value is a valid key, 0 included. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace safeval {

class IdIndex {
 public:
  // Where an id was first seen: an index into the caller's list of files and a line number.
  struct Location {
    uint32_t file = 0;
    uint32_t line = 0;
    bool operator==(const Location&) const = default;
  };

  IdIndex() = default;
  IdIndex(const IdIndex&) = delete;
  IdIndex& operator=(const IdIndex&) = delete;

  // Records `location` for `key` when the key is new and returns nullopt; otherwise leaves
  // the index as it is and returns the location recorded first. May grow the table (doubling
  // its slots: for a moment the old and the new table are both held).
  std::optional<Location> Insert(uint64_t key, Location location);
  // The location recorded for `key`, or nullopt.
  std::optional<Location> Find(uint64_t key) const;

  size_t size() const { return size_; }              // keys recorded
  size_t capacity() const { return slots_.size(); }  // slots: 0 or a power of two
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  // key 0 marks an empty slot; the real key 0 lives in zero_ instead.
  struct Slot {
    uint64_t key = 0;
    Location location;
  };
  static_assert(sizeof(Slot) == 16);

  size_t SlotOf(uint64_t key) const;  // first slot to probe; REQUIRES: capacity() > 0
  void Grow();

  std::vector<Slot> slots_;
  int shift_ = 64;  // 64 - log2(capacity()), for Fibonacci hashing
  size_t size_ = 0;
  std::optional<Location> zero_;  // the location of key 0, when recorded
};

}  // namespace safeval
