#include "model/rate_limiter.h"

#include <algorithm>

namespace safeval {
namespace {

constexpr int64_t kUnit = 60000;  // sub-units per request or token: rate per minute = per ms
// Bounds that keep every sum and product below 2^63.
constexpr int64_t kMaxPerMinute = int64_t{1} << 40;  // ~1.1e12 per minute
constexpr int64_t kMaxTokens = int64_t{1} << 42;     // per request; * kUnit < 2^58
constexpr int64_t kMinLevel = -(int64_t{1} << 61);   // deepest debt
constexpr int64_t kMaxUnits = kMaxTokens * kUnit;

int64_t ClampTokens(int64_t tokens) { return std::clamp<int64_t>(tokens, 0, kMaxTokens); }

}  // namespace

RateLimiter::Bucket::Bucket(int64_t per_minute)
    : rate_(std::clamp<int64_t>(per_minute, 1, kMaxPerMinute)),
      capacity_(std::max(kUnit, rate_ * 1000)),  // one second's worth, at least one unit
      level_(capacity_) {}

void RateLimiter::Bucket::Refill(int64_t now_ms) {
  if (!last_ms_) last_ms_ = now_ms;
  if (now_ms <= *last_ms_) return;
  int64_t elapsed = now_ms - *last_ms_;
  last_ms_ = now_ms;
  int64_t missing = capacity_ - level_;  // <= capacity - kMinLevel < 2^62
  // Compare before multiplying: elapsed * rate_ may overflow, missing / rate_ cannot.
  if (elapsed >= missing / rate_ + 1) {
    level_ = capacity_;
  } else {
    level_ = std::min(capacity_, level_ + elapsed * rate_);
  }
}

int64_t RateLimiter::Bucket::DelayMs(int64_t now_ms, int64_t units) {
  Refill(now_ms);
  int64_t need = std::min(units, capacity_);
  if (level_ >= need) return 0;
  return (need - level_ + rate_ - 1) / rate_;
}

void RateLimiter::Bucket::Take(int64_t now_ms, int64_t units) {
  Refill(now_ms);
  level_ = std::max(kMinLevel, level_ - std::min(units, kMaxUnits));
}

void RateLimiter::Bucket::Give(int64_t now_ms, int64_t units) {
  Refill(now_ms);
  level_ = std::min(capacity_, level_ + std::min(units, kMaxUnits));
}

RateLimiter::RateLimiter(std::optional<int> requests_per_minute,
                         std::optional<int64_t> tokens_per_minute) {
  if (requests_per_minute) requests_.emplace(*requests_per_minute);
  if (tokens_per_minute) tokens_.emplace(*tokens_per_minute);
}

int64_t RateLimiter::DelayMs(int64_t now_ms, int64_t estimated_tokens) {
  int64_t delay = 0;
  if (requests_) delay = requests_->DelayMs(now_ms, kUnit);
  if (tokens_) {
    // At least one token must be there, so a request of 0 tokens still waits out debt.
    int64_t units = std::max<int64_t>(ClampTokens(estimated_tokens), 1) * kUnit;
    delay = std::max(delay, tokens_->DelayMs(now_ms, units));
  }
  return delay;
}

void RateLimiter::OnStart(int64_t now_ms, int64_t estimated_tokens) {
  if (requests_) requests_->Take(now_ms, kUnit);
  if (tokens_) tokens_->Take(now_ms, ClampTokens(estimated_tokens) * kUnit);
}

void RateLimiter::OnUsage(int64_t now_ms, int64_t estimated_tokens, int64_t actual_tokens) {
  if (!tokens_) return;
  int64_t estimated = ClampTokens(estimated_tokens);
  int64_t actual = ClampTokens(actual_tokens);
  if (actual > estimated) tokens_->Take(now_ms, (actual - estimated) * kUnit);
  if (actual < estimated) tokens_->Give(now_ms, (estimated - actual) * kUnit);
}

int64_t EstimateTokens(const std::vector<Turn>& conversation) {
  int64_t bytes = 0;
  for (const Turn& turn : conversation) bytes += static_cast<int64_t>(turn.content.size());
  return std::max<int64_t>(1, (bytes + 3) / 4);
}

}  // namespace safeval
