// PostgreSQL for tests: the server named by SAFEVAL_TEST_POSTGRES (a libpq URL, e.g. from
// scripts/pg-throwaway.sh), and a fresh schema per test so tests can run in parallel.
// Without the variable PostgreSQL tests skip, unless SAFEVAL_PG_REQUIRED=1 (CI), when they fail:
//
//   TEST(Foo, Bar) {
//     SV_REQUIRE_POSTGRES();
//     safeval::testing::PgTestSchema schema;
//     ASSERT_TRUE(schema.ok()) << schema.error();
//     auto store = OpenStore(schema.url());
//   }
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace safeval::testing {

// $SAFEVAL_TEST_POSTGRES, or "" when unset.
std::string PostgresTestServer();
// True when SAFEVAL_PG_REQUIRED=1.
bool PostgresRequired();

// Creates schema sv_test_<random> on the test server; drops it (and everything in it) on
// destruction.
class PgTestSchema {
 public:
  PgTestSchema();
  ~PgTestSchema();
  PgTestSchema(const PgTestSchema&) = delete;
  PgTestSchema& operator=(const PgTestSchema&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::string& name() const { return name_; }
  // The server URL with options=-csearch_path%3D<name>: a store opened with it lives in the schema.
  const std::string& url() const { return url_; }
  // Runs SQL statements on the server in the schema; "" on success, the error otherwise.
  std::string Exec(const std::string& sql) const;

 private:
  std::string name_;
  std::string url_;
  std::string error_;
};

}  // namespace safeval::testing

// Skips the test (or fails it when SAFEVAL_PG_REQUIRED=1) without a test server.
#define SV_REQUIRE_POSTGRES()                                                             \
  do {                                                                                    \
    if (::safeval::testing::PostgresTestServer().empty()) {                               \
      if (::safeval::testing::PostgresRequired()) {                                       \
        FAIL() << "SAFEVAL_PG_REQUIRED=1 but SAFEVAL_TEST_POSTGRES is not set";           \
      }                                                                                   \
      GTEST_SKIP() << "SAFEVAL_TEST_POSTGRES is not set (scripts/pg-throwaway.sh start)"; \
    }                                                                                     \
  } while (0)
