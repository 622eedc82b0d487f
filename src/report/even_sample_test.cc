// Tests of EvenSample against the naive definition: the positions that are multiples of the
// smallest power-of-two stride that keeps at most `capacity` of them.
#include "report/even_sample.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace safeval {
namespace {

std::vector<uint64_t> Naive(uint64_t count, size_t capacity) {
  uint64_t stride = 1;
  while ((count + stride - 1) / stride > capacity) stride *= 2;
  std::vector<uint64_t> kept;
  for (uint64_t p = 0; p < count; p += stride) kept.push_back(p);
  return kept;
}

TEST(EvenSample, KeepsEverythingUpToCapacityThenDoublesTheStride) {
  EvenSample sample(4);
  std::vector<uint64_t> dropped;
  for (uint64_t id = 0; id < 4; ++id) EXPECT_TRUE(sample.Offer(id, &dropped));
  EXPECT_EQ(sample.kept(), (std::vector<uint64_t>{0, 1, 2, 3}));
  EXPECT_TRUE(dropped.empty());
  EXPECT_TRUE(sample.Offer(4, &dropped));  // five kept would be too many: stride 2
  EXPECT_EQ(sample.kept(), (std::vector<uint64_t>{0, 2, 4}));
  EXPECT_EQ(dropped, (std::vector<uint64_t>{1, 3}));
  EXPECT_FALSE(sample.WouldKeep());
  EXPECT_FALSE(sample.Offer(5, &dropped));
  EXPECT_TRUE(sample.WouldKeep());
  EXPECT_EQ(sample.count(), 6u);
}

TEST(EvenSample, MatchesTheNaiveDefinitionAndDropsEachIdOnce) {
  for (size_t capacity : std::vector<size_t>{1, 2, 3, 4, 7, 10, 100}) {
    EvenSample sample(capacity);
    std::vector<uint64_t> dropped;
    std::set<uint64_t> taken;
    for (uint64_t id = 0; id < 1000; ++id) {
      if (sample.Offer(id, &dropped)) taken.insert(id);
      ASSERT_EQ(sample.kept(), Naive(id + 1, capacity)) << "capacity " << capacity;
      ASSERT_LE(sample.kept().size(), capacity);
    }
    // Every id taken in is either still kept or was dropped exactly once.
    std::multiset<uint64_t> accounted(dropped.begin(), dropped.end());
    accounted.insert(sample.kept().begin(), sample.kept().end());
    EXPECT_EQ(accounted, std::multiset<uint64_t>(taken.begin(), taken.end()));
    if (capacity >= 2) {
      EXPECT_GE(sample.kept().size(), capacity / 2);
    }
  }
}

}  // namespace
}  // namespace safeval
