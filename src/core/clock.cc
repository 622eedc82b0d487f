#include "core/clock.h"

#include <chrono>
#include <ctime>
#include <thread>

namespace safeval {
namespace {

std::string FormatUtc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

int64_t SystemClock::NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string SystemClock::NowIso8601() {
  return FormatUtc(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()));
}

void SystemClock::SleepMs(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::string FakeClock::NowIso8601() { return FormatUtc(static_cast<std::time_t>(now_ms_ / 1000)); }

}  // namespace safeval
