// GET/POST /login and POST /logout through WebApp::Handle: the session cookie's attributes, a
// wrong token refused without a cookie and never echoed, logging out ends the session.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/annotation_pages_test_fixture.h"

namespace safeval::testing_pages {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using LoginPagesTest = AnnotationPagesTest;

TEST_F(LoginPagesTest, LoginPageHasThePasswordField) {
  WebResponse page = Get("/login");
  EXPECT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr("<form id=\"login-form\" method=\"post\" action=\"/login\">"));
  EXPECT_THAT(page.body, HasSubstr("<input id=\"token\" type=\"password\" name=\"token\""));
  EXPECT_THAT(page.body, Not(HasSubstr("id=\"login-error\"")));
}

TEST_F(LoginPagesTest, RightTokenSetsTheSessionCookieAndRedirects) {
  WebResponse response = Post("/login", {{"token", kAnaToken}});
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(Header(response, "Location"), "/annotate");
  std::string cookie = Header(response, "Set-Cookie");
  ASSERT_THAT(cookie, StartsWith("sv_session="));
  std::string id = cookie.substr(11, cookie.find(';') - 11);
  EXPECT_EQ(id.size(), 64u);
  EXPECT_EQ(cookie, "sv_session=" + id + "; HttpOnly; SameSite=Strict; Path=/");

  Browser ana{id, ""};
  WebResponse home = Get("/annotate", &ana);
  EXPECT_EQ(home.status, 200);
  EXPECT_THAT(home.body, HasSubstr("Your rounds, ana"));
}

TEST_F(LoginPagesTest, WrongTokenIs401WithoutCookieAndIsNotEchoed) {
  for (const std::string& token :
       {std::string("sv_not-a-token<b>"), std::string(kAnaToken) + "x"}) {
    WebResponse response = Post("/login", {{"token", token}});
    EXPECT_EQ(response.status, 401);
    EXPECT_THAT(response.body, HasSubstr("id=\"login-error\""));
    EXPECT_THAT(response.body, HasSubstr("id=\"login-form\""));
    EXPECT_EQ(Header(response, "Set-Cookie"), "");
    EXPECT_THAT(response.body, Not(HasSubstr("not-a-token")));
    EXPECT_THAT(response.body, Not(HasSubstr(token)));
  }
}

TEST_F(LoginPagesTest, EmptyTokenIs401) {
  WebResponse response = Post("/login", {});
  EXPECT_EQ(response.status, 401);
  EXPECT_THAT(response.body, HasSubstr("id=\"login-error\""));
  EXPECT_EQ(Header(response, "Set-Cookie"), "");
}

TEST_F(LoginPagesTest, LogoutEndsTheSessionAndExpiresTheCookie) {
  Browser ana = Login(kAnaToken);
  WebResponse response = Post("/logout", {}, &ana);
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(Header(response, "Location"), "/");
  EXPECT_THAT(Header(response, "Set-Cookie"), StartsWith("sv_session=; "));
  EXPECT_THAT(Header(response, "Set-Cookie"), HasSubstr("Max-Age=0"));
  WebResponse after = Get("/annotate", &ana);
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(Header(after, "Location"), "/login");
}

TEST_F(LoginPagesTest, LogoutWithoutTheCsrfTokenKeepsTheSession) {
  Browser ana = Login(kAnaToken);
  WebResponse response = Post("/logout", {{"csrf", "forged"}}, &ana);
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(Get("/annotate", &ana).status, 200);
}

TEST_F(LoginPagesTest, LoggingInAgainReplacesTheSession) {
  Browser first = Login(kAnaToken);
  WebRequest request;
  request.method = "POST";
  request.path = "/login";
  request.cookies["sv_session"] = first.session;
  request.form.emplace("token", kBobToken);
  WebResponse response = app_->Handle(request);
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(Get("/annotate", &first).status, 303);  // the old id no longer works
}

}  // namespace
}  // namespace safeval::testing_pages
