// Tests of the item kinds, sampling and counts every renderer shares.
#include "report/item_kind.h"

#include <gtest/gtest.h>

#include "report/report_test_fixture.h"

namespace safeval {
namespace {

TEST(ItemKind, ClassifiesEveryFixtureItem) {
  std::vector<ReportItem> items = testing::FixtureItems();
  std::string kinds;
  for (const ReportItem& item : items) kinds += "VOUEo"[static_cast<int>(KindOf(item))];
  // vcr-h0..7, vcr-a0..4, ssh-s0..5, spc-h0..3, vcr-err, ssh-u0, ncr-p0..1
  EXPECT_EQ(kinds, "VoooooooVVoooOOOoooooooEUoo");
}

TEST(ItemKind, SafePromptAnsweredHarmfullyIsAViolation) {
  ReportItem item =
      testing::FixtureItem("s", "vcr", Intent::kSafe, ResponseClass::kCompliesHarmful, true);
  EXPECT_EQ(KindOf(item), ItemKind::kViolation);
  EXPECT_TRUE(IsHarmfulResponse(item));
  item.verdicts[0].cls = ResponseClass::kRefuses;
  EXPECT_EQ(KindOf(item), ItemKind::kOverDeflection);
  EXPECT_FALSE(IsHarmfulResponse(item));
}

TEST(ItemKind, SamplePositionsSpreadEvenly) {
  EXPECT_EQ(SamplePositions(3, 5), (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(SamplePositions(10, 5), (std::vector<size_t>{0, 2, 4, 6, 8}));
  EXPECT_EQ(SamplePositions(7, 3), (std::vector<size_t>{0, 2, 4}));
  EXPECT_TRUE(SamplePositions(0, 5).empty());
  EXPECT_TRUE(SamplePositions(5, 0).empty());
  std::vector<size_t> big = SamplePositions(100000, 50);
  ASSERT_EQ(big.size(), 50u);
  EXPECT_EQ(big.back(), 98000u);
  for (size_t i = 1; i < big.size(); ++i) EXPECT_LT(big[i - 1], big[i]);
}

TEST(ItemKind, ThousandsSeparators) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(1000), "1,000");
  EXPECT_EQ(WithThousands(3210), "3,210");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
  EXPECT_EQ(WithThousands(-1234), "-1,234");
}

TEST(ItemKind, HazardIsTheTopLevelId) {
  EXPECT_EQ(HazardOf(MakePrompt("a", "t", *CategoryPath::Parse("spc/spc_hlt"), Intent::kSafe)),
            "spc");
  EXPECT_EQ(HazardOf(MakePrompt("a", "t", CategoryPath(), Intent::kSafe)), "");
}

}  // namespace
}  // namespace safeval
