// Tests of the rate limiter on a made-up time line: exact start schedules for requests
// per minute, token charges with corrections, both limits at once, extremes.
#include "model/rate_limiter.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <vector>

namespace safeval {
namespace {

// Starts `n` requests of `tokens` each as early as the limiter allows, from time 0, and
// returns their start times.
std::vector<int64_t> Schedule(RateLimiter& limiter, int n, int64_t tokens = 1) {
  std::vector<int64_t> starts;
  int64_t now = 0;
  while (static_cast<int>(starts.size()) < n) {
    int64_t delay = limiter.DelayMs(now, tokens);
    if (delay > 0) {
      now += delay;
      continue;
    }
    limiter.OnStart(now, tokens);
    starts.push_back(now);
  }
  return starts;
}

std::map<int64_t, int> PerSecond(const std::vector<int64_t>& starts) {
  std::map<int64_t, int> counts;
  for (int64_t t : starts) ++counts[t / 1000];
  return counts;
}

TEST(RateLimiter, SixHundredPerMinuteIsTenPerSecondSpreadEvenly) {
  RateLimiter limiter(600, std::nullopt);
  std::vector<int64_t> starts = Schedule(limiter, 49);
  // One second's worth at once, then one every 100 ms -- never a minute's worth at once.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(starts[i], 0) << i;
  for (int i = 10; i < 49; ++i) EXPECT_EQ(starts[i], (i - 9) * 100) << i;
  std::map<int64_t, int> per_second = PerSecond(starts);
  EXPECT_EQ(per_second[0], 19);  // the initial 10 plus 100, 200, ..., 900
  EXPECT_EQ(per_second[1], 10);
  EXPECT_EQ(per_second[2], 10);
  EXPECT_EQ(per_second[3], 10);
}

TEST(RateLimiter, AskingDoesNotReserve) {
  RateLimiter limiter(60, std::nullopt);  // capacity 1, one per second
  EXPECT_EQ(limiter.DelayMs(0, 1), 0);
  EXPECT_EQ(limiter.DelayMs(0, 1), 0);
  limiter.OnStart(0, 1);
  EXPECT_EQ(limiter.DelayMs(0, 1), 1000);
  EXPECT_EQ(limiter.DelayMs(400, 1), 600);
  EXPECT_EQ(limiter.DelayMs(1000, 1), 0);
}

TEST(RateLimiter, SlowRatesGetACapacityOfOne) {
  RateLimiter one(1, std::nullopt);
  EXPECT_EQ(Schedule(one, 3), (std::vector<int64_t>{0, 60000, 120000}));
  // 90 per minute: capacity 1.5 requests, one every 666.67 ms; delays round up.
  RateLimiter ninety(90, std::nullopt);
  std::vector<int64_t> starts = Schedule(ninety, 4);
  EXPECT_EQ(starts, (std::vector<int64_t>{0, 334, 1000, 1667}));
}

TEST(RateLimiter, IdleTimeRefillsOnlyToOneSecondsWorth) {
  RateLimiter limiter(600, std::nullopt);
  limiter.OnStart(0, 1);
  int64_t later = 3'600'000;  // an hour idle
  int started = 0;
  while (limiter.DelayMs(later, 1) == 0) {
    limiter.OnStart(later, 1);
    ++started;
  }
  EXPECT_EQ(started, 10);
  EXPECT_EQ(limiter.DelayMs(later, 1), 100);
}

TEST(RateLimiter, TokensAreChargedAndCorrected) {
  // 6000 per minute: capacity 100 tokens, one token back every 10 ms.
  RateLimiter limiter(std::nullopt, 6000);
  EXPECT_EQ(limiter.DelayMs(0, 60), 0);
  limiter.OnStart(0, 60);                  // 40 left
  EXPECT_EQ(limiter.DelayMs(0, 40), 0);    // exactly enough
  EXPECT_EQ(limiter.DelayMs(0, 60), 200);  // 20 missing
  limiter.OnUsage(0, 60, 100);             // it really used 100: 40 more, 0 left
  EXPECT_EQ(limiter.DelayMs(0, 60), 600);
  EXPECT_EQ(limiter.DelayMs(100, 60), 500);  // 10 tokens back by now
  limiter.OnUsage(100, 60, 30);              // another reply: 30 given back, 40 now
  EXPECT_EQ(limiter.DelayMs(100, 60), 200);
  limiter.OnUsage(100, 60, 60);  // exact estimates change nothing
  EXPECT_EQ(limiter.DelayMs(100, 60), 200);
}

TEST(RateLimiter, GivingBackNeverExceedsTheCapacity) {
  RateLimiter limiter(std::nullopt, 6000);
  limiter.OnStart(0, 10);
  limiter.OnUsage(0, 10, 0);
  limiter.OnUsage(0, 1000, 0);  // a bogus correction
  limiter.OnStart(0, 100);
  EXPECT_EQ(limiter.DelayMs(0, 1), 10);  // capacity was 100, not more
}

TEST(RateLimiter, ARequestLargerThanTheCapacityWaitsForAFullBucketThenGoesIntoDebt) {
  RateLimiter limiter(std::nullopt, 6000);  // capacity 100
  limiter.OnStart(0, 50);
  EXPECT_EQ(limiter.DelayMs(0, 500), 500);  // waits until full (50 missing), not for 500
  limiter.OnStart(500, 500);                // -400
  EXPECT_EQ(limiter.DelayMs(500, 10), 4100);
  std::vector<int64_t> starts;
  RateLimiter big(std::nullopt, 6000);
  starts = Schedule(big, 3, 300);
  // Full at 0; then 200 tokens of debt + 100 to refill take 3000 ms each time.
  EXPECT_EQ(starts, (std::vector<int64_t>{0, 3000, 6000}));
}

TEST(RateLimiter, TokenStartsAtTheRateInTheSteadyState) {
  RateLimiter limiter(std::nullopt, 60000);  // 1000 tokens/s, capacity 1000
  std::vector<int64_t> starts = Schedule(limiter, 30, 250);
  std::map<int64_t, int> per_second = PerSecond(starts);
  EXPECT_EQ(per_second[0], 4 + 3);  // the full bucket, then refills at 250, 500, 750
  EXPECT_EQ(per_second[1], 4);
  EXPECT_EQ(per_second[5], 4);
}

TEST(RateLimiter, DebtIsWaitedOutEvenByEmptyRequests) {
  RateLimiter limiter(std::nullopt, 6000);
  limiter.OnStart(0, 100);
  limiter.OnUsage(0, 100, 150);           // 50 tokens of debt
  EXPECT_EQ(limiter.DelayMs(0, 0), 510);  // back to one whole token
}

TEST(RateLimiter, BothLimitsTheLaterWins) {
  RateLimiter limiter(60, 6000);  // one request/s; 100 tokens/s
  limiter.OnStart(0, 100);
  EXPECT_EQ(limiter.DelayMs(0, 10), 1000);   // requests say 1000, tokens say 100
  EXPECT_EQ(limiter.DelayMs(0, 100), 1000);  // both 1000
  limiter.OnUsage(0, 100, 250);              // 150 tokens of debt
  EXPECT_EQ(limiter.DelayMs(0, 100), 2500);  // tokens now say 2500
  EXPECT_EQ(limiter.DelayMs(2500, 100), 0);
}

TEST(RateLimiter, UnsetLimitsNeverDelay) {
  RateLimiter limiter(std::nullopt, std::nullopt);
  EXPECT_FALSE(limiter.limited());
  for (int i = 0; i < 1000; ++i) limiter.OnStart(0, 1'000'000);
  EXPECT_EQ(limiter.DelayMs(0, 1'000'000), 0);
  EXPECT_TRUE(RateLimiter(1, std::nullopt).limited());
  EXPECT_TRUE(RateLimiter(std::nullopt, 1).limited());
}

TEST(RateLimiter, TimeGoingBackwardsRefillsNothing) {
  RateLimiter limiter(60, std::nullopt);
  limiter.OnStart(10'000, 1);
  EXPECT_EQ(limiter.DelayMs(5'000, 1), 1000);
  EXPECT_EQ(limiter.DelayMs(10'500, 1), 500);
}

TEST(RateLimiter, ExtremeValuesDoNotOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  RateLimiter huge(std::numeric_limits<int>::max(), kMax);
  for (int i = 0; i < 100; ++i) huge.OnStart(i, kMax);
  huge.OnUsage(100, 0, kMax);
  int64_t delay = huge.DelayMs(100, kMax);
  EXPECT_GT(delay, 0);
  EXPECT_EQ(huge.DelayMs(kMax / 2, kMax), 0);  // a long time later it is full again

  RateLimiter tiny(0, -5);  // treated as 1 per minute
  EXPECT_EQ(tiny.DelayMs(0, -3), 0);
  tiny.OnStart(0, -3);
  EXPECT_EQ(tiny.DelayMs(0, 1), 60000);
  tiny.OnUsage(0, -1, -1);
}

TEST(EstimateTokens, QuarterOfTheBytesRoundedUpAtLeastOne) {
  EXPECT_EQ(EstimateTokens({}), 1);
  EXPECT_EQ(EstimateTokens({{"user", ""}}), 1);
  EXPECT_EQ(EstimateTokens({{"user", "abcd"}}), 1);
  EXPECT_EQ(EstimateTokens({{"user", "abcde"}}), 2);
  EXPECT_EQ(EstimateTokens({{"user", "abcd"}, {"assistant", "efgh"}, {"user", "i"}}), 3);
  EXPECT_EQ(EstimateTokens({{"user", "Grüße"}}), 2);  // 7 bytes
}

}  // namespace
}  // namespace safeval
