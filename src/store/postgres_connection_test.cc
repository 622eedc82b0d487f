// PgColumns: rows of parameters as one array per column (the PostgreSQL store's batch writes).
// The text form is checked without a server; the round trip through unnest() against a live one
// (SAFEVAL_TEST_POSTGRES; skipped without it).
#include "store/postgres_connection.h"

#include <gtest/gtest.h>

#include "store/postgres_rows.h"
#include "testing/pg_test_server.h"

namespace safeval::store_internal {
namespace {

TEST(PgColumns, QuotesEveryElementAndSpellsNullBare) {
  PgColumns columns(3);
  PgParams first;
  first.Int(7).Text("a \"b\", {c}").OptionalInt(std::nullopt);
  columns.AddRow(first);
  PgParams second;
  second.Int(-1).Text("back\\slash").OptionalInt(4);
  columns.AddRow(second);
  PgParams third;
  third.Int(0).Text("NULL").OptionalInt(std::nullopt);
  columns.AddRow(third);
  PgParams params;
  params.Text("run");
  columns.AppendTo(params);
  ASSERT_EQ(params.size(), 4u);
  EXPECT_EQ(columns.rows(), 3u);
  EXPECT_EQ(*params.values()[1], R"({"7","-1","0"})");
  EXPECT_EQ(*params.values()[2], R"({"a \"b\", {c}","back\\slash","NULL"})");
  EXPECT_EQ(*params.values()[3], R"({NULL,"4",NULL})");
}

TEST(PgColumns, NoRowsAreEmptyArrays) {
  PgColumns columns(2);
  PgParams params;
  columns.AppendTo(params);
  EXPECT_EQ(columns.rows(), 0u);
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(*params.values()[0], "{}");
}

TEST(PgUnnest, CastsEachParameterToAnArrayOfItsType) {
  EXPECT_EQ(PgUnnest("bigint, double precision, bytea", 2),
            "unnest($2::bigint[], $3::double precision[], $4::bytea[])");
}

TEST(PgColumns, RoundTripsThroughUnnest) {
  SV_REQUIRE_POSTGRES();
  const std::string texts[] = {"NULL", "", "\"q\", {b}", "back\\slash \\\\", " \t\n ", "é ✓"};
  const std::string bytes[] = {std::string("nul \0 and \xff", 11), "", "\\x41", "NULL"};
  PgColumns columns(5);
  for (int i = 0; i < 12; ++i) {
    PgParams row;
    row.Int(i)
        .Text(texts[i % 6])
        .Bytes(bytes[i % 4])
        .OptionalBool(i % 3 ? std::optional<bool>(i % 2 == 0) : std::nullopt);
    row.Double(i / 3.0);
    columns.AddRow(row);
  }
  PgParams params;
  columns.AppendTo(params);
  pqxx::connection conn(testing::PostgresTestServer());
  pqxx::work tx(conn);
  pqxx::result rows = PgExec(
      tx, "SELECT * FROM " + PgUnnest("bigint, text, bytea, boolean, double precision", 1), params);
  ASSERT_EQ(rows.size(), 12u);
  for (int i = 0; i < 12; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(rows[i][0].as<int64_t>(), i);
    EXPECT_EQ(rows[i][1].as<std::string>(), texts[i % 6]);
    EXPECT_EQ(PgBytes(rows[i][2]), bytes[i % 4]);
    EXPECT_EQ(rows[i][3].is_null(), i % 3 == 0);
    if (i % 3) {
      EXPECT_EQ(rows[i][3].as<bool>(), i % 2 == 0);
    }
    EXPECT_DOUBLE_EQ(rows[i][4].as<double>(), i / 3.0);
  }
}

}  // namespace
}  // namespace safeval::store_internal
