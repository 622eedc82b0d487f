// One PostgreSQL connection of the store (libpqxx 6.4), private to src/store/, and the helpers
// its users share: exceptions caught at the call into libpqxx and turned into Status values,
// parameters built as text, bytea columns encoded and decoded.
//
// Errors: every libpqxx exception becomes IoError "store '<label>': <reason>" (the label never
// holds a password, see open_store.h's StoreLabel); a lost connection says so.
// Not thread-safe: one connection, used by one thread, with one transaction open at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace safeval::store_internal {

class PgConnection {
 public:
  // Connects to `url` (a libpq URL). Unavailable "cannot connect to store <label>: <reason>"
  // when it cannot; the reason never holds the password.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& url);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  pqxx::connection& conn() { return *conn_; }
  const std::string& label() const { return label_; }

  // IoError "store '<label>': <message>".
  Status Error(std::string_view message) const;

 private:
  PgConnection(std::unique_ptr<pqxx::connection> conn, std::string label)
      : conn_(std::move(conn)), label_(std::move(label)) {}

  std::unique_ptr<pqxx::connection> conn_;
  std::string label_;
};

// The first line of a libpqxx exception's text (libpq's messages name host and port, never the
// password; Connect also removes it in case).
std::string PgReason(const std::exception& e);

// Runs `body` (which may throw libpqxx exceptions) and turns any exception into IoError
// "store '<label>': <reason>". `body` returns Status or Result<T>.
template <typename F>
auto PgCall(const PgConnection& db, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const pqxx::broken_connection& e) {
    return db.Error("the connection was lost: " + PgReason(e));
  } catch (const std::exception& e) {
    return db.Error(PgReason(e));
  }
}

// Statement parameters, all passed as text (NULL as nullopt): PostgreSQL casts them to the
// column types. Use with pqxx::prepare::make_dynamic_params.
class PgParams {
 public:
  PgParams& Text(std::string_view s) {
    values_.emplace_back(std::string(s));
    return *this;
  }
  PgParams& Int(int64_t i) {
    values_.emplace_back(std::to_string(i));
    return *this;
  }
  PgParams& Bool(bool b) {
    values_.emplace_back(b ? "t" : "f");
    return *this;
  }
  PgParams& Double(double d);
  PgParams& OptionalInt(std::optional<int> i) {
    if (i) return Int(*i);
    values_.emplace_back(std::nullopt);
    return *this;
  }
  PgParams& OptionalBool(std::optional<bool> b) {
    if (b) return Bool(*b);
    values_.emplace_back(std::nullopt);
    return *this;
  }
  // Any bytes (a NUL too), for a bytea column: PostgreSQL's hex input form "\x…".
  PgParams& Bytes(std::string_view s);

  size_t size() const { return values_.size(); }
  const std::vector<std::optional<std::string>>& values() const { return values_; }
  auto dynamic() const { return pqxx::prepare::make_dynamic_params(values_); }

 private:
  std::vector<std::optional<std::string>> values_;
};

// Executes `sql` with `params` ($1, $2, … in order).
inline pqxx::result PgExec(pqxx::transaction_base& tx, const std::string& sql,
                           const PgParams& params) {
  return tx.exec_params(sql, params.dynamic());
}

// Rows of parameters turned into one array parameter per column, for a statement that unnests
// them (`INSERT INTO t (a, b) SELECT * FROM unnest($1::bigint[], $2::text[])`): a batch of any
// size is one statement with a fixed text and a fixed number of parameters, which PostgreSQL
// parses and plans in constant time (a multi-row VALUES list of N rows is parsed, bound and
// planned with N × columns parameters).
class PgColumns {
 public:
  explicit PgColumns(size_t columns) : arrays_(columns, "{") {}

  // Appends one row. REQUIRES: `row` holds exactly `columns` values, in column order.
  void AddRow(const PgParams& row);
  size_t rows() const { return rows_; }
  // Adds each column's array ("{"a","b\\"c",NULL}") to `params`, in column order.
  void AppendTo(PgParams& params) const;

 private:
  std::vector<std::string> arrays_;  // each "{" and its elements so far, without the closing "}"
  size_t rows_ = 0;
};

// A text[] parameter's text form ('{"a","b\\"c"}'): every element quoted, `"` and `\` escaped,
// so any text (commas, braces, NULL spelled out) is one element. Cast it: $1::text[].
std::string PgTextArray(const std::vector<std::string>& values);

// A bytea field's bytes.
std::string PgBytes(const pqxx::field& field);
// A text field's value, "" for NULL.
inline std::string PgText(const pqxx::field& field) {
  return field.is_null() ? std::string() : field.as<std::string>();
}
inline int64_t PgInt(const pqxx::field& field) { return field.is_null() ? 0 : field.as<int64_t>(); }
inline bool PgBool(const pqxx::field& field) { return !field.is_null() && field.as<bool>(); }
inline std::optional<int> PgOptionalInt(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<int>();
}

}  // namespace safeval::store_internal
