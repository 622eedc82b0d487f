// Status and Result<T>: how errors cross module boundaries in safeval.
//
// A Status is either ok() or carries a code and a message written for the user
// (it names the file, line and field where that is known). Result<T> holds a
// value or a non-ok Status. Neither throws; exceptions from third-party
// libraries are caught at the edge that calls them and turned into a Status.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace safeval {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad user input: a file, a field, a flag
  kNotFound,
  kIoError,          // filesystem or database failure
  kUnavailable,      // a remote endpoint could not be reached or kept failing
  kInternal,
  kFailedPrecondition,  // the state changed under us (a distributed worker's lease was lost)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid argument: <message>"; "ok" when ok().
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context + ": "`.
  Status WithContext(const std::string& context) const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Result<T>: a T or a non-ok Status. REQUIRES: the Status passed in is not ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace safeval

// Returns early from the enclosing function when `expr` (a Status) is not ok.
#define SV_RETURN_IF_ERROR(expr)            \
  do {                                      \
    ::safeval::Status sv_status_ = (expr);  \
    if (!sv_status_.ok()) return sv_status_; \
  } while (0)

#define SV_CONCAT_INNER(a, b) a##b
#define SV_CONCAT(a, b) SV_CONCAT_INNER(a, b)
#define SV_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()

// `SV_ASSIGN_OR_RETURN(auto x, LoadX());` declares x or returns the error.
#define SV_ASSIGN_OR_RETURN(lhs, expr) \
  SV_ASSIGN_OR_RETURN_IMPL(SV_CONCAT(sv_result_, __LINE__), lhs, expr)
