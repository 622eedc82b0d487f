// Time behind an interface, so retries, rate limits and timestamps are testable.
// Nothing below cli/ reads the wall clock directly.
#pragma once

#include <cstdint>
#include <string>

namespace safeval {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds on a monotonic scale (for durations and deadlines).
  virtual int64_t NowMs() = 0;
  // Wall-clock time as ISO 8601 UTC, e.g. "2026-11-28T03:10:00Z" (for records).
  virtual std::string NowIso8601() = 0;
  // Blocks for `ms` milliseconds (a fake advances its time instead).
  virtual void SleepMs(int64_t ms) = 0;
};

// The real clock. Thread-safe.
class SystemClock : public Clock {
 public:
  int64_t NowMs() override;
  std::string NowIso8601() override;
  void SleepMs(int64_t ms) override;
};

// A clock that moves only when told to. Not thread-safe.
class FakeClock : public Clock {
 public:
  int64_t NowMs() override { return now_ms_; }
  std::string NowIso8601() override;
  void SleepMs(int64_t ms) override { now_ms_ += ms; slept_ms_ += ms; }
  void Advance(int64_t ms) { now_ms_ += ms; }
  int64_t slept_ms() const { return slept_ms_; }

 private:
  int64_t now_ms_ = 1'000'000;
  int64_t slept_ms_ = 0;
};

}  // namespace safeval
