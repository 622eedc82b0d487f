// The retry policy for HTTP model endpoints: which failed attempts are retried, how
// many times, and how long to wait before the next one.
//
// Everything here is a pure function of its arguments (no clock, no I/O), so the policy
// is tested directly; the request loop (curl_runner.h) applies it. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

#include "core/status.h"

namespace safeval {

struct RetryOptions {
  // Attempts per request, the first one included. 1 disables retries. Range 1..100.
  int max_attempts = 5;
  // Upper bound of the first retry's delay; the bound doubles with every further retry.
  int64_t base_backoff_ms = 500;
  // No delay exceeds this, whether computed or asked for by a Retry-After header.
  int64_t max_backoff_ms = 30000;
};

// InvalidArgument naming the field when an option is out of range.
Status ValidateRetryOptions(const RetryOptions& options);

// Why one attempt did not produce a usable reply.
enum class FailureKind {
  kRetryableHttp,   // HTTP 429 or 5xx: the server is overloaded or failing, try again
  kFatalHttp,       // any other non-2xx status (400, 401, 404, ...): retrying cannot help
  kTimeout,         // the attempt exceeded its total time budget
  kConnection,      // the connection broke (reset, closed early, send/receive error)
  kUnreachable,     // could not resolve the host or connect to it
  kMalformed,       // a 2xx reply whose body is not a usable chat reply
  kFatalTransport,  // anything else the transport reports (bad URL, TLS certificate, ...)
};

// kRetryableHttp for 429 and 500..599, kFatalHttp for every other status.
FailureKind ClassifyHttpStatus(int http_status);

// What a request has been through so far.
struct AttemptHistory {
  int attempts = 0;   // attempts made, including the one that just failed
  int malformed = 0;  // how many of them returned a malformed body
};

// True when a request whose latest attempt failed with `kind` should be tried again.
// Never beyond options.max_attempts. Fatal kinds are never retried. A malformed body
// is retried once (the second one fails the request): a server that sends garbage twice
// will keep doing so. While nothing has succeeded yet (`any_success` false) an
// unreachable endpoint gets at most 2 attempts, so a wrong URL fails fast.
bool ShouldRetry(FailureKind kind, const AttemptHistory& history, bool any_success,
                 const RetryOptions& options);

// The delay before retry number `retry_index` (0 for the first retry) in milliseconds.
// Without `retry_after_ms`: full jitter, uniform in [0, min(max, base * 2^retry_index)]
// drawn from `rng` (so a seeded rng gives reproducible delays). With it: exactly
// min(*retry_after_ms, max) -- the server knows best, but never beyond our budget.
int64_t BackoffDelayMs(const RetryOptions& options, int retry_index,
                       std::optional<int64_t> retry_after_ms, std::mt19937_64& rng);

// A Retry-After header value in the delay-seconds form ("5", " 120 ") as milliseconds.
// nullopt for anything else, including the HTTP-date form, which would need the wall
// clock; the caller then falls back to jittered backoff. Huge values saturate.
std::optional<int64_t> ParseRetryAfterMs(std::string_view value);

}  // namespace safeval
