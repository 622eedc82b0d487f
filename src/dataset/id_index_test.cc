// Tests of IdIndex against std::unordered_map on generated keys, including the keys a flat
// table gets wrong most easily: 0 (the empty-slot marker), keys equal in their low or high
// bits, and repeats across growth.
#include "dataset/id_index.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <vector>

namespace safeval {
namespace {

using Location = IdIndex::Location;

TEST(IdIndexTest, EmptyIndexFindsNothing) {
  IdIndex index;
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.capacity(), 0u);
  EXPECT_EQ(index.Find(0), std::nullopt);
  EXPECT_EQ(index.Find(42), std::nullopt);
}

TEST(IdIndexTest, SecondInsertReturnsFirstLocationAndKeepsIt) {
  IdIndex index;
  EXPECT_EQ(index.Insert(42, {3, 7}), std::nullopt);
  EXPECT_EQ(index.Insert(42, {5, 9}), (Location{3, 7}));
  EXPECT_EQ(index.Find(42), (Location{3, 7}));
  EXPECT_EQ(index.size(), 1u);
}

TEST(IdIndexTest, KeyZeroAndKeyOneAreDistinct) {
  IdIndex index;
  EXPECT_EQ(index.Find(0), std::nullopt);
  EXPECT_EQ(index.Insert(0, {1, 1}), std::nullopt);
  EXPECT_EQ(index.Find(1), std::nullopt);
  EXPECT_EQ(index.Insert(1, {2, 2}), std::nullopt);
  EXPECT_EQ(index.Insert(0, {9, 9}), (Location{1, 1}));
  EXPECT_EQ(index.Insert(1, {9, 9}), (Location{2, 2}));
  EXPECT_EQ(index.size(), 2u);
}

TEST(IdIndexTest, LocationKeepsFullFileAndLineRange) {
  IdIndex index;
  index.Insert(7, {UINT32_MAX, UINT32_MAX});
  EXPECT_EQ(index.Find(7), (Location{UINT32_MAX, UINT32_MAX}));
}

// Inserts every key (repeats included) into IdIndex and a reference map, checking each
// answer, then looks up every key and as many absent ones.
void CheckAgainstReference(const std::vector<uint64_t>& keys, const std::vector<uint64_t>& absent) {
  IdIndex index;
  std::unordered_map<uint64_t, Location> reference;
  for (size_t i = 0; i < keys.size(); ++i) {
    Location here{static_cast<uint32_t>(i % 5), static_cast<uint32_t>(i + 1)};
    auto [it, inserted] = reference.try_emplace(keys[i], here);
    std::optional<Location> got = index.Insert(keys[i], here);
    if (inserted) {
      ASSERT_EQ(got, std::nullopt) << "key " << keys[i] << " at " << i;
    } else {
      ASSERT_EQ(got, it->second) << "key " << keys[i] << " at " << i;
    }
    ASSERT_EQ(index.size(), reference.size());
    // Power-of-two capacity, never more than 80% full.
    ASSERT_EQ(index.capacity() & (index.capacity() - 1), 0u);
    ASSERT_LE(index.size() * 5, index.capacity() * 4 + 5);  // +5: key 0 takes no slot
  }
  for (const auto& [key, location] : reference) ASSERT_EQ(index.Find(key), location) << key;
  for (uint64_t key : absent) {
    if (reference.count(key) == 0) {
      ASSERT_EQ(index.Find(key), std::nullopt) << key;
    }
  }
}

TEST(IdIndexTest, MatchesReferenceOnRandomKeysWithRepeats) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> keys;
  for (int i = 0; i < 50000; ++i) {
    // About one key in eight repeats an earlier one; 0 is among them.
    if (i == 1000 || i == 30000) keys.push_back(0);
    if (!keys.empty() && rng() % 8 == 0) {
      keys.push_back(keys[rng() % keys.size()]);
    } else {
      keys.push_back(rng());
    }
  }
  std::vector<uint64_t> absent;
  for (int i = 0; i < 50000; ++i) absent.push_back(rng());
  CheckAgainstReference(keys, absent);
}

TEST(IdIndexTest, MatchesReferenceOnKeysSharingLowBits) {
  std::vector<uint64_t> keys, absent;
  for (uint64_t i = 0; i < 20000; ++i) keys.push_back((i + 1) << 32);  // low 32 bits all 0
  for (uint64_t i = 0; i < 20000; ++i) absent.push_back(((i + 20001) << 32) | 1);
  CheckAgainstReference(keys, absent);
}

TEST(IdIndexTest, MatchesReferenceOnKeysSharingHighBits) {
  std::vector<uint64_t> keys, absent;
  for (uint64_t i = 0; i < 20000; ++i) keys.push_back(i);      // 0 included
  for (uint64_t i = 0; i < 20000; ++i) keys.push_back(i * 3);  // half of these repeat
  for (uint64_t i = 20000; i < 80000; ++i) absent.push_back(i * 3 + 1);
  CheckAgainstReference(keys, absent);
}

TEST(IdIndexTest, GrowsByDoublingAndUsesSixteenBytesASlot) {
  IdIndex index;
  index.Insert(1, {});
  const size_t initial = index.capacity();
  ASSERT_GT(initial, 0u);
  std::vector<size_t> capacities{initial};
  for (uint64_t key = 2; key <= 100000; ++key) {
    index.Insert(key, {});
    if (index.capacity() != capacities.back()) capacities.push_back(index.capacity());
  }
  for (size_t i = 1; i < capacities.size(); ++i) EXPECT_EQ(capacities[i], 2 * capacities[i - 1]);
  // 100,000 keys fit in 131,072 slots at 76% load.
  EXPECT_EQ(index.capacity(), 131072u);
  EXPECT_EQ(index.memory_bytes(), 131072u * 16);
}

}  // namespace
}  // namespace safeval
