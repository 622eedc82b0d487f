// Tests of the breakdown key syntax: what parses, what it means, what is refused.
#include "metrics/breakdown.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(ParseBreakdownKey, EverySimpleKey) {
  for (const char* name : {"hazard", "intent", "persona", "technique", "locale", "tag"}) {
    Result<BreakdownKey> key = ParseBreakdownKey(name);
    ASSERT_TRUE(key.ok()) << name;
    EXPECT_EQ(KeyName(*key), name);
  }
  EXPECT_EQ(ParseBreakdownKey("persona")->dimension, Dimension::kPersona);
}

TEST(ParseBreakdownKey, CategoryLevel) {
  Result<BreakdownKey> key = ParseBreakdownKey("category:2");
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->dimension, Dimension::kCategory);
  EXPECT_EQ(key->depth, 2u);
  EXPECT_EQ(KeyName(*key), "category:2");
  for (const char* bad : {"category:", "category:0", "category:x", "category:2x", "category:-1",
                          "category:65", "category"}) {
    EXPECT_FALSE(ParseBreakdownKey(bad).ok()) << bad;
  }
}

TEST(ParseBreakdownKey, UnknownKeyListsValidOnes) {
  Result<BreakdownKey> key = ParseBreakdownKey("colour");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find("'colour'"), std::string::npos);
  EXPECT_NE(key.status().message().find("category:N"), std::string::npos);
}

TEST(ParseBreakdowns, ListsAndCrosses) {
  Result<std::vector<Breakdown>> got = ParseBreakdowns(" persona, category:2 + intent,tag");
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0], (Breakdown{{Dimension::kPersona, 1}}));
  EXPECT_EQ((*got)[1], (Breakdown{{Dimension::kCategory, 2}, {Dimension::kIntent, 1}}));
  EXPECT_EQ((*got)[2], (Breakdown{{Dimension::kTag, 1}}));
  EXPECT_TRUE(ParseBreakdowns("")->empty());
  EXPECT_TRUE(ParseBreakdowns("  ")->empty());
}

TEST(ParseBreakdowns, RefusesEmptyRepeatedAndTooManyKeys) {
  EXPECT_FALSE(ParseBreakdowns("persona,,tag").ok());
  EXPECT_FALSE(ParseBreakdowns("persona+").ok());
  Result<std::vector<Breakdown>> repeated = ParseBreakdowns("intent+intent");
  ASSERT_FALSE(repeated.ok());
  EXPECT_NE(repeated.status().message().find("repeats"), std::string::npos);
  // category:1 and category:2 are different keys and may be crossed.
  EXPECT_TRUE(ParseBreakdowns("category:1+category:2").ok());
  EXPECT_TRUE(ParseBreakdowns("hazard+intent+persona+locale").ok());
  Result<std::vector<Breakdown>> five = ParseBreakdowns("hazard+intent+persona+locale+tag");
  ASSERT_FALSE(five.ok());
  EXPECT_NE(five.status().message().find("at most 4"), std::string::npos);
}

}  // namespace
}  // namespace safeval
