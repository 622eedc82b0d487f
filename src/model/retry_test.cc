// Tests of the retry policy: which failures are retried, full-jitter bounds, Retry-After.
#include "model/retry.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace safeval {
namespace {

RetryOptions Options(int max_attempts, int64_t base, int64_t max) {
  RetryOptions options;
  options.max_attempts = max_attempts;
  options.base_backoff_ms = base;
  options.max_backoff_ms = max;
  return options;
}

TEST(Backoff, FullJitterStaysWithinTheDoublingCap) {
  RetryOptions options = Options(10, 100, 1000);
  std::mt19937_64 rng(7);
  const int64_t caps[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (int retry = 0; retry < 7; ++retry) {
    int64_t lowest = caps[retry], highest = 0;
    for (int i = 0; i < 2000; ++i) {
      int64_t delay = BackoffDelayMs(options, retry, std::nullopt, rng);
      ASSERT_GE(delay, 0);
      ASSERT_LE(delay, caps[retry]) << "retry " << retry;
      lowest = std::min(lowest, delay);
      highest = std::max(highest, delay);
    }
    // Full jitter spreads over the whole range, not just near the cap.
    EXPECT_LT(lowest, caps[retry] / 10) << "retry " << retry;
    EXPECT_GT(highest, caps[retry] * 9 / 10) << "retry " << retry;
  }
}

TEST(Backoff, HugeRetryIndexDoesNotOverflow) {
  RetryOptions options = Options(100, 500, 30000);
  std::mt19937_64 rng(1);
  for (int retry : {30, 62, 63, 64, 1000, 1 << 30}) {
    int64_t delay = BackoffDelayMs(options, retry, std::nullopt, rng);
    EXPECT_GE(delay, 0);
    EXPECT_LE(delay, 30000);
  }
}

TEST(Backoff, SameSeedSameDelays) {
  RetryOptions options;
  std::mt19937_64 a(42), b(42), c(43);
  std::vector<int64_t> da, db, dc;
  for (int retry = 0; retry < 20; ++retry) {
    da.push_back(BackoffDelayMs(options, retry % 5, std::nullopt, a));
    db.push_back(BackoffDelayMs(options, retry % 5, std::nullopt, b));
    dc.push_back(BackoffDelayMs(options, retry % 5, std::nullopt, c));
  }
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
}

TEST(Backoff, ZeroBaseMeansNoDelay) {
  std::mt19937_64 rng(3);
  EXPECT_EQ(BackoffDelayMs(Options(5, 0, 0), 3, std::nullopt, rng), 0);
}

TEST(Backoff, RetryAfterIsHonouredExactlyAndCappedAtMax) {
  RetryOptions options = Options(5, 5, 50);
  std::mt19937_64 rng(0);
  EXPECT_EQ(BackoffDelayMs(options, 0, 20, rng), 20);
  EXPECT_EQ(BackoffDelayMs(options, 4, 0, rng), 0);
  EXPECT_EQ(BackoffDelayMs(options, 0, 1000, rng), 50);
  EXPECT_EQ(BackoffDelayMs(Options(5, 500, 30000), 0, 120'000, rng), 30000);
}

TEST(RetryAfter, ParsesDelaySecondsOnly) {
  EXPECT_EQ(ParseRetryAfterMs("2"), 2000);
  EXPECT_EQ(ParseRetryAfterMs(" 120 "), 120'000);
  EXPECT_EQ(ParseRetryAfterMs("0"), 0);
  EXPECT_EQ(ParseRetryAfterMs(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("  "), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("1.5"), std::nullopt);
  EXPECT_EQ(ParseRetryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

TEST(RetryAfter, HugeValuesSaturateInsteadOfOverflowing) {
  std::optional<int64_t> ms = ParseRetryAfterMs("99999999999999999999999999999");
  ASSERT_TRUE(ms.has_value());
  EXPECT_GT(*ms, int64_t{1} << 40);
  std::mt19937_64 rng(0);
  EXPECT_EQ(BackoffDelayMs(Options(5, 5, 50), 0, ms, rng), 50);
}

TEST(ClassifyHttpStatus, RetriesOnlyRateLimitsAndServerErrors) {
  EXPECT_EQ(ClassifyHttpStatus(429), FailureKind::kRetryableHttp);
  EXPECT_EQ(ClassifyHttpStatus(500), FailureKind::kRetryableHttp);
  EXPECT_EQ(ClassifyHttpStatus(503), FailureKind::kRetryableHttp);
  EXPECT_EQ(ClassifyHttpStatus(599), FailureKind::kRetryableHttp);
  for (int status : {300, 400, 401, 403, 404, 408, 422, 600}) {
    EXPECT_EQ(ClassifyHttpStatus(status), FailureKind::kFatalHttp) << status;
  }
}

TEST(ShouldRetry, RetryableKindsUpToMaxAttempts) {
  RetryOptions options = Options(3, 5, 50);
  for (FailureKind kind :
       {FailureKind::kRetryableHttp, FailureKind::kTimeout, FailureKind::kConnection}) {
    EXPECT_TRUE(ShouldRetry(kind, {1, 0}, false, options));
    EXPECT_TRUE(ShouldRetry(kind, {2, 0}, true, options));
    EXPECT_FALSE(ShouldRetry(kind, {3, 0}, true, options));
  }
}

TEST(ShouldRetry, FatalKindsNeverRetry) {
  RetryOptions options = Options(5, 5, 50);
  EXPECT_FALSE(ShouldRetry(FailureKind::kFatalHttp, {1, 0}, true, options));
  EXPECT_FALSE(ShouldRetry(FailureKind::kFatalTransport, {1, 0}, true, options));
}

TEST(ShouldRetry, MalformedBodyIsRetriedOnce) {
  RetryOptions options = Options(5, 5, 50);
  EXPECT_TRUE(ShouldRetry(FailureKind::kMalformed, {1, 1}, true, options));
  EXPECT_FALSE(ShouldRetry(FailureKind::kMalformed, {2, 2}, true, options));
  // An earlier 500 does not use up the malformed retry.
  EXPECT_TRUE(ShouldRetry(FailureKind::kMalformed, {2, 1}, true, options));
  EXPECT_FALSE(ShouldRetry(FailureKind::kMalformed, {1, 1}, true, Options(1, 5, 50)));
}

TEST(ShouldRetry, UnreachableGetsTwoAttemptsUntilSomethingSucceeded) {
  RetryOptions options = Options(5, 5, 50);
  EXPECT_TRUE(ShouldRetry(FailureKind::kUnreachable, {1, 0}, false, options));
  EXPECT_FALSE(ShouldRetry(FailureKind::kUnreachable, {2, 0}, false, options));
  EXPECT_TRUE(ShouldRetry(FailureKind::kUnreachable, {2, 0}, true, options));
  EXPECT_TRUE(ShouldRetry(FailureKind::kUnreachable, {4, 0}, true, options));
  EXPECT_FALSE(ShouldRetry(FailureKind::kUnreachable, {5, 0}, true, options));
}

TEST(ValidateRetryOptions, NamesTheBadField) {
  EXPECT_TRUE(ValidateRetryOptions(RetryOptions{}).ok());
  Status zero = ValidateRetryOptions(Options(0, 5, 50));
  EXPECT_EQ(zero.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(zero.message().find("max_attempts"), std::string::npos);
  EXPECT_NE(ValidateRetryOptions(Options(3, -1, 50)).message().find("base_backoff_ms"),
            std::string::npos);
  EXPECT_NE(ValidateRetryOptions(Options(3, 100, 50)).message().find("max_backoff_ms"),
            std::string::npos);
}

}  // namespace
}  // namespace safeval
