// Tests of the JSON nesting pre-check.
#include "core/json_depth.h"

#include <gtest/gtest.h>

#include <string>

namespace safeval {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonDepth, CountsArraysAndObjects) {
  EXPECT_FALSE(JsonNestedDeeperThan("", 0));
  EXPECT_FALSE(JsonNestedDeeperThan("1", 0));
  EXPECT_TRUE(JsonNestedDeeperThan("[]", 0));
  EXPECT_FALSE(JsonNestedDeeperThan(R"({"a": [1, {"b": []}]})", 4));
  EXPECT_TRUE(JsonNestedDeeperThan(R"({"a": [1, {"b": []}]})", 3));
  EXPECT_FALSE(JsonNestedDeeperThan("[[]][[]][[]]", 2));  // siblings do not add up
}

TEST(JsonDepth, BracketsInStringsDoNotCount) {
  EXPECT_FALSE(JsonNestedDeeperThan(R"({"text": "[[[[{{{{"})", 1));
  EXPECT_FALSE(JsonNestedDeeperThan(R"(["a\"[[[[", "\\"])", 1));  // escaped quote, then '\\'
  EXPECT_TRUE(JsonNestedDeeperThan(R"(["\\", [[]]])", 2));        // the string ends at the quote
}

TEST(JsonDepth, DefaultLimitRejectsHostileNestingOnly) {
  EXPECT_FALSE(JsonNestedDeeperThan(Nested(kMaxJsonDepth)));
  EXPECT_TRUE(JsonNestedDeeperThan(Nested(kMaxJsonDepth + 1)));
  EXPECT_TRUE(JsonNestedDeeperThan(Nested(1000000)));         // what fuzz/importers found
  EXPECT_TRUE(JsonNestedDeeperThan(std::string(1000, '{')));  // unbalanced: still too deep
}

}  // namespace
}  // namespace safeval
