// Tests of percentage formatting and threshold parsing.
#include "metrics/percent.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(RateText, OneDecimalTwoBelowATenthOfAPercent) {
  EXPECT_EQ(RateText(0.125), "12.5%");
  EXPECT_EQ(RateText(0.0), "0.0%");
  EXPECT_EQ(RateText(1.0), "100.0%");
  EXPECT_EQ(RateText(0.0004), "0.04%");
  EXPECT_EQ(RateText(0.008), "0.8%");
  EXPECT_EQ(RateText(-0.05), "-5.0%");
  EXPECT_EQ(RateIntervalText(0.081, 0.187), "[8.1–18.7]");
  EXPECT_EQ(RateIntervalText(0.0, 0.0042), "[0.0–0.4]");
  EXPECT_EQ(RateIntervalText(0.0, 0.0009), "[0.0–0.09]");
}

TEST(ThresholdText, AsGiven) {
  EXPECT_EQ(ThresholdText(0.005), "0.5%");
  EXPECT_EQ(ThresholdText(0.1), "10%");
  EXPECT_EQ(ThresholdText(0.0125), "1.25%");
}

TEST(ParsePercent, WithOrWithoutSign) {
  EXPECT_DOUBLE_EQ(*ParsePercent("0.5%", "x"), 0.005);
  EXPECT_DOUBLE_EQ(*ParsePercent("0.5", "x"), 0.005);
  EXPECT_DOUBLE_EQ(*ParsePercent("10%", "x"), 0.1);
  EXPECT_DOUBLE_EQ(*ParsePercent("0", "x"), 0.0);
  EXPECT_DOUBLE_EQ(*ParsePercent("100%", "x"), 1.0);
}

TEST(ParsePercent, RefusesWhatIsNotAPercentage) {
  for (const char* bad : {"", "%", "abc", "5%%", "-1", "101", "1e9", "nan", "0.5 %x"}) {
    Result<double> r = ParsePercent(bad, "--max-violation-rate");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("--max-violation-rate"), std::string::npos);
  }
}

}  // namespace
}  // namespace safeval
