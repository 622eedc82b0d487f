// Tests of HttpServer over loopback: requests reach WebApp with their fields copied (query,
// form, lower-case headers, cookies), responses keep their status and headers, a taken port
// is a clear error.
#include "server/http_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include "store/annotation_store.h"

namespace safeval {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<SqliteStores> stores = OpenSqliteStores(":memory:");
    ASSERT_TRUE(stores.ok());
    stores_ = std::move(*stores);
    Result<Taxonomy> taxonomy = Taxonomy::Resolve("builtin:safeval-v1", ".");
    ASSERT_TRUE(taxonomy.ok());
    taxonomy_ = std::make_unique<Taxonomy>(std::move(*taxonomy));
    WebAppOptions options;
    options.runs = stores_.runs.get();
    options.annotations = stores_.annotations.get();
    options.taxonomy = taxonomy_.get();
    options.store_label = "test.db";
    app_ = std::make_unique<WebApp>(std::move(options));
  }

  SqliteStores stores_;
  std::unique_ptr<Taxonomy> taxonomy_;
  std::unique_ptr<WebApp> app_;
};

TEST_F(HttpServerTest, ServesTheAppOnAFreePort) {
  HttpServer server(*app_);
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  httplib::Result home = client.Get("/");
  ASSERT_TRUE(home);
  EXPECT_EQ(home->status, 200);
  EXPECT_NE(home->body.find("<table id=\"runs\">"), std::string::npos);
  EXPECT_EQ(home->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(home->get_header_value("Content-Type"), "text/html; charset=utf-8");
  httplib::Result missing = client.Get("/runs/no%20such");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("no run"), std::string::npos);
  EXPECT_NE(missing->body.find("no such"), std::string::npos);  // the path was decoded
  httplib::Result js = client.Get("/static/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  server.Stop();
  server.Stop();  // idempotent
}

TEST_F(HttpServerTest, FormsAndCookiesReachTheApp) {
  HttpServer server(*app_);
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  httplib::Client client("127.0.0.1", server.port());
  // A wrong token: the login handler read the form (401 with #login-error, not 400 or 403).
  httplib::Result login =
      client.Post("/login?x=1", "token=sv_nope", "application/x-www-form-urlencoded");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 401);
  EXPECT_NE(login->body.find("login-error"), std::string::npos);
  // A POST with an unknown session cookie goes to the login page; with a foreign Origin, 403.
  httplib::Headers headers = {{"Cookie", "sv_session=abc"}};
  httplib::Result logout =
      client.Post("/logout", headers, "csrf=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 303);
  EXPECT_EQ(logout->get_header_value("Location"), "/login");
  httplib::Headers foreign = {{"Origin", "http://evil.example"}};
  httplib::Result evil =
      client.Post("/login", foreign, "token=x", "application/x-www-form-urlencoded");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403);
}

TEST_F(HttpServerTest, ATakenPortIsAClearError) {
  HttpServer first(*app_);
  ASSERT_TRUE(first.Start("127.0.0.1", 0).ok());
  HttpServer second(*app_);
  Status taken = second.Start("127.0.0.1", first.port());
  EXPECT_EQ(taken.code(), StatusCode::kUnavailable);
  EXPECT_NE(taken.message().find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
            std::string::npos)
      << taken.message();
}

TEST_F(HttpServerTest, BodiesOverOneMebibyteAreRefused) {
  HttpServer server(*app_);
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  httplib::Client client("127.0.0.1", server.port());
  std::string body = "token=" + std::string(2 << 20, 'a');
  httplib::Result r = client.Post("/login", body, "application/x-www-form-urlencoded");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

}  // namespace
}  // namespace safeval
