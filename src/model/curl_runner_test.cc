// Tests of CurlRunner's rate limiting and circuit breaker against the loopback mock, on a
// FakeClock: the runner sleeps on the clock whenever nothing is in flight, and the fake
// time stands still while a transfer is, so every start time is exact -- a reply arrives
// at the fake time its attempt started.
#include "model/curl_runner.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "testing/mock_openai_server.h"

namespace safeval {
namespace {

using nlohmann::json;
using testing::MockOpenAiServer;
using testing::MockReply;

constexpr int64_t kT0 = 1'000'000;  // FakeClock's start

std::string Encode(const ModelRequest& request) {
  json messages = json::array();
  for (const Turn& turn : request.conversation) {
    messages.push_back({{"role", turn.role}, {"content", turn.content}});
  }
  return json{{"model", "m"}, {"messages", messages}}.dump();
}

Result<DecodedReply> Decode(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("choices")) {
    return Status::InvalidArgument("no choices[0] in the reply");
  }
  DecodedReply reply;
  reply.text = doc["choices"][0]["message"]["content"].get<std::string>();
  reply.prompt_tokens = doc["usage"]["prompt_tokens"].get<int>();
  reply.completion_tokens = doc["usage"]["completion_tokens"].get<int>();
  return reply;
}

CurlRunnerOptions Options(const std::string& base_url) {
  CurlRunnerOptions options;
  options.endpoint.url = base_url + "/chat/completions";
  options.endpoint.timeout_ms = 10000;
  options.concurrency = 1;
  options.retry = {1, 5, 50};
  options.limits.circuit_breaker_failures = 0;  // each test turns on what it checks
  return options;
}

std::unique_ptr<CurlRunner> MustCreate(CurlRunnerOptions options, Clock& clock) {
  Result<std::unique_ptr<CurlRunner>> runner =
      CurlRunner::Create(std::move(options), Encode, Decode, clock);
  EXPECT_TRUE(runner.ok()) << runner.status().ToString();
  return runner.ok() ? std::move(runner).value() : nullptr;
}

struct Outcome {
  Status status;
  std::vector<ModelReply> replies;
  std::vector<int64_t> reply_times;  // fake time of each reply
  std::vector<std::string> notices;
  int pulled = 0;
};

Outcome RunTexts(CurlRunner& runner, FakeClock& clock, const std::vector<std::string>& texts,
                 bool with_notices = true) {
  Outcome out;
  size_t next = 0;
  RunHooks hooks;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (next == texts.size()) return std::nullopt;
    ++out.pulled;
    ModelRequest request{next, {{"user", texts[next]}}};
    ++next;
    return request;
  };
  hooks.on_reply = [&](ModelReply&& reply) {
    out.reply_times.push_back(clock.NowMs());
    out.replies.push_back(std::move(reply));
  };
  if (with_notices) {
    hooks.on_notice = [&](const std::string& notice) { out.notices.push_back(notice); };
  }
  out.status = runner.Run(hooks);
  return out;
}

std::vector<std::string> Texts(int n, const std::string& text = "hello") {
  return std::vector<std::string>(static_cast<size_t>(n), text);
}

MockReply Status503() { return MockReply{503, "overloaded", {}, 0}; }

TEST(CurlRunnerRateLimit, SixHundredPerMinuteStartsTenPerSecondInFakeTime) {
  MockOpenAiServer server;
  FakeClock clock;
  CurlRunnerOptions options = Options(server.base_url());
  options.concurrency = 16;
  options.limits.requests_per_minute = 600;
  auto runner = MustCreate(options, clock);
  Outcome out = RunTexts(*runner, clock, Texts(30));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.replies.size(), 30u);
  for (const ModelReply& reply : out.replies) EXPECT_TRUE(reply.ok) << reply.error;
  // One second's worth at once, then one every 100 ms: never a minute's worth at once.
  std::vector<int64_t> expected(10, kT0);
  for (int k = 1; k <= 20; ++k) expected.push_back(kT0 + 100 * k);
  EXPECT_EQ(out.reply_times, expected);
  std::map<int64_t, int> per_second;
  for (int64_t t : out.reply_times) ++per_second[(t - kT0 - 1) / 1000];
  EXPECT_EQ(per_second[1], 10);  // (kT0+1000, kT0+2000]: the steady state
  EXPECT_EQ(clock.slept_ms(), 2000);
  EXPECT_EQ(server.requests(), 30);
}

TEST(CurlRunnerRateLimit, RetriesWaitTheirTurnToo) {
  MockOpenAiServer server([](const std::string&, int n) {
    return n == 0 ? Status503() : MockOpenAiServer::ChatReply("ok");
  });
  FakeClock clock;
  CurlRunnerOptions options = Options(server.base_url());
  options.retry = {3, 5, 50};
  options.limits.requests_per_minute = 60;  // one a second
  auto runner = MustCreate(options, clock);
  Outcome out = RunTexts(*runner, clock, Texts(2));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.replies.size(), 2u);
  EXPECT_EQ(out.replies[0].attempts, 2);
  // The retry was due after <= 5 ms of backoff but the rate held it until kT0+1000.
  EXPECT_EQ(out.reply_times, (std::vector<int64_t>{kT0 + 1000, kT0 + 2000}));
}

TEST(CurlRunnerRateLimit, TokenChargesAreCorrectedByTheReportedUsage) {
  // Every reply reports 10 prompt + 4 completion tokens ("Here is an answer.").
  MockOpenAiServer server;
  FakeClock clock;
  CurlRunnerOptions options = Options(server.base_url());
  options.limits.tokens_per_minute = 600;  // 10 tokens a second, capacity 10
  auto runner = MustCreate(options, clock);
  // "12345678": 8 bytes, estimated at 2 tokens.
  Outcome out = RunTexts(*runner, clock, Texts(4, "12345678"));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.replies.size(), 4u);
  // kT0: 10 - 2 = 8, corrected by 12 to -4; 6 tokens to wait for (600 ms) -> 0, then
  // -12 after correction: 14 tokens to wait for (1400 ms), and again.
  EXPECT_EQ(out.reply_times, (std::vector<int64_t>{kT0, kT0 + 600, kT0 + 2000, kT0 + 3400}));
}

TEST(CurlRunnerRateLimit, TheBudgetCarriesOverToTheNextRun) {
  MockOpenAiServer server;
  FakeClock clock;
  CurlRunnerOptions options = Options(server.base_url());
  options.limits.requests_per_minute = 60;
  auto runner = MustCreate(options, clock);
  Outcome first = RunTexts(*runner, clock, Texts(1));
  Outcome second = RunTexts(*runner, clock, Texts(1));
  EXPECT_EQ(first.reply_times, (std::vector<int64_t>{kT0}));
  EXPECT_EQ(second.reply_times, (std::vector<int64_t>{kT0 + 1000}));  // no fresh burst
}

CurlRunnerOptions BreakerOptions(const std::string& base_url, int failures, int max_pauses) {
  CurlRunnerOptions options = Options(base_url);
  options.limits.circuit_breaker_failures = failures;
  options.limits.circuit_pause_ms = 30000;
  options.limits.circuit_max_pauses = max_pauses;
  return options;
}

TEST(CurlRunnerCircuitBreaker, PausesAnnouncesAndGivesUp) {
  MockOpenAiServer server([](const std::string&, int) { return Status503(); });
  FakeClock clock;
  CurlRunnerOptions options = BreakerOptions(server.base_url(), 3, 2);
  auto runner = MustCreate(options, clock);
  Outcome out = RunTexts(*runner, clock, Texts(10));

  std::string url = options.endpoint.url;
  std::string last = "(last: HTTP 503 after 1 attempt: overloaded)";
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(out.status.message(),
            "gave up on " + url + " after 2 pauses of 30 s without a success " + last);
  ASSERT_EQ(out.notices.size(), 2u);
  EXPECT_EQ(out.notices[0], "paused " + url + " for 30 s after 3 consecutive failures " + last);
  EXPECT_EQ(out.notices[1], "paused " + url +
                                " for 30 s after the probe request failed too (pause 2 of 2; "
                                "last: HTTP 503 after 1 attempt: overloaded)");
  // Three failures, the first probe (a failed request like the others); the second
  // probe's request stays without a reply, as the requests not yet pulled do.
  ASSERT_EQ(out.replies.size(), 4u);
  for (const ModelReply& reply : out.replies) {
    EXPECT_FALSE(reply.ok);
    EXPECT_EQ(reply.error, "HTTP 503 after 1 attempt: overloaded");
  }
  EXPECT_EQ(out.reply_times, (std::vector<int64_t>{kT0, kT0, kT0, kT0 + 30000}));
  EXPECT_EQ(out.pulled, 5);
  EXPECT_EQ(server.requests(), 5);  // nothing was sent during the pauses
  EXPECT_EQ(clock.slept_ms(), 60000);
}

TEST(CurlRunnerCircuitBreaker, GivesUpWithoutANoticeHook) {
  MockOpenAiServer server([](const std::string&, int) { return Status503(); });
  FakeClock clock;
  auto runner = MustCreate(BreakerOptions(server.base_url(), 2, 1), clock);
  Outcome out = RunTexts(*runner, clock, Texts(10), /*with_notices=*/false);
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(out.replies.size(), 2u);
  EXPECT_EQ(server.requests(), 3);
}

TEST(CurlRunnerCircuitBreaker, AProbeThatSucceedsClosesIt) {
  MockOpenAiServer server([](const std::string&, int n) {
    return n < 3 ? Status503() : MockOpenAiServer::ChatReply("back");
  });
  FakeClock clock;
  CurlRunnerOptions options = BreakerOptions(server.base_url(), 3, 5);
  auto runner = MustCreate(options, clock);
  Outcome out = RunTexts(*runner, clock, Texts(6));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.notices.size(), 2u);
  EXPECT_EQ(out.notices[0].rfind("paused " + options.endpoint.url + " for 30 s after 3 ", 0), 0u)
      << out.notices[0];
  EXPECT_EQ(out.notices[1], "resumed " + options.endpoint.url + ": the probe request succeeded");
  ASSERT_EQ(out.replies.size(), 6u);
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(out.replies[i].ok, i >= 3) << i;
  EXPECT_EQ(out.reply_times,
            (std::vector<int64_t>{kT0, kT0, kT0, kT0 + 30000, kT0 + 30000, kT0 + 30000}));
  EXPECT_EQ(clock.slept_ms(), 30000);
}

TEST(CurlRunnerCircuitBreaker, TheProbeIsOneAttemptAndItsRequestKeepsItsRetries) {
  // Requests 0 and 1 fail all 3 attempts (server requests 0..5); the probe (request 2's
  // first attempt, server request 6) fails too; the next probe, its second attempt,
  // succeeds.
  MockOpenAiServer server([](const std::string&, int n) {
    return n <= 6 ? Status503() : MockOpenAiServer::ChatReply("fine");
  });
  FakeClock clock;
  CurlRunnerOptions options = BreakerOptions(server.base_url(), 2, 5);
  options.retry = {3, 5, 5};
  options.limits.circuit_pause_ms = 1000;
  auto runner = MustCreate(options, clock);
  Outcome out = RunTexts(*runner, clock, Texts(3));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.notices.size(), 3u);
  EXPECT_NE(out.notices[0].find("for 1 s after 2 consecutive failures (last: HTTP 503 after 3 "
                                "attempts: overloaded)"),
            std::string::npos)
      << out.notices[0];
  EXPECT_NE(out.notices[1].find("after the probe request failed too (pause 2 of 5; last: HTTP "
                                "503 after 1 attempt: overloaded)"),
            std::string::npos)
      << out.notices[1];
  EXPECT_EQ(out.notices[2], "resumed " + options.endpoint.url + ": the probe request succeeded");
  ASSERT_EQ(out.replies.size(), 3u);
  EXPECT_FALSE(out.replies[0].ok);
  EXPECT_FALSE(out.replies[1].ok);
  EXPECT_TRUE(out.replies[2].ok) << out.replies[2].error;
  EXPECT_EQ(out.replies[2].attempts, 2);
  EXPECT_EQ(server.requests(), 8);
}

TEST(CurlRunnerCircuitBreaker, ClientErrorsNeitherCountNorReset) {
  MockOpenAiServer server([](const std::string& body, int) {
    if (body.find("bad") != std::string::npos) return MockReply{400, "content filter", {}, 0};
    return Status503();
  });
  FakeClock clock;
  auto runner = MustCreate(BreakerOptions(server.base_url(), 3, 5), clock);
  // 503, 400, 400, 503, 400, 503: the third 503 in a row (400s between) opens it.
  Outcome out = RunTexts(*runner, clock, {"x", "bad", "bad", "x", "bad", "x", "bad"});
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_NE(out.notices[0].find("after 3 consecutive failures"), std::string::npos);
  ASSERT_GE(out.replies.size(), 6u);
  EXPECT_EQ(out.replies[5].error, "HTTP 503 after 1 attempt: overloaded");
  EXPECT_EQ(out.reply_times[5], kT0);
  // The probe afterwards got a 400: inconclusive, so another request probes -- there is
  // none; the run ends normally.
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.replies.size(), 7u);
  EXPECT_EQ(out.reply_times[6], kT0 + 30000);
}

TEST(CurlRunnerCircuitBreaker, DisabledNeverPauses) {
  MockOpenAiServer server([](const std::string&, int) { return Status503(); });
  FakeClock clock;
  auto runner = MustCreate(BreakerOptions(server.base_url(), 0, 1), clock);
  Outcome out = RunTexts(*runner, clock, Texts(20));
  EXPECT_TRUE(out.status.ok());
  EXPECT_EQ(out.replies.size(), 20u);
  EXPECT_TRUE(out.notices.empty());
  EXPECT_EQ(clock.slept_ms(), 0);
}

TEST(CurlRunner, InvalidUtf8InABodyIsReplacedBeforeDecoding) {
  MockOpenAiServer server([](const std::string&, int) {
    MockReply reply = MockOpenAiServer::ChatReply("caf<BAD> ok");
    reply.body.replace(reply.body.find("<BAD>"), 5, "\xff");
    return reply;
  });
  FakeClock clock;
  auto runner = MustCreate(Options(server.base_url()), clock);
  Outcome out = RunTexts(*runner, clock, Texts(1));
  ASSERT_EQ(out.replies.size(), 1u);
  EXPECT_TRUE(out.replies[0].ok) << out.replies[0].error;
  EXPECT_EQ(out.replies[0].text, "caf\xEF\xBF\xBD ok");
}

}  // namespace
}  // namespace safeval
