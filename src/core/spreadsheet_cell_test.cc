// Tests of the spreadsheet formula guard for CSV cells.
#include "core/spreadsheet_cell.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

TEST(SpreadsheetCell, FormulaStartsAreGuarded) {
  EXPECT_EQ(GuardSpreadsheetCell("=1+1"), "'=1+1");
  EXPECT_EQ(GuardSpreadsheetCell("+1"), "'+1");
  EXPECT_EQ(GuardSpreadsheetCell("-2+3"), "'-2+3");
  EXPECT_EQ(GuardSpreadsheetCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(GuardSpreadsheetCell("\t=1"), "'\t=1");
  EXPECT_EQ(GuardSpreadsheetCell("\r=1"), "'\r=1");
  EXPECT_EQ(GuardSpreadsheetCell("=HYPERLINK(\"http://x/\",\"click\")"),
            "'=HYPERLINK(\"http://x/\",\"click\")");
}

TEST(SpreadsheetCell, OrdinaryCellsAreUnchanged) {
  EXPECT_EQ(GuardSpreadsheetCell(""), "");
  EXPECT_EQ(GuardSpreadsheetCell("I can't help with that."), "I can't help with that.");
  EXPECT_EQ(GuardSpreadsheetCell("a=b"), "a=b");  // only the first character counts
  EXPECT_EQ(GuardSpreadsheetCell(" =1"), " =1");
  EXPECT_EQ(GuardSpreadsheetCell("0.500"), "0.500");
}

TEST(SpreadsheetCell, LeadingQuoteIsGuardedSoTheGuardIsReversible) {
  EXPECT_EQ(GuardSpreadsheetCell("'=1"), "''=1");
  EXPECT_EQ(GuardSpreadsheetCell("'tis"), "''tis");
  for (std::string_view cell : {"", "'", "''", "'=1", "=1", "'tis", "plain", "-", "@", "'a'"}) {
    EXPECT_EQ(UnguardSpreadsheetCell(GuardSpreadsheetCell(cell)), cell) << cell;
  }
}

TEST(SpreadsheetCell, UnguardLeavesOtherCellsAlone) {
  EXPECT_EQ(UnguardSpreadsheetCell("'tis the season"), "'tis the season");
  EXPECT_EQ(UnguardSpreadsheetCell("'"), "'");
  EXPECT_EQ(UnguardSpreadsheetCell("=1"), "=1");
  EXPECT_EQ(UnguardSpreadsheetCell("'-5 degrees"), "-5 degrees");
}

}  // namespace
}  // namespace safeval
