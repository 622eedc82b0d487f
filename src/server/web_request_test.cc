// Tests of the request parsing helpers, sessions, tokens and route matching.
#include "server/web_request.h"

#include <gtest/gtest.h>

#include <chrono>

#include "server/annotator_token.h"
#include "server/routes.h"
#include "server/sessions.h"

namespace safeval {
namespace {

TEST(ParseUrlEncodedTest, DecodesPlusPercentAndRepeatedNames) {
  std::multimap<std::string, std::string> out;
  ParseUrlEncoded("a=1&b=x%20y+z&a=2&flag&&c=%3Cb%3E&bad=%zz%4", &out);
  EXPECT_EQ(out.count("a"), 2u);
  EXPECT_EQ(out.find("a")->second, "1");
  EXPECT_EQ(out.find("b")->second, "x y z");
  EXPECT_EQ(out.find("flag")->second, "");
  EXPECT_EQ(out.find("c")->second, "<b>");
  EXPECT_EQ(out.find("bad")->second, "%zz%4");  // malformed escapes are kept literally
}

TEST(ParseCookiesTest, SplitsTrimsAndKeepsTheFirstOfAName) {
  auto cookies = ParseCookies(" sv_session=abc ; theme=\"dark\"; sv_session=later; junk");
  EXPECT_EQ(cookies["sv_session"], "abc");
  EXPECT_EQ(cookies["theme"], "dark");
  EXPECT_EQ(cookies.count("junk"), 0u);
}

TEST(UrlEncodeTest, KeepsUnreservedCharactersOnly) {
  EXPECT_EQ(UrlEncode("run-1_a.b~"), "run-1_a.b~");
  EXPECT_EQ(UrlEncode("a b/c?&=\"<"), "a%20b%2Fc%3F%26%3D%22%3C");
  std::multimap<std::string, std::string> back;
  ParseUrlEncoded("q=" + UrlEncode("é & <x>"), &back);
  EXPECT_EQ(back.find("q")->second, "é & <x>");
}

TEST(WebRequestTest, GettersReturnTheFirstValueOrEmpty) {
  WebRequest r;
  r.query = {{"page", "2"}, {"page", "3"}};
  r.headers = {{"host", "h"}};
  EXPECT_EQ(r.Query("page"), "2");
  EXPECT_EQ(r.Query("none"), "");
  EXPECT_EQ(r.Header("host"), "h");
  EXPECT_EQ(r.Form("csrf"), "");
  EXPECT_EQ(r.Cookie("sv_session"), "");
}

struct FakeTime {
  std::chrono::steady_clock::time_point now{};
  int counter = 0;
};

TEST(SessionsTest, FindsLiveSessionsAndEndsThemAfterTwelveHours) {
  FakeTime t;
  Sessions sessions(
      [&t](size_t n) { return std::string(n * 2, static_cast<char>('a' + t.counter++)); },
      [&t] { return t.now; });
  Session s = sessions.Create("ana", true);
  EXPECT_EQ(s.id.size(), 64u);
  EXPECT_NE(s.id, s.csrf_token);
  ASSERT_TRUE(sessions.Find(s.id));
  EXPECT_EQ(sessions.Find(s.id)->annotator, "ana");
  EXPECT_TRUE(sessions.Find(s.id)->adjudicator);
  EXPECT_FALSE(sessions.Find("other"));
  EXPECT_FALSE(sessions.Find(""));
  t.now += std::chrono::hours(12) - std::chrono::seconds(1);
  EXPECT_TRUE(sessions.Find(s.id));
  t.now += std::chrono::seconds(1);
  EXPECT_FALSE(sessions.Find(s.id));
}

TEST(SessionsTest, EndRemovesTheSession) {
  FakeTime t;
  Sessions sessions(
      [&t](size_t n) { return std::string(n * 2, static_cast<char>('a' + t.counter++)); },
      [&t] { return t.now; });
  Session a = sessions.Create("ana", false), b = sessions.Create("bo", false);
  sessions.End(a.id);
  EXPECT_FALSE(sessions.Find(a.id));
  EXPECT_TRUE(sessions.Find(b.id));
}

TEST(TokensEqualTest, ComparesWholeTokens) {
  EXPECT_TRUE(TokensEqual("abc", "abc"));
  EXPECT_FALSE(TokensEqual("abc", "abd"));
  EXPECT_FALSE(TokensEqual("abc", "ab"));
  EXPECT_FALSE(TokensEqual("", "a"));
}

TEST(AnnotatorTokenTest, RandomHexTokensAndHashes) {
  std::string hex = RandomHex(16);
  EXPECT_EQ(hex.size(), 32u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(RandomHex(16), hex);
  std::string token = NewAnnotatorToken();
  EXPECT_EQ(token.rfind("sv_", 0), 0u);
  EXPECT_EQ(token.size(), 3u + 64u);
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(TokenHash(token), token);
}

TEST(MatchRouteTest, CapturesSegmentsAndNeedsEveryLiteral) {
  PathParams p;
  EXPECT_TRUE(MatchRoute("/", "/", &p));
  EXPECT_TRUE(p.empty());
  EXPECT_TRUE(MatchRoute("/runs/{run}/items/{index}", "/runs/r1/items/7", &p));
  EXPECT_EQ(p, (PathParams{"r1", "7"}));
  EXPECT_FALSE(MatchRoute("/runs/{run}/items/{index}", "/runs/r1/items", &p));
  EXPECT_FALSE(MatchRoute("/runs/{run}", "/runs/", &p));  // an empty segment is not a capture
  EXPECT_FALSE(MatchRoute("/runs/{run}", "/runs/r1/", &p));
  EXPECT_FALSE(MatchRoute("/runs/{run}", "/run/r1", &p));
  EXPECT_FALSE(MatchRoute("/", "", &p));
  EXPECT_FALSE(MatchRoute("/", "runs", &p));
}

TEST(RoutesTest, EveryPostButLoginNeedsASession) {
  for (const Route& r : Routes()) {
    if (r.method == "POST" && r.pattern != "/login") {
      EXPECT_TRUE(r.needs_session) << r.pattern;
    }
    if (r.needs_adjudicator) {
      EXPECT_TRUE(r.needs_session) << r.pattern;
    }
  }
}

}  // namespace
}  // namespace safeval
