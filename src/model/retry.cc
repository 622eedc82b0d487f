#include "model/retry.h"

#include <algorithm>
#include <string>

namespace safeval {
namespace {

constexpr int kMaxAttemptsLimit = 100;
constexpr int kMalformedAttempts = 2;    // a malformed body is retried once
constexpr int kUnreachableAttempts = 2;  // before any success: fail fast on a wrong URL

// base * 2^exponent, saturating at `cap` (and never overflowing on the way there).
int64_t ExponentialCap(int64_t base, int exponent, int64_t cap) {
  int64_t value = base;
  for (int i = 0; i < exponent && value < cap; ++i) {
    value = value > cap / 2 ? cap : value * 2;
  }
  return std::min(value, cap);
}

}  // namespace

Status ValidateRetryOptions(const RetryOptions& options) {
  if (options.max_attempts < 1 || options.max_attempts > kMaxAttemptsLimit) {
    return Status::InvalidArgument("retry.max_attempts must be in 1..100, got " +
                                   std::to_string(options.max_attempts));
  }
  if (options.base_backoff_ms < 0) {
    return Status::InvalidArgument("retry.base_backoff_ms must be >= 0, got " +
                                   std::to_string(options.base_backoff_ms));
  }
  if (options.max_backoff_ms < options.base_backoff_ms) {
    return Status::InvalidArgument("retry.max_backoff_ms must be >= base_backoff_ms, got " +
                                   std::to_string(options.max_backoff_ms));
  }
  return Status::Ok();
}

FailureKind ClassifyHttpStatus(int http_status) {
  if (http_status == 429 || (http_status >= 500 && http_status <= 599)) {
    return FailureKind::kRetryableHttp;
  }
  return FailureKind::kFatalHttp;
}

bool ShouldRetry(FailureKind kind, const AttemptHistory& history, bool any_success,
                 const RetryOptions& options) {
  if (history.attempts >= options.max_attempts) return false;
  switch (kind) {
    case FailureKind::kRetryableHttp:
    case FailureKind::kTimeout:
    case FailureKind::kConnection:
      return true;
    case FailureKind::kUnreachable:
      return any_success || history.attempts < kUnreachableAttempts;
    case FailureKind::kMalformed:
      return history.malformed < kMalformedAttempts;
    case FailureKind::kFatalHttp:
    case FailureKind::kFatalTransport:
      return false;
  }
  return false;
}

int64_t BackoffDelayMs(const RetryOptions& options, int retry_index,
                       std::optional<int64_t> retry_after_ms, std::mt19937_64& rng) {
  if (retry_after_ms) return std::clamp<int64_t>(*retry_after_ms, 0, options.max_backoff_ms);
  int64_t cap =
      ExponentialCap(options.base_backoff_ms, std::max(retry_index, 0), options.max_backoff_ms);
  if (cap <= 0) return 0;
  return std::uniform_int_distribution<int64_t>(0, cap)(rng);
}

std::optional<int64_t> ParseRetryAfterMs(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;  // ~35,000 years: "forever", overflow-free
  int64_t seconds = 0;
  for (char c : value) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = std::min(kMaxSeconds, seconds * 10 + (c - '0'));
  }
  return seconds * 1000;
}

}  // namespace safeval
