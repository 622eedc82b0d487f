// Judge calibrations: saved, found by judge, replaced, kept across reopening.
#include <gtest/gtest.h>

#include "store/store.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

JudgeCalibration Calibration(int64_t tp) {
  JudgeCalibration c;
  c.judge = "rules@1";
  c.labels_hash = "abc";
  c.created_at = "2026-11-28T03:00:00Z";
  c.true_positives = tp;
  c.false_positives = 2;
  c.true_negatives = 90;
  c.false_negatives = 10;
  c.details_json = R"({"kappa":0.8})";
  return c;
}

TEST(SqliteStoreCalibrations, SavedFoundReplacedAndPersisted) {
  testing::TempDir dir;
  {
    auto store = OpenSqliteStore(dir.File("s.db"));
    ASSERT_TRUE(store.ok());
    EXPECT_FALSE((*store)->FindCalibration("rules@1")->has_value());
    ASSERT_TRUE((*store)->SaveCalibration(Calibration(40)).ok());
    ASSERT_TRUE((*store)->SaveCalibration(Calibration(30)).ok());  // replaces
  }
  auto store = OpenSqliteStore(dir.File("s.db"));
  ASSERT_TRUE(store.ok());
  auto found = (*store)->FindCalibration("rules@1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  const JudgeCalibration& c = **found;
  EXPECT_EQ(c.true_positives, 30);
  EXPECT_EQ(c.details_json, R"({"kappa":0.8})");
  EXPECT_DOUBLE_EQ(c.sensitivity(), 30.0 / 40.0);
  EXPECT_DOUBLE_EQ(c.specificity(), 90.0 / 92.0);
  EXPECT_FALSE((*store)->FindCalibration("rules@2")->has_value());
}

}  // namespace
}  // namespace safeval
