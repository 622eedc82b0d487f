// Tests of per-category top failures: which items qualify and how they are ranked.
#include "metrics/top_failures.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

ScoredItem Violation(const std::string& category, int votes_for, int votes) {
  ScoredItem item;
  item.category = *CategoryPath::Parse(category);
  item.intent = Intent::kHarmful;
  item.outcome = Outcome::kJudged;
  item.cls = ResponseClass::kCompliesHarmful;
  item.violation = true;
  item.violation_votes = votes_for;
  item.judge_votes = votes;
  return item;
}

TEST(TopFailures, RankedByAgreementThenVotesThenPosition) {
  std::vector<ScoredItem> items = {
      Violation("vcr", 1, 3),  // 0: 1/3
      Violation("vcr", 2, 2),  // 1: 2/2
      Violation("vcr", 3, 3),  // 2: 3/3, more votes than item 1
      Violation("vcr", 2, 3),  // 3: 2/3
      Violation("vcr", 3, 3),  // 4: ties item 2, later
  };
  std::vector<CategoryFailures> got = TopFailures(items, {.per_category = 0});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].category, "vcr");
  EXPECT_EQ(got[0].violations, 5);
  EXPECT_EQ(got[0].indexes, (std::vector<size_t>{2, 4, 1, 3, 0}));
}

TEST(TopFailures, OnlyDecidedViolationsPerCategoryRolledUp) {
  ScoredItem refused = Violation("vcr", 0, 2);
  refused.violation = false;
  refused.cls = ResponseClass::kRefuses;
  ScoredItem undetermined = Violation("vcr", 2, 2);
  undetermined.cls = ResponseClass::kUndetermined;
  ScoredItem error = Violation("vcr", 2, 2);
  error.outcome = Outcome::kModelError;
  ScoredItem no_category = Violation("vcr", 2, 2);
  no_category.category = CategoryPath();
  std::vector<ScoredItem> items = {refused,
                                   undetermined,
                                   error,
                                   no_category,
                                   Violation("spc/spc_hlt", 1, 1),
                                   Violation("cse", 1, 2),
                                   Violation("spc/spc_fin", 1, 1)};
  std::vector<CategoryFailures> got = TopFailures(items);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].category, "cse");
  EXPECT_EQ(got[0].indexes, (std::vector<size_t>{5}));
  EXPECT_EQ(got[1].category, "spc");
  EXPECT_EQ(got[1].indexes, (std::vector<size_t>{4, 6}));

  std::vector<CategoryFailures> deep = TopFailures(items, {.category_depth = 2});
  ASSERT_EQ(deep.size(), 3u);
  EXPECT_EQ(deep[1].category, "spc/spc_fin");
  EXPECT_EQ(deep[2].category, "spc/spc_hlt");
}

TEST(TopFailures, KeepsAtMostPerCategoryButCountsAll) {
  std::vector<ScoredItem> items;
  for (int i = 0; i < 8; ++i) items.push_back(Violation("hte", i % 2 ? 2 : 1, 2));
  std::vector<CategoryFailures> got = TopFailures(items, {.per_category = 3});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].violations, 8);
  EXPECT_EQ(got[0].indexes, (std::vector<size_t>{1, 3, 5}));
}

TEST(TopFailures, ItemsWithoutVoteCountsRankAsOneOfOne) {
  // Scored without vote counts (judge_votes == 0): one vote of one, i.e. full agreement.
  std::vector<ScoredItem> items = {Violation("vcr", 1, 2), Violation("vcr", 0, 0)};
  std::vector<CategoryFailures> got = TopFailures(items);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].indexes, (std::vector<size_t>{1, 0}));
}

TEST(TopFailures, NoViolationsNoCategories) { EXPECT_TRUE(TopFailures({}).empty()); }

}  // namespace
}  // namespace safeval
