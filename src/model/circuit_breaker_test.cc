// Tests of the circuit breaker's state machine on a made-up time line.
#include "model/circuit_breaker.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

constexpr char kUrl[] = "http://127.0.0.1:9/v1/chat/completions";
constexpr char kLast[] = "HTTP 503 after 5 attempts: overloaded";

EndpointLimits Limits(int failures, int64_t pause_ms, int max_pauses) {
  EndpointLimits limits;
  limits.circuit_breaker_failures = failures;
  limits.circuit_pause_ms = pause_ms;
  limits.circuit_max_pauses = max_pauses;
  return limits;
}

// Fails `n` requests at `now`; returns the last notice.
std::string FailMany(CircuitBreaker& breaker, int n, int64_t now, const char* error = kLast) {
  std::string notice;
  for (int i = 0; i < n; ++i) notice = breaker.OnFailure(now, error, false);
  return notice;
}

TEST(CircuitBreaker, OpensAfterConsecutiveFailuresAndSaysWhy) {
  CircuitBreaker breaker(Limits(3, 30000, 5), kUrl);
  EXPECT_EQ(FailMany(breaker, 2, 0), "");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.MayStart(0));
  EXPECT_EQ(breaker.OnFailure(10, kLast, false),
            std::string("paused ") + kUrl +
                " for 30 s after 3 consecutive failures (last: HTTP 503 after 5 attempts: "
                "overloaded)");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(breaker.resume_at_ms(), 30010);
  EXPECT_EQ(breaker.reason().rfind("paused ", 0), 0u);
}

TEST(CircuitBreaker, ASuccessResetsTheCount) {
  CircuitBreaker breaker(Limits(3, 1000, 5), kUrl);
  FailMany(breaker, 2, 0);
  EXPECT_EQ(breaker.OnSuccess(0), "");  // closed: nothing to tell
  FailMany(breaker, 2, 0);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  FailMany(breaker, 1, 0);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
}

TEST(CircuitBreaker, OpenHoldsEverythingUntilThePauseEndsThenLetsOneProbeGo) {
  CircuitBreaker breaker(Limits(2, 30000, 5), kUrl);
  FailMany(breaker, 2, 1000);
  EXPECT_FALSE(breaker.MayStart(1000));
  EXPECT_FALSE(breaker.MayStart(30999));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_TRUE(breaker.MayStart(31000));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kHalfOpen);
  EXPECT_TRUE(breaker.OnStart(31000));    // the probe
  EXPECT_FALSE(breaker.MayStart(31000));  // only one
  EXPECT_FALSE(breaker.MayStart(99000));
}

TEST(CircuitBreaker, ProbeSuccessClosesAndForgets) {
  CircuitBreaker breaker(Limits(2, 500, 5), kUrl);
  FailMany(breaker, 2, 0);
  ASSERT_TRUE(breaker.MayStart(500));
  ASSERT_TRUE(breaker.OnStart(500));
  EXPECT_EQ(breaker.OnSuccess(600),
            std::string("resumed ") + kUrl + ": the probe request succeeded");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.MayStart(600));
  EXPECT_FALSE(breaker.OnStart(600));        // closed: no probe
  EXPECT_EQ(FailMany(breaker, 1, 700), "");  // counting starts over
  EXPECT_NE(FailMany(breaker, 1, 700), "");
  // ... and so do the pauses: this is pause 1 again, not 2.
  EXPECT_EQ(breaker.reason().find("pause 2"), std::string::npos) << breaker.reason();
}

TEST(CircuitBreaker, ProbeFailureReopensForTheSamePauseThenGivesUp) {
  CircuitBreaker breaker(Limits(2, 30000, 2), kUrl);
  FailMany(breaker, 2, 0);
  ASSERT_TRUE(breaker.MayStart(30000));
  ASSERT_TRUE(breaker.OnStart(30000));
  EXPECT_EQ(breaker.OnFailure(30100, "timeout after 200 ms (1 attempt)", true),
            std::string("paused ") + kUrl +
                " for 30 s after the probe request failed too (pause 2 of 2; last: timeout after "
                "200 ms (1 attempt))");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_EQ(breaker.resume_at_ms(), 60100);
  EXPECT_FALSE(breaker.MayStart(60099));
  ASSERT_TRUE(breaker.MayStart(60100));
  ASSERT_TRUE(breaker.OnStart(60100));
  std::string reason = breaker.OnFailure(60200, kLast, true);
  EXPECT_EQ(reason, std::string("gave up on ") + kUrl +
                        " after 2 pauses of 30 s without a success (last: " + kLast + ")");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kGaveUp);
  EXPECT_EQ(breaker.reason(), reason);
  EXPECT_FALSE(breaker.MayStart(1'000'000'000));
}

TEST(CircuitBreaker, OnePauseAllowedGivesUpOnTheFirstFailedProbe) {
  CircuitBreaker breaker(Limits(1, 2500, 1), kUrl);
  EXPECT_EQ(FailMany(breaker, 1, 0).rfind("paused " + std::string(kUrl) + " for 2500 ms", 0), 0u);
  ASSERT_TRUE(breaker.MayStart(2500));
  ASSERT_TRUE(breaker.OnStart(2500));
  EXPECT_NE(breaker.OnFailure(2600, kLast, true).find("after 1 pause of 2500 ms"),
            std::string::npos);
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kGaveUp);
}

TEST(CircuitBreaker, FailuresOfRequestsAlreadyInFlightChangeNothing) {
  CircuitBreaker breaker(Limits(2, 1000, 1), kUrl);
  FailMany(breaker, 2, 0);
  EXPECT_EQ(FailMany(breaker, 10, 100), "");  // open: same outage, no extension
  EXPECT_EQ(breaker.resume_at_ms(), 1000);
  ASSERT_TRUE(breaker.MayStart(1000));
  ASSERT_TRUE(breaker.OnStart(1000));
  EXPECT_EQ(breaker.OnFailure(1100, "late", false), "");  // half-open: only the probe counts
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kHalfOpen);
  EXPECT_NE(breaker.OnFailure(1200, "probe", true), "");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kGaveUp);
  EXPECT_NE(breaker.reason().find("(last: probe)"), std::string::npos);
}

TEST(CircuitBreaker, ASuccessInFlightWhileOpenCloses) {
  CircuitBreaker breaker(Limits(2, 30000, 5), kUrl);
  FailMany(breaker, 2, 0);
  EXPECT_EQ(breaker.OnSuccess(50), std::string("resumed ") + kUrl + ": a request succeeded");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.MayStart(50));
}

TEST(CircuitBreaker, AnInconclusiveProbeLetsAnotherOneGo) {
  CircuitBreaker breaker(Limits(2, 100, 5), kUrl);
  FailMany(breaker, 2, 0);
  ASSERT_TRUE(breaker.MayStart(100));
  ASSERT_TRUE(breaker.OnStart(100));
  EXPECT_FALSE(breaker.MayStart(100));
  breaker.OnProbeInconclusive();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kHalfOpen);
  EXPECT_TRUE(breaker.MayStart(100));
  EXPECT_TRUE(breaker.OnStart(100));
}

TEST(CircuitBreaker, ZeroFailuresDisablesIt) {
  CircuitBreaker breaker(Limits(0, 30000, 5), kUrl);
  EXPECT_EQ(FailMany(breaker, 1000, 0), "");
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.MayStart(0));
}

TEST(CircuitBreaker, ZeroMaxPausesNeverGivesUp) {
  CircuitBreaker breaker(Limits(1, 10, 0), kUrl);
  FailMany(breaker, 1, 0);
  int64_t now = 0;
  for (int pause = 2; pause <= 50; ++pause) {
    now += 10;
    ASSERT_TRUE(breaker.MayStart(now));
    ASSERT_TRUE(breaker.OnStart(now));
    std::string notice = breaker.OnFailure(now, "x", true);
    ASSERT_NE(notice.find("(pause " + std::to_string(pause) + "; last: x)"), std::string::npos)
        << notice;
  }
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
}

TEST(CircuitBreaker, RestartForgetsALostProbeAndAGiveUp) {
  CircuitBreaker breaker(Limits(1, 10, 1), kUrl);
  FailMany(breaker, 1, 0);
  ASSERT_TRUE(breaker.MayStart(10));
  ASSERT_TRUE(breaker.OnStart(10));  // the run is cancelled: the probe never reports back
  breaker.Restart();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kHalfOpen);
  EXPECT_TRUE(breaker.MayStart(10));
  ASSERT_TRUE(breaker.OnStart(10));
  breaker.OnFailure(20, "x", true);
  ASSERT_EQ(breaker.state(), CircuitBreaker::State::kGaveUp);
  breaker.Restart();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.MayStart(20));
  EXPECT_NE(FailMany(breaker, 1, 20, "x").find(" for 10 ms after 1 failure (last: x)"),
            std::string::npos);
}

TEST(DescribePause, WholeSecondsOrMilliseconds) {
  EXPECT_EQ(DescribePause(30000), "30 s");
  EXPECT_EQ(DescribePause(0), "0 s");
  EXPECT_EQ(DescribePause(1500), "1500 ms");
  EXPECT_EQ(DescribePause(250), "250 ms");
}

}  // namespace
}  // namespace safeval
