// CircuitBreaker: stops sending to an endpoint that keeps failing, tells the user why,
// and gives up when pausing does not help (EndpointLimits.circuit_*).
//
//   closed    -- requests flow. `circuit_breaker_failures` failures in a row -> open.
//   open      -- nothing new starts until `circuit_pause_ms` has passed (requests already
//                in flight finish; their failures change nothing) -> half-open.
//   half-open -- one probe attempt may start. Its success -> closed; its failure -> open
//                again for the same pause; an inconclusive result lets another probe go.
//   gave up   -- after `circuit_max_pauses` pauses without a success in between, the
//                failure that would open it once more gives up instead (so the endpoint
//                gets that many pauses, each followed by a probe). 0: never gives up.
// A success seen in any state (a request that was in flight, or the probe) closes it and
// forgets the failures and pauses counted so far. circuit_breaker_failures == 0 disables
// the breaker: it never opens.
//
// What counts as a failure is the caller's choice (curl_runner.cc counts final request
// failures that say the endpoint is unwell, not single attempts). Messages name the target
// and the last failure, e.g.
//   "paused http://h/v1/chat/completions for 30 s after 10 consecutive failures (last: HTTP
//    503 after 5 attempts: ...)"
//
// Pure: time comes in as arguments (monotonic milliseconds). Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/endpoint_limits.h"

namespace safeval {

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen, kGaveUp };

  // `target` names the endpoint in messages (a URL without secrets).
  CircuitBreaker(const EndpointLimits& limits, std::string target);

  // Whether an attempt may start now. An open breaker whose pause is over becomes
  // half-open here, and then allows one attempt (the probe) until it reports back.
  bool MayStart(int64_t now_ms);
  // An attempt starts (REQUIRES: MayStart(now_ms) just returned true). Returns true when
  // it is the half-open probe, whose result must be reported with `probe` set.
  bool OnStart(int64_t now_ms);

  // The results the caller counts. Each returns a notice for the user ("paused ...",
  // "resumed ...", or on giving up the reason -- also kept in reason()), or "" when
  // there is nothing to tell.
  std::string OnSuccess(int64_t now_ms);
  std::string OnFailure(int64_t now_ms, std::string_view error, bool probe);
  // The probe ended without telling whether the endpoint is well (e.g. a 400 that only
  // concerns its request): another probe may start.
  void OnProbeInconclusive();

  // A new run begins: a probe of an earlier run that never reported back is forgotten,
  // and a breaker that gave up starts afresh (closed, nothing counted).
  void Restart();

  State state() const { return state_; }
  // When an open breaker lets the probe go. Meaningful in kOpen only.
  int64_t resume_at_ms() const { return resume_at_ms_; }
  // Why it gave up (kGaveUp), otherwise why it last paused; "" before any pause.
  const std::string& reason() const { return reason_; }

 private:
  std::string Pause(int64_t now_ms, std::string why);

  EndpointLimits limits_;
  std::string target_;
  State state_ = State::kClosed;
  int failures_ = 0;  // consecutive, while closed
  int pauses_ = 0;    // taken since the last success
  bool probe_in_flight_ = false;
  int64_t resume_at_ms_ = 0;
  std::string last_error_;
  std::string reason_;
};

// "30 s" for whole seconds, else "1500 ms".
std::string DescribePause(int64_t ms);

}  // namespace safeval
