// The OpenAI client against the fault-injecting mock: every fault kind ends as the right
// outcome -- retried and recovered, or a failed reply whose error names the status or the
// cause -- and nothing hangs. Also the fault mock's own scripts.
//
// Decisions checked here: a 10 MB body is accepted (CurlMulti caps bodies at 16 MiB:
// beyond, "request failed: reply larger than 16 MiB"); invalid UTF-8 inside a reply is
// replaced with U+FFFD (the answer is kept); a body that is not JSON is malformed.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "model/openai_client.h"
#include "testing/fault_mock_server.h"

namespace safeval {
namespace {

using testing::Fault;
using testing::FaultMockServer;
using testing::FaultOptions;

constexpr int64_t kTimeoutMs = 300;

OpenAiOptions Options(const std::string& base_url) {
  OpenAiOptions options;
  options.base_url = base_url;
  options.model = "fault-test";
  options.concurrency = 4;
  options.timeout_ms = kTimeoutMs;
  options.connect_timeout_ms = kTimeoutMs;
  options.retry = {3, 5, 20};  // small backoff: tests stay fast
  return options;
}

std::unique_ptr<ModelClient> MustMake(const OpenAiOptions& options, Clock& clock) {
  Result<std::unique_ptr<ModelClient>> client = MakeOpenAiClient(options, clock);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

struct Outcome {
  Status status;
  std::vector<ModelReply> replies;  // in tag order
  std::vector<std::string> notices;
};

Outcome RunTexts(ModelClient& client, const std::vector<std::string>& texts) {
  Outcome out;
  out.replies.resize(texts.size());
  size_t next = 0;
  RunHooks hooks;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (next == texts.size()) return std::nullopt;
    ModelRequest request{next, {{"user", texts[next]}}};
    ++next;
    return request;
  };
  hooks.on_reply = [&](ModelReply&& reply) { out.replies.at(reply.tag) = std::move(reply); };
  hooks.on_notice = [&](const std::string& notice) { out.notices.push_back(notice); };
  out.status = client.Run(hooks);
  return out;
}

// One request with `text` against a fresh client; the reply.
ModelReply RunOne(const FaultMockServer& server, const std::string& text,
                  OpenAiOptions options = Options("")) {
  SystemClock clock;
  options.base_url = server.base_url();
  auto client = MustMake(options, clock);
  Outcome out = RunTexts(*client, {text});
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  return out.replies.at(0);
}

// ---- faults that go away: retried, then the request succeeds ----

TEST(FaultInjection, TransientFaultsAreRetriedAndRecover) {
  FaultMockServer server;
  const char* kinds[] = {"429-retry-after", "429",   "500",       "502",     "503",
                         "reset",           "stall", "truncated", "non-json"};
  for (const char* kind : kinds) {
    std::string text = std::string("[fault:") + kind + "*1] question";
    ModelReply reply = RunOne(server, text);
    EXPECT_TRUE(reply.ok) << kind << ": " << reply.error;
    EXPECT_EQ(reply.attempts, 2) << kind;
    EXPECT_EQ(reply.text, "answer: " + text) << kind;
    EXPECT_EQ(reply.http_status, 200) << kind;
  }
}

TEST(FaultInjection, RetryAfterIsWaitedOnTheClock) {
  FaultOptions faults;
  faults.retry_after_s = 2;
  FaultMockServer server(FaultMockServer::ByMarker(), faults);
  FakeClock clock;
  OpenAiOptions options = Options(server.base_url());
  options.retry = {3, 5, 5000};
  auto client = MustMake(options, clock);
  Outcome out = RunTexts(*client, {"[fault:429-retry-after*1] q"});
  ASSERT_TRUE(out.replies[0].ok) << out.replies[0].error;
  EXPECT_EQ(clock.slept_ms(), 2000);  // the server's word, not the 0..5 ms jitter
}

// ---- faults that persist: a failed reply naming the status or the cause ----

TEST(FaultInjection, PersistentHttpErrorsNameTheStatus) {
  FaultMockServer server;
  for (const char* kind : {"429", "500", "502", "503"}) {
    ModelReply reply = RunOne(server, std::string("[fault:") + kind + "] q");
    EXPECT_FALSE(reply.ok) << kind;
    EXPECT_EQ(reply.attempts, 3) << kind;
    EXPECT_EQ(reply.http_status, std::stoi(kind));
    EXPECT_EQ(reply.error, std::string("HTTP ") + kind +
                               R"( after 3 attempts: {"error":{"message":"injected )" + kind +
                               "\"}}");
  }
}

TEST(FaultInjection, ResetConnectionsAreConnectionFailures) {
  FaultMockServer server;
  ModelReply reply = RunOne(server, "[fault:reset] q");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.http_status, 0);
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_EQ(reply.error.rfind("connection failed: ", 0), 0u) << reply.error;
  EXPECT_NE(reply.error.find("(3 attempts)"), std::string::npos) << reply.error;
  EXPECT_EQ(server.requests(), 3);
}

TEST(FaultInjection, StallsPastTheTimeoutTimeOut) {
  FaultMockServer server;  // stalls 10 s, cut short when the server stops
  OpenAiOptions options = Options("");
  options.retry.max_attempts = 2;
  ModelReply reply = RunOne(server, "[fault:stall] q", options);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.http_status, 0);
  EXPECT_EQ(reply.error, "timeout after 300 ms (2 attempts)");
}

TEST(FaultInjection, SlowBodiesSucceedWithinTheTimeoutAndTimeOutBeyondIt) {
  FaultOptions quick;  // 5 chunks 20 ms apart: ~80 ms
  FaultMockServer within(FaultMockServer::ByMarker(), quick);
  ModelReply ok = RunOne(within, "[fault:slow] q");
  EXPECT_TRUE(ok.ok) << ok.error;
  EXPECT_EQ(ok.attempts, 1);
  EXPECT_EQ(ok.text, "answer: [fault:slow] q");

  FaultOptions slow;
  slow.slow_interval_ms = 150;  // 5 chunks: ~600 ms, past the 300 ms timeout
  FaultMockServer beyond(FaultMockServer::ByMarker(), slow);
  OpenAiOptions options = Options("");
  options.retry.max_attempts = 1;
  ModelReply late = RunOne(beyond, "[fault:slow] q", options);
  EXPECT_FALSE(late.ok);
  EXPECT_EQ(late.error, "timeout after 300 ms (1 attempt)");
}

TEST(FaultInjection, TruncatedBodiesAreConnectionFailures) {
  FaultMockServer server;
  ModelReply reply = RunOne(server, "[fault:truncated] q");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_EQ(reply.error.rfind("connection failed: ", 0), 0u) << reply.error;
  EXPECT_NE(reply.error.find("bytes remaining"), std::string::npos) << reply.error;
}

TEST(FaultInjection, NonJsonBodiesAreMalformedAndRetriedOnce) {
  FaultMockServer server;
  ModelReply reply = RunOne(server, "[fault:non-json] q");
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 2);
  EXPECT_EQ(reply.http_status, 200);
  EXPECT_EQ(reply.error.rfind("malformed reply after 2 attempts: the body is not JSON; body: "
                              "<html><body><h1>502 Bad Gateway</h1>",
                              0),
            0u)
      << reply.error;
}

// ---- bodies that are unusual but usable ----

// Megabytes take a while to compress, parse and copy in a debug build: no timeout here.
OpenAiOptions HugeOptions() {
  OpenAiOptions options = Options("");
  options.timeout_ms = 30000;
  return options;
}

TEST(FaultInjection, ATenMegabyteReplyIsAccepted) {
  FaultMockServer server;
  ModelReply reply = RunOne(server, "[fault:huge] q", HugeOptions());
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_EQ(reply.text.size(), size_t{10} << 20);
  EXPECT_EQ(reply.text.find_first_not_of('x'), std::string::npos);  // (not printed: 10 MB)
}

TEST(FaultInjection, RepliesBeyondTheCapAreRejectedClearly) {
  FaultOptions faults;
  faults.huge_bytes = size_t{17} << 20;
  FaultMockServer server(FaultMockServer::ByMarker(), faults);
  ModelReply reply = RunOne(server, "[fault:huge] q", HugeOptions());
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 1);  // retrying cannot make it smaller
  EXPECT_EQ(reply.error, "request failed: reply larger than 16 MiB (1 attempt)");
}

TEST(FaultInjection, InvalidUtf8IsReplacedNotFatal) {
  FaultMockServer server;
  ModelReply reply = RunOne(server, "[fault:invalid-utf8] q");
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "caf\xEF\xBF\xBD\xEF\xBF\xBD au lait");
}

// ---- many requests, mixed faults ----

TEST(FaultInjection, AMixedRunAnswersEveryRequestOnce) {
  FaultMockServer server;
  const char* kinds[] = {"none",  "429",       "500",      "502",         "503",
                         "reset", "truncated", "non-json", "invalid-utf8"};
  std::vector<std::string> texts;
  for (int i = 0; i < 45; ++i) {
    texts.push_back("[fault:" + std::string(kinds[i % 9]) + "*1] item " + std::to_string(i));
  }
  SystemClock clock;
  OpenAiOptions options = Options(server.base_url());
  options.concurrency = 8;
  auto client = MustMake(options, clock);
  Outcome out = RunTexts(*client, texts);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  for (size_t i = 0; i < texts.size(); ++i) {
    const ModelReply& reply = out.replies[i];
    EXPECT_EQ(reply.tag, i);
    EXPECT_TRUE(reply.ok) << texts[i] << ": " << reply.error;
    bool faulty = i % 9 != 0 && i % 9 != 8;  // "none" and invalid-utf8 succeed at once
    if (i % 9 == 5) {
      // A reset of a reused keep-alive connection before any response byte is retried by
      // libcurl itself, within the same attempt; on a fresh connection it is ours to retry.
      EXPECT_TRUE(reply.attempts == 1 || reply.attempts == 2) << texts[i];
    } else {
      EXPECT_EQ(reply.attempts, faulty ? 2 : 1) << texts[i];
    }
  }
  EXPECT_EQ(server.requests(), 45 + 35);
  EXPECT_TRUE(out.notices.empty());  // the default breaker needs 10 failed requests in a row
}

TEST(FaultInjection, EveryThirdRequestFailingStillCompletesTheRun) {
  FaultMockServer server(FaultMockServer::EveryKth(3, Fault::k503));
  SystemClock clock;
  OpenAiOptions options = Options(server.base_url());
  options.concurrency = 1;
  auto client = MustMake(options, clock);
  Outcome out = RunTexts(*client, std::vector<std::string>(10, "q"));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  int retried = 0;
  for (const ModelReply& reply : out.replies) {
    EXPECT_TRUE(reply.ok) << reply.error;
    retried += reply.attempts - 1;
  }
  EXPECT_EQ(retried, server.requests() - 10);
  EXPECT_GE(retried, 4);
}

TEST(FaultInjection, AnEndpointThatKeepsFailingIsPausedThenGivenUp) {
  FaultMockServer server(FaultMockServer::EveryKth(1, Fault::k503));
  FakeClock clock;
  OpenAiOptions options = Options(server.base_url());
  options.concurrency = 1;
  options.retry.max_attempts = 1;
  options.limits.circuit_breaker_failures = 3;
  options.limits.circuit_pause_ms = 30000;
  options.limits.circuit_max_pauses = 1;
  auto client = MustMake(options, clock);
  Outcome out = RunTexts(*client, std::vector<std::string>(20, "q"));
  std::string url = server.base_url() + "/chat/completions";
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(out.status.message(),
            "gave up on " + url +
                " after 1 pause of 30 s without a success (last: HTTP 503 after 1 attempt: "
                R"({"error":{"message":"injected 503"}}))");
  ASSERT_EQ(out.notices.size(), 1u);
  EXPECT_EQ(out.notices[0].rfind("paused " + url + " for 30 s after 3 consecutive failures", 0), 0u)
      << out.notices[0];
  EXPECT_EQ(server.requests(), 4);  // 3 failures, 1 probe
  EXPECT_EQ(clock.slept_ms(), 30000);
}

// ---- the fault mock's scripts ----

TEST(FaultMockServer, FaultNamesRoundTrip) {
  std::set<std::string> names;
  for (int i = 0; i <= static_cast<int>(Fault::kInvalidUtf8); ++i) {
    Fault fault = static_cast<Fault>(i);
    std::string name = testing::FaultName(fault);
    names.insert(name);
    EXPECT_EQ(testing::ParseFault(name), fault) << name;
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(Fault::kInvalidUtf8) + 1);
  EXPECT_EQ(testing::ParseFault("418"), std::nullopt);
}

std::string Chat(const std::string& content) {
  return R"({"messages": [{"role": "user", "content": ")" + content + R"("}]})";
}

TEST(FaultMockServer, ScriptsPickFaultsDeterministically) {
  auto sequence = FaultMockServer::Sequence({Fault::kReset, Fault::k500});
  EXPECT_EQ(sequence("", 0), Fault::kReset);
  EXPECT_EQ(sequence("", 1), Fault::k500);
  EXPECT_EQ(sequence("", 2), Fault::kNone);

  auto every = FaultMockServer::EveryKth(3, Fault::kStall);
  std::vector<Fault> got;
  for (int n = 0; n < 7; ++n) got.push_back(every("", n));
  EXPECT_EQ(got, (std::vector<Fault>{Fault::kNone, Fault::kNone, Fault::kStall, Fault::kNone,
                                     Fault::kNone, Fault::kStall, Fault::kNone}));

  auto marker = FaultMockServer::ByMarker();
  EXPECT_EQ(marker(Chat("[fault:502] a"), 0), Fault::k502);
  EXPECT_EQ(marker(Chat("[fault:502] a"), 1), Fault::k502);  // no count: every time
  EXPECT_EQ(marker(Chat("[fault:reset*2] b"), 2), Fault::kReset);
  EXPECT_EQ(marker(Chat("[fault:reset*2] c"), 3), Fault::kReset);  // counted per content
  EXPECT_EQ(marker(Chat("[fault:reset*2] b"), 4), Fault::kReset);
  EXPECT_EQ(marker(Chat("[fault:reset*2] b"), 5), Fault::kNone);
  EXPECT_EQ(marker(Chat("[fault:teapot] d"), 6), Fault::kNone);
  EXPECT_EQ(marker(Chat("[fault:503*x] d"), 7), Fault::kNone);
  EXPECT_EQ(marker(Chat("plain"), 8), Fault::kNone);
  EXPECT_EQ(marker("not json", 9), Fault::kNone);
}

TEST(FaultMockServer, RecordsWhatItServed) {
  FaultMockServer server(FaultMockServer::Sequence({Fault::k503, Fault::kNone}));
  ModelReply reply = RunOne(server, "q");
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(server.served(), (std::vector<Fault>{Fault::k503, Fault::kNone}));
}

}  // namespace
}  // namespace safeval
