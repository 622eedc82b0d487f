// The checks and header wiring shared by the HTTP adapters.
#include "model/http_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace safeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HttpOptions, UrlsNeedSchemeAndHostAndNoCredentials) {
  EXPECT_TRUE(ValidateHttpUrl("http://127.0.0.1:8000/v1").ok());
  EXPECT_TRUE(ValidateHttpUrl("https://api.example.com").ok());
  EXPECT_THAT(ValidateHttpUrl("ftp://h/v1", "url").message(), HasSubstr("url must start with"));
  EXPECT_THAT(ValidateHttpUrl("http:///v1").message(), HasSubstr("base_url has no host"));
  EXPECT_THAT(ValidateHttpUrl("http://h/a b").message(), HasSubstr("whitespace"));
  Status creds = ValidateHttpUrl("https://user:hunter2@h/v1");
  EXPECT_THAT(creds.message(), HasSubstr("credentials"));
  EXPECT_THAT(creds.message(), Not(HasSubstr("hunter2")));
}

TEST(HttpOptions, HeaderNamesAndValuesCannotBreakTheRequest) {
  EXPECT_TRUE(ValidateHeaders({{"X-Team", "safety"}}).ok());
  EXPECT_FALSE(ValidateHeaders({{"", "x"}}).ok());
  EXPECT_FALSE(ValidateHeaders({{"Bad Name", "x"}}).ok());
  EXPECT_FALSE(ValidateHeaders({{"X:Y", "x"}}).ok());
  EXPECT_THAT(ValidateHeaders({{"X", "a\r\nInjected: 1"}}).message(), HasSubstr("line break"));
}

TEST(HttpOptions, ExtraHeadersReplaceDefaultsOfTheSameName) {
  std::vector<std::string> lines =
      HeaderLines({{"Content-Type", "application/json"}, {"anthropic-version", "2023-06-01"}},
                  {{"Anthropic-Version", "2024-01-01"}, {"X-Team", "s"}});
  EXPECT_EQ(lines, (std::vector<std::string>{"Content-Type: application/json",
                                             "Anthropic-Version: 2024-01-01", "X-Team: s"}));
}

TEST(HttpOptions, SecretsAreTheKeyAndCredentialHeaderValues) {
  std::vector<std::string> secrets =
      Secrets("sk-1", {{"Authorization", "Bearer t"}, {"X-Api-Key", "k2"}, {"Cookie", "c=1"},
                       {"X-Auth-Token", "t3"}, {"X-Team", "public"}, {"X-Secret", ""}});
  EXPECT_EQ(secrets, (std::vector<std::string>{"sk-1", "Bearer t", "c=1", "k2", "t3"}));
  EXPECT_TRUE(Secrets("", {}).empty());
}

TEST(HttpOptions, TransportFieldsAreChecked) {
  std::string key = "sk";
  std::map<std::string, std::string> headers;
  RetryOptions retry;
  HttpTransportFields f{16, 1000, 1000, 3, &key, &headers, &retry};
  EXPECT_TRUE(ValidateHttpTransport(f).ok());
  auto with = [&](auto change) {
    HttpTransportFields g = f;
    change(g);
    return ValidateHttpTransport(g).message();
  };
  EXPECT_THAT(with([](auto& g) { g.concurrency = 0; }), HasSubstr("concurrency"));
  EXPECT_THAT(with([](auto& g) { g.concurrency = 4097; }), HasSubstr("concurrency"));
  EXPECT_THAT(with([](auto& g) { g.timeout_ms = 0; }), HasSubstr("timeout_ms"));
  EXPECT_THAT(with([](auto& g) { g.connect_timeout_ms = 0; }), HasSubstr("connect_timeout_ms"));
  EXPECT_THAT(with([](auto& g) { g.unreachable_after = -1; }), HasSubstr("unreachable_after"));
  std::string bad_key = "sk\nX: 1";
  EXPECT_THAT(with([&](auto& g) { g.api_key = &bad_key; }), HasSubstr("api_key"));
  RetryOptions bad_retry{0, 1, 1};
  EXPECT_THAT(with([&](auto& g) { g.retry = &bad_retry; }), HasSubstr("max_attempts"));
}

}  // namespace
}  // namespace safeval
