#include "testing/pg_test_server.h"

#include <unistd.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <random>

namespace safeval::testing {
namespace {

std::string RandomSuffix() {
  static std::mt19937_64 rng(std::random_device{}() ^ static_cast<uint64_t>(::getpid()));
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string out;
  for (int i = 0; i < 12; ++i) out += kChars[rng() % (sizeof kChars - 1)];
  return out;
}

std::string RunSql(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection conn(url);
    pqxx::work tx(conn);
    tx.exec(sql);
    tx.commit();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

std::string PostgresTestServer() {
  const char* url = std::getenv("SAFEVAL_TEST_POSTGRES");
  return url ? url : "";
}

bool PostgresRequired() {
  const char* required = std::getenv("SAFEVAL_PG_REQUIRED");
  return required && std::string(required) == "1";
}

PgTestSchema::PgTestSchema() {
  const std::string server = PostgresTestServer();
  if (server.empty()) {
    error_ = "SAFEVAL_TEST_POSTGRES is not set";
    return;
  }
  name_ = "sv_test_" + RandomSuffix();
  error_ = RunSql(server, "CREATE SCHEMA " + name_);
  url_ = server + (server.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         name_;
}

PgTestSchema::~PgTestSchema() {
  if (!name_.empty()) RunSql(PostgresTestServer(), "DROP SCHEMA IF EXISTS " + name_ + " CASCADE");
}

std::string PgTestSchema::Exec(const std::string& sql) const { return RunSql(url_, sql); }

}  // namespace safeval::testing
