// RateLimiter: how fast one endpoint may be sent requests and tokens
// (EndpointLimits.requests_per_minute and tokens_per_minute).
//
// Both limits are token buckets refilled continuously, in integer arithmetic (so the
// schedule is exact on a fake time line):
// - requests: capacity max(1, rpm/60) requests, refilled at rpm per minute. After an idle
//   spell at most one second's worth starts at once; then starts are spread evenly, one
//   every 60000/rpm ms (600 rpm: 10 at once, then one every 100 ms). In any 60 s window
//   at most rpm + max(1, rpm/60) requests start.
// - tokens: capacity max(1, tpm/60) tokens, refilled at tpm per minute. A request is
//   charged its estimated tokens when it starts and may start once the bucket holds that
//   many -- or is full, for a request larger than the capacity. The charge may drive the
//   bucket into debt, which later requests wait out. When usage arrives the charge is
//   corrected to the actual count (more: further debt; fewer: tokens given back).
// An unset limit never delays anything.
//
// Pure: time comes in as arguments (monotonic milliseconds, never decreasing; a value
// earlier than one already seen counts as no time passing). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/prompt.h"

namespace safeval {

class RateLimiter {
 public:
  // Values < 1 are treated as 1; huge values are clamped (no overflow).
  RateLimiter(std::optional<int> requests_per_minute, std::optional<int64_t> tokens_per_minute);

  // False when neither limit is set (every call below is then a no-op returning 0).
  bool limited() const { return requests_.has_value() || tokens_.has_value(); }

  // Milliseconds from now_ms until a request estimated at `estimated_tokens` may start;
  // 0: it may start now. Asking does not reserve anything.
  int64_t DelayMs(int64_t now_ms, int64_t estimated_tokens);
  // A request (or a retry attempt: the server counts those too) starts now.
  void OnStart(int64_t now_ms, int64_t estimated_tokens);
  // A reply reported `actual_tokens` (prompt + completion) for a request charged
  // `estimated_tokens`: the difference is charged or given back.
  void OnUsage(int64_t now_ms, int64_t estimated_tokens, int64_t actual_tokens);

 private:
  // A token bucket counted in 1/60000ths of a unit, so a per-minute rate is a whole
  // number of those per millisecond.
  class Bucket {
   public:
    explicit Bucket(int64_t per_minute);
    int64_t DelayMs(int64_t now_ms, int64_t units);
    void Take(int64_t now_ms, int64_t units);
    void Give(int64_t now_ms, int64_t units);

   private:
    void Refill(int64_t now_ms);
    int64_t rate_;  // per ms
    int64_t capacity_;
    int64_t level_;  // may be negative (debt)
    std::optional<int64_t> last_ms_;
  };

  std::optional<Bucket> requests_;
  std::optional<Bucket> tokens_;
};

// The charge of a request before usage is known: UTF-8 bytes of the conversation / 4,
// rounded up, at least 1.
int64_t EstimateTokens(const std::vector<Turn>& conversation);

}  // namespace safeval
