// Tests of the row mapping's cache key hash (results.cache_hash, schema version 6): values that
// are stored must never change, and a prefix's range must hold every key that starts with it.
#include "store/store_rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace safeval::store_internal {
namespace {

TEST(CacheKeyHash, IsPinnedBecauseStoresKeepIt) {
  // Stores written by earlier builds hold these values: a change would make their cached
  // responses unreachable. (xxHash3 of the first 8 bytes in the high half, of the key in the low.)
  EXPECT_EQ(CacheKeyHash(""), 0);
  EXPECT_EQ(CacheKeyHash("k"), static_cast<int64_t>(0x4fda881d4fda881dULL));
  EXPECT_EQ(CacheKeyHash("5f1e0c2a9b3d7e64-0123456789abcdef"),
            static_cast<int64_t>(0x49421b313a2245edULL));
}

TEST(CacheKeyHash, KeysStartingWithAPrefixLieInItsRange) {
  const std::string ns = "5f1e0c2a9b3d7e64-";
  std::vector<std::string> keys = {ns + "0123456789abcdef", ns + "ffffffffffffffff", ns, ns + "x",
                                   "5f1e0c2a-other"};
  for (const std::string& prefix : {ns, std::string("5f1e0c2a"), ns + "0123"}) {
    auto [first, last] = CacheHashRange(prefix);
    EXPECT_LE(first, last);
    for (const std::string& key : keys) {
      if (key.rfind(prefix, 0) != 0) continue;
      EXPECT_GE(CacheKeyHash(key), first) << prefix << " " << key;
      EXPECT_LE(CacheKeyHash(key), last) << prefix << " " << key;
    }
  }
  // Another namespace lies elsewhere; two keys of one namespace differ.
  auto [first, last] = CacheHashRange(ns);
  int64_t other = CacheKeyHash("0a1b2c3d4e5f6071-0123456789abcdef");
  EXPECT_TRUE(other < first || other > last);
  EXPECT_NE(CacheKeyHash(keys[0]), CacheKeyHash(keys[1]));
}

}  // namespace
}  // namespace safeval::store_internal
