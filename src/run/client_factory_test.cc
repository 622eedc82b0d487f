// Clients for suite targets: demo and OpenAI-compatible, keys from the injected environment.
#include "run/client_factory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace safeval
