// Limits a user puts on one endpoint: how fast safeval may send (requests and
// tokens per minute) and when to stop hammering an endpoint that keeps failing
// (the circuit breaker). Shared by every adapter; enforced by the request loop.
#pragma once

#include <cstdint>
#include <optional>

namespace safeval {

struct EndpointLimits {
  // Requests started per rolling minute; unset: no limit. >= 1.
  std::optional<int> requests_per_minute;
  // Prompt + completion tokens per rolling minute; unset: no limit. >= 1. Before a
  // reply reports usage the request is charged an estimate (UTF-8 bytes / 4 of the
  // conversation); the charge is corrected when usage arrives.
  std::optional<int64_t> tokens_per_minute;
  // After this many consecutive failed requests (final failures, after retries) the
  // target is paused for `circuit_pause_ms`, then probed with one request; 0: never.
  int circuit_breaker_failures = 10;
  int64_t circuit_pause_ms = 30000;
  // Pauses in a row without a success after which the run gives up with Unavailable
  // (the run is resumable). 0: never give up.
  int circuit_max_pauses = 5;
};

}  // namespace safeval
