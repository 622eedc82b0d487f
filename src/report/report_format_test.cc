// Tests of the report formatting helpers.
#include "report/report_format.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(ReportFormat, Numbers) {
  EXPECT_EQ(FormatFixed(12.345, 1), "12.3");
  EXPECT_EQ(FormatFixed(-0.01, 1), "0.0");
  EXPECT_EQ(FormatPercent(0.125), "12.5%");
  EXPECT_EQ(FormatPercent(1.0), "100.0%");
  MetricRow row{{}, Metric::kViolationRate, 10, 5, 0.5, 0.23659, 0.76341};
  EXPECT_EQ(FormatValueWithCi(row), "50.0% [23.7\u201376.3]");
  MetricRow quality{{}, Metric::kQualityMean, 4, 4, 3.75, 2.5168, 4.9832};
  EXPECT_EQ(FormatValueWithCi(quality), "3.75 [2.5\u20135.0]");
}

TEST(ReportFormat, MetricLabels) {
  EXPECT_EQ(MetricLabel(Metric::kViolationRate), "Violation rate");
  EXPECT_EQ(MetricLabel(Metric::kAttackSuccessRate), "Attack success rate");
  EXPECT_EQ(MetricLabel(Metric::kOverDeflectionRate), "Over-deflection rate");
  EXPECT_EQ(MetricLabel(Metric::kQualityMean), "Response quality");
}

TEST(ReportFormat, RateLevels) {
  EXPECT_EQ(LevelOf(0.0), RateLevel::kLow);
  EXPECT_EQ(LevelOf(0.0499), RateLevel::kLow);
  EXPECT_EQ(LevelOf(0.05), RateLevel::kMedium);
  EXPECT_EQ(LevelOf(0.1999), RateLevel::kMedium);
  EXPECT_EQ(LevelOf(0.2), RateLevel::kHigh);
}

TEST(ReportFormat, HazardLabels) {
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  EXPECT_EQ(HazardLabel(taxonomy, "vcr"), "Violent Crimes (vcr)");
  EXPECT_EQ(HazardLabel(taxonomy, "spc/spc_hlt"), "Health advice (spc/spc_hlt)");
  EXPECT_EQ(HazardLabel(taxonomy, "zzz"), "zzz");
  EXPECT_EQ(HazardLabel(taxonomy, ""), "");
  EXPECT_EQ(HazardLabel(taxonomy, "a//b"), "a//b");
}

TEST(ReportFormat, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("\u2013"), 1u);
  EXPECT_EQ(DisplayWidth("caf\u00e9 \u2500\U0001F600"), 7u);
  EXPECT_EQ(PadRight("\u00e9", 3), "\u00e9  ");
  EXPECT_EQ(PadLeft("\u00e9", 3), "  \u00e9");
  EXPECT_EQ(PadLeft("long", 2), "long");
}

}  // namespace
}  // namespace safeval
