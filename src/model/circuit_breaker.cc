#include "model/circuit_breaker.h"

#include <algorithm>
#include <utility>

namespace safeval {

std::string DescribePause(int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

CircuitBreaker::CircuitBreaker(const EndpointLimits& limits, std::string target)
    : limits_(limits), target_(std::move(target)) {
  limits_.circuit_pause_ms = std::max<int64_t>(limits_.circuit_pause_ms, 0);
}

bool CircuitBreaker::MayStart(int64_t now_ms) {
  switch (state_) {
    case State::kClosed:
      return true;
    case State::kOpen:
      if (now_ms < resume_at_ms_) return false;
      state_ = State::kHalfOpen;
      probe_in_flight_ = false;
      return true;
    case State::kHalfOpen:
      return !probe_in_flight_;
    case State::kGaveUp:
      return false;
  }
  return false;
}

bool CircuitBreaker::OnStart(int64_t /*now_ms*/) {
  if (state_ != State::kHalfOpen) return false;
  probe_in_flight_ = true;
  return true;
}

std::string CircuitBreaker::OnSuccess(int64_t /*now_ms*/) {
  State before = state_;
  failures_ = 0;
  pauses_ = 0;
  if (before == State::kClosed || before == State::kGaveUp) return "";
  state_ = State::kClosed;
  bool probe = before == State::kHalfOpen && probe_in_flight_;
  probe_in_flight_ = false;
  return "resumed " + target_ + ": " +
         (probe ? "the probe request succeeded" : "a request succeeded");
}

std::string CircuitBreaker::OnFailure(int64_t now_ms, std::string_view error, bool probe) {
  if (limits_.circuit_breaker_failures <= 0) return "";
  last_error_ = std::string(error);
  switch (state_) {
    case State::kClosed:
      if (++failures_ < limits_.circuit_breaker_failures) return "";
      return Pause(now_ms, failures_ == 1
                               ? "after 1 failure"
                               : "after " + std::to_string(failures_) + " consecutive failures");
    case State::kHalfOpen:
      if (!probe) return "";  // only the probe speaks for the endpoint now
      probe_in_flight_ = false;
      return Pause(now_ms, "after the probe request failed too");
    case State::kOpen:
    case State::kGaveUp:
      return "";  // in flight before the pause: the same outage
  }
  return "";
}

void CircuitBreaker::OnProbeInconclusive() { probe_in_flight_ = false; }

void CircuitBreaker::Restart() {
  probe_in_flight_ = false;
  if (state_ != State::kGaveUp) return;
  state_ = State::kClosed;
  failures_ = 0;
  pauses_ = 0;
}

std::string CircuitBreaker::Pause(int64_t now_ms, std::string why) {
  failures_ = 0;
  ++pauses_;
  std::string pause = DescribePause(limits_.circuit_pause_ms);
  if (limits_.circuit_max_pauses > 0 && pauses_ > limits_.circuit_max_pauses) {
    state_ = State::kGaveUp;
    int taken = pauses_ - 1;
    reason_ = "gave up on " + target_ + " after " + std::to_string(taken) +
              (taken == 1 ? " pause" : " pauses") + " of " + pause +
              " without a success (last: " + last_error_ + ")";
    return reason_;
  }
  state_ = State::kOpen;
  resume_at_ms_ = now_ms + limits_.circuit_pause_ms;
  std::string detail = "last: " + last_error_;
  if (pauses_ > 1) {
    std::string of =
        limits_.circuit_max_pauses > 0 ? " of " + std::to_string(limits_.circuit_max_pauses) : "";
    detail = "pause " + std::to_string(pauses_) + of + "; " + detail;
  }
  reason_ = "paused " + target_ + " for " + pause + " " + why + " (" + detail + ")";
  return reason_;
}

}  // namespace safeval
