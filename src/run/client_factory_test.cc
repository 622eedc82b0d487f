// Clients for suite targets of every type, keys from the injected environment, limits
// passed into the adapters.
#include "run/client_factory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/mock_http_server.h"
#include "testing/model_client_runs.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;

TargetConfig OpenAiTarget() {
  TargetConfig t;
  t.name = "llama";
  t.type = TargetType::kOpenAi;
  t.base_url = "http://127.0.0.1:8000/v1";
  t.model = "llama-3.1-8b";
  t.api_key_env = "MY_KEY";
  return t;
}

TEST(ClientFactory, DemoTargetGivesTheDemoClient) {
  Suite suite;
  TargetConfig demo;
  demo.name = "demo";
  FakeClock clock;
  auto client = MakeTargetClient(suite, demo, std::nullopt, {}, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_TRUE((*client)->IsDemo());
}

TEST(ClientFactory, TheKeyComesFromTheNamedVariable) {
  Suite suite;
  suite.path = "/s/suite.yaml";
  FakeClock clock;
  std::vector<std::string> asked;
  auto getenv = [&asked](const std::string& name) -> std::optional<std::string> {
    asked.push_back(name);
    return name == "MY_KEY" ? std::optional<std::string>("sk-1") : std::nullopt;
  };
  auto client = MakeTargetClient(suite, OpenAiTarget(), 4, getenv, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Identity(), "openai:llama-3.1-8b@http://127.0.0.1:8000/v1");
  EXPECT_EQ(asked, std::vector<std::string>{"MY_KEY"});
}

TEST(ClientFactory, AnUnsetKeyVariableIsBadInputNamingIt) {
  Suite suite;
  suite.path = "/s/suite.yaml";
  FakeClock clock;
  auto unset = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto client = MakeTargetClient(suite, OpenAiTarget(), std::nullopt, unset, clock);
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(client.status().message(),
              HasSubstr("/s/suite.yaml: target 'llama': environment variable MY_KEY"));
}

TEST(ClientFactory, BadConcurrencyOverrideIsRejected) {
  Suite suite;
  TargetConfig t = OpenAiTarget();
  t.api_key_env.clear();
  FakeClock clock;
  EXPECT_FALSE(MakeTargetClient(suite, t, 0, {}, clock).ok());
}

std::optional<std::string> Env(const std::string& name) {
  if (name == "MY_KEY") return std::string("sk-1");
  return std::nullopt;
}

TargetConfig Target(TargetType type) {
  TargetConfig t;
  t.name = "t";
  t.type = type;
  t.model = "m";
  t.base_url = "http://127.0.0.1:9/v1";
  return t;
}

TEST(ClientFactory, MakesAnAnthropicClient) {
  Suite suite;
  FakeClock clock;
  TargetConfig t = Target(TargetType::kAnthropic);
  t.base_url = "https://api.anthropic.com/v1";
  t.model = "claude";
  t.api_key_env = "MY_KEY";
  t.max_tokens = 100;
  auto client = MakeTargetClient(suite, t, std::nullopt, Env, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Identity(), "anthropic:claude@https://api.anthropic.com/v1");
}

TEST(ClientFactory, MakesAnHttpClientWithTheKeyInItsHeaders) {
  testing::MockHttpServer server([](const testing::MockHttpRequest&, int) {
    return testing::MockReply{200, R"({"out": "fine"})", {}, 0};
  });
  Suite suite;
  SystemClock clock;
  TargetConfig t = Target(TargetType::kHttp);
  t.url = server.url("/gen");
  t.body_template = R"({"q": "{{prompt}}"})";
  t.response_paths = {"/out"};
  t.headers = {{"Authorization", "Bearer {{api_key}}"}};
  t.api_key_env = "MY_KEY";
  auto client = MakeTargetClient(suite, t, 2, Env, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Identity(), "http:POST " + server.url("/gen"));
  testing::Outcome out = testing::RunAll(**client, {ModelRequest{1, {{"user", "hi"}}}});
  ASSERT_TRUE(out.status.ok());
  const std::vector<ModelReply>& replies = out.replies;
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].text, "fine");
  EXPECT_EQ(server.recorded().at(0).headers["authorization"], "Bearer sk-1");
}

TEST(ClientFactory, MakesAnImagesClient) {
  Suite suite;
  FakeClock clock;
  TargetConfig t = Target(TargetType::kImages);
  t.model = "sdxl";
  t.response_format = "b64_json";
  auto client = MakeTargetClient(suite, t, std::nullopt, Env, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Identity(), "images:sdxl@http://127.0.0.1:9/v1");
}

TEST(ClientFactory, MakesAnExecClient) {
  Suite suite;
  FakeClock clock;
  TargetConfig t = Target(TargetType::kExec);
  t.command = {"/bin/cat"};
  auto client = MakeTargetClient(suite, t, std::nullopt, Env, clock);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Identity(), "exec:cat");
}

TEST(ClientFactory, EveryKeyedTypeNeedsItsVariableSet) {
  Suite suite;
  suite.path = "/s/suite.yaml";
  FakeClock clock;
  for (TargetType type : {TargetType::kAnthropic, TargetType::kHttp, TargetType::kImages}) {
    TargetConfig t = Target(type);
    t.api_key_env = "UNSET_KEY";
    auto client = MakeTargetClient(suite, t, std::nullopt, Env, clock);
    ASSERT_FALSE(client.ok()) << Name(type);
    EXPECT_THAT(client.status().message(),
                HasSubstr("/s/suite.yaml: target 't': environment variable UNSET_KEY"));
  }
}

TEST(ClientFactory, AdapterErrorsNameTheSuiteAndTarget) {
  Suite suite;
  suite.path = "/s/suite.yaml";
  FakeClock clock;
  TargetConfig exec = Target(TargetType::kExec);
  exec.command = {"no-such-program-for-safeval-tests"};
  auto missing = MakeTargetClient(suite, exec, std::nullopt, Env, clock);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(missing.status().message(), HasSubstr("/s/suite.yaml: target 't': "));
  EXPECT_THAT(missing.status().message(), HasSubstr("no-such-program-for-safeval-tests"));
  auto bad = MakeTargetClient(suite, Target(TargetType::kOpenAi), 0, Env, clock);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("/s/suite.yaml: target 't': concurrency"));
}

// Runs `n` requests through a target whose endpoint answers every attempt with HTTP 503
// (one attempt per request), collecting the notices the client gives.
std::vector<std::string> NoticesOfFailingRun(int circuit_breaker, int n) {
  testing::MockHttpServer server([](const testing::MockHttpRequest&, int) {
    return testing::MockReply{503, "overloaded", {}, 0};
  });
  Suite suite;
  FakeClock clock;  // the breaker's pauses pass at once
  TargetConfig t = Target(TargetType::kHttp);
  t.url = server.url("/gen");
  t.body_template = R"({"q": "{{prompt}}"})";
  t.response_paths = {"/out"};
  t.circuit_breaker_failures = circuit_breaker;
  t.max_attempts = 1;
  auto client = MakeTargetClient(suite, t, 1, Env, clock);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  if (!client.ok()) return {};
  std::vector<std::string> notices;
  int sent = 0;
  RunHooks hooks;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (sent == n) return std::nullopt;
    return ModelRequest{static_cast<uint64_t>(sent++), {{"user", "hi"}}};
  };
  hooks.on_reply = [](ModelReply&&) {};
  hooks.on_notice = [&](const std::string& notice) { notices.push_back(notice); };
  (void)(*client)->Run(hooks);  // may give up with Unavailable: the breaker's business
  return notices;
}

TEST(ClientFactory, TheCircuitBreakerSettingReachesTheAdapter) {
  EXPECT_TRUE(NoticesOfFailingRun(0, 4).empty());
  std::vector<std::string> notices = NoticesOfFailingRun(2, 4);
  ASSERT_FALSE(notices.empty());
  EXPECT_THAT(notices[0], HasSubstr("2 consecutive failures"));
}

TEST(ClientFactory, RequestsPerMinuteReachesTheAdapter) {
  testing::MockHttpServer server([](const testing::MockHttpRequest&, int) {
    return testing::MockReply{200, R"({"out": "ok"})", {}, 0};
  });
  auto fake_minutes = [&](std::optional<int> rpm) {
    Suite suite;
    FakeClock clock;
    TargetConfig t = Target(TargetType::kHttp);
    t.url = server.url("/gen");
    t.body_template = R"({"q": "{{prompt}}"})";
    t.response_paths = {"/out"};
    t.requests_per_minute = rpm;
    auto client = MakeTargetClient(suite, t, 1, Env, clock);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    int sent = 0;
    RunHooks hooks;
    hooks.next = [&]() -> std::optional<ModelRequest> {
      if (sent == 3) return std::nullopt;
      return ModelRequest{static_cast<uint64_t>(sent++), {{"user", "hi"}}};
    };
    hooks.on_reply = [](ModelReply&&) {};
    EXPECT_TRUE((*client)->Run(hooks).ok());
    return clock.slept_ms();
  };
  EXPECT_LT(fake_minutes(std::nullopt), 1000);
  EXPECT_GE(fake_minutes(60), 2000);  // three requests at one per second: two waits
}

}  // namespace
}  // namespace safeval
