// Tests of the images client against a loopback mock endpoint: the generation request's
// shape, base64 and URL replies turned into media, mime sniffing, malformed replies,
// download failures, secrets kept out of errors, cancel during a download; and of the
// plain download helper (size cap, protocols).
#include "model/images_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/base64.h"
#include "model/http_download.h"
#include "model/image_type.h"
#include "testing/mock_http_server.h"
#include "testing/model_client_runs.h"

namespace safeval {
namespace {

using nlohmann::json;
using testing::MockHttpRequest;
using testing::MockHttpServer;
using testing::MockReply;
using testing::Outcome;
using testing::RunAll;

constexpr char kKey[] = "sk-img-5ecret-key-0123";

// Tiny fixture images: the magic bytes plus a few more.
const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string kJpeg("\xff\xd8\xff\xe0\0\x10JFIF", 10);

ImagesOptions TestOptions(const std::string& base_url) {
  ImagesOptions options;
  options.base_url = base_url;
  options.model = "img-model";
  options.concurrency = 2;
  options.timeout_ms = 10000;
  options.connect_timeout_ms = 5000;
  options.retry = {2, 5, 50};  // small backoff: tests stay fast
  return options;
}

std::unique_ptr<ModelClient> MustMake(const ImagesOptions& options, Clock& clock) {
  return testing::MustMake(MakeImagesClient(options, clock));
}

ModelReply RunOne(ModelClient& client, ModelRequest request = {1, {{"user", "a red cube"}}}) {
  return testing::RunOne(client, std::move(request));
}

MockReply Json(const json& body, int status = 200) { return MockReply{status, body.dump(), {}, 0}; }

// A server whose generation endpoint answers `generation` and whose other paths serve
// `files` (path -> body; 404 for the rest).
MockHttpServer::Handler Endpoint(MockReply generation,
                                 std::map<std::string, MockReply> files = {}) {
  return [generation, files](const MockHttpRequest& request, int) {
    if (request.method == "POST" && request.path == "/v1/images/generations") return generation;
    auto it = files.find(request.path);
    return it != files.end() ? it->second : MockReply{404, "not found", {}, 0};
  };
}

TEST(ImagesOptions, ValidationNamesTheField) {
  ImagesOptions good = TestOptions("http://127.0.0.1:1/v1");
  EXPECT_TRUE(ValidateImagesOptions(good).ok());
  struct Case {
    std::function<void(ImagesOptions&)> change;
    std::string message;
  };
  std::vector<Case> cases = {
      {[](ImagesOptions& o) { o.base_url = "ftp://x"; },
       "base_url must start with http:// or https://, got \"ftp://x\""},
      {[](ImagesOptions& o) { o.model = ""; }, "model is required"},
      {[](ImagesOptions& o) { o.response_format = "png"; },
       "response_format must be \"url\" or \"b64_json\", got \"png\""},
      {[](ImagesOptions& o) { o.concurrency = 0; }, "concurrency must be in 1..4096, got 0"},
      {[](ImagesOptions& o) { o.timeout_ms = 0; }, "timeout_ms must be > 0"},
      {[](ImagesOptions& o) { o.api_key = std::string(kKey) + "\n"; },
       "api_key contains a line break"},
  };
  for (const Case& c : cases) {
    ImagesOptions options = good;
    c.change(options);
    Status status = ValidateImagesOptions(options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(status.message(), c.message);
    SystemClock clock;
    EXPECT_FALSE(MakeImagesClient(options, clock).ok());
  }
}

TEST(ImagesClient, SendsTheGenerationRequestShape) {
  MockHttpServer server(Endpoint(Json({{"data", {{{"b64_json", Base64Encode(kPng)}}}}})));
  SystemClock clock;
  ImagesOptions options = TestOptions(server.url("/v1/"));
  options.api_key = kKey;
  options.headers = {{"X-Team", "safety"}};
  options.size = "256x256";
  options.response_format = "b64_json";
  std::unique_ptr<ModelClient> client = MustMake(options, clock);
  EXPECT_EQ(client->Identity(), "images:img-model@" + server.url("/v1"));
  ModelRequest request{5, {{"user", "a cat"}, {"assistant", "which cat?"}, {"user", "a red cube"}}};
  ModelReply reply = RunOne(*client, request);
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.tag, 5u);
  ASSERT_EQ(server.requests(), 1);
  MockHttpRequest seen = server.recorded()[0];
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/v1/images/generations");
  EXPECT_EQ(json::parse(seen.body), json::parse(R"({"model":"img-model","prompt":"a red cube",
      "n":1,"size":"256x256","response_format":"b64_json"})"));
  EXPECT_EQ(seen.headers["authorization"], std::string("Bearer ") + kKey);
  EXPECT_EQ(seen.headers["x-team"], "safety");
}

TEST(ImagesClient, LeavesOutUnsetOptionalFields) {
  MockHttpServer server(Endpoint(Json({{"data", {{{"b64_json", Base64Encode(kPng)}}}}})));
  SystemClock clock;
  ASSERT_TRUE(RunOne(*MustMake(TestOptions(server.url("/v1")), clock)).ok);
  MockHttpRequest seen = server.recorded()[0];
  EXPECT_EQ(json::parse(seen.body),
            json::parse(R"({"model":"img-model","prompt":"a red cube","n":1})"));
  EXPECT_EQ(seen.headers.count("authorization"), 0u);
}

TEST(ImagesClient, DecodesBase64IntoMedia) {
  json body = {{"created", 1},
               {"data", {{{"b64_json", Base64Encode(kPng)}, {"revised_prompt", "A red cube."}}}}};
  MockHttpServer server(Endpoint(Json(body)));
  SystemClock clock;
  ModelReply reply = RunOne(*MustMake(TestOptions(server.url("/v1")), clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "A red cube.");
  EXPECT_EQ(reply.http_status, 200);
  ASSERT_TRUE(reply.media.has_value());
  EXPECT_EQ(reply.media->data, kPng);
  EXPECT_EQ(reply.media->mime_type, "image/png");
  EXPECT_EQ(reply.media->source_url, "");
}

TEST(ImagesClient, DownloadsAUrlWithoutCredentials) {
  std::string url;  // set once the server (and so the port) exists
  MockHttpServer real([&url](const MockHttpRequest& request, int) {
    if (request.method == "POST") return Json({{"data", {{{"url", url}}}}});
    if (request.path == "/files/cube.jpg")
      return MockReply{200, kJpeg, {{"Content-Type", "image/jpeg"}}, 0};
    return MockReply{404, "", {}, 0};
  });
  url = real.url("/files/cube.jpg?sig=abc");
  SystemClock clock;
  ImagesOptions options = TestOptions(real.url("/v1"));
  options.api_key = kKey;
  options.headers = {{"X-Api-Token", "tok-9"}, {"X-Team", "safety"}};
  ModelReply reply = RunOne(*MustMake(options, clock));
  ASSERT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "");
  ASSERT_TRUE(reply.media.has_value());
  EXPECT_EQ(reply.media->data, kJpeg);
  EXPECT_EQ(reply.media->mime_type, "image/jpeg");
  EXPECT_EQ(reply.media->source_url, url);
  std::vector<MockHttpRequest> seen = real.recorded();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].method, "GET");
  EXPECT_EQ(seen[1].query, "sig=abc");
  EXPECT_EQ(seen[1].headers.count("authorization"), 0u) << "the key went to the file host";
  EXPECT_EQ(seen[1].headers.count("x-api-token"), 0u);
  EXPECT_EQ(seen[1].headers.count("x-team"), 0u);
}

TEST(ImagesClient, AFailedDownloadFailsTheRequest) {
  std::string url;
  MockHttpServer server([&url](const MockHttpRequest& request, int) {
    if (request.method == "POST") return Json({{"data", {{{"url", url}}}}});
    return MockReply{404, "gone", {}, 0};
  });
  // The key in the URL is contrived, but shows that errors are redacted.
  url = server.url(std::string("/files/") + kKey + ".png");
  SystemClock clock;
  ImagesOptions options = TestOptions(server.url("/v1"));
  options.api_key = kKey;
  ModelReply reply = RunOne(*MustMake(options, clock));
  EXPECT_FALSE(reply.ok);
  EXPECT_FALSE(reply.media.has_value());
  EXPECT_EQ(reply.http_status, 404);
  EXPECT_EQ(reply.error, "download failed: " + server.url("/files/[redacted].png") + ": HTTP 404");
}

TEST(ImagesClient, MalformedRepliesNameTheField) {
  struct Case {
    std::string body;
    std::string message;
  };
  std::vector<Case> cases = {
      {"not json", "the body is not JSON"},
      {R"({"data": []})", "no data[0] in the reply"},
      {R"({"data": [5]})", "data[0] is not an object"},
      {R"({"data": [{}]})", "data[0] has neither b64_json nor url"},
      {R"({"data": [{"b64_json": 5}]})", "data[0].b64_json is not a string"},
      {R"({"data": [{"b64_json": "iVBO!!"}]})",
       "data[0].b64_json is not valid base64 (invalid base64: unexpected character at offset 4)"},
      {R"({"data": [{"url": "file:///etc/passwd"}]})",
       "data[0].url must start with http:// or https://, got \"file:///etc/passwd\""},
      {R"({"data": [{"url": "http://h/x.png", "revised_prompt": 3}]})",
       "data[0].revised_prompt is not a string"},
      {R"({"error": {"message": "billing hard limit"}})",
       "the endpoint returned an error: billing hard limit"},
  };
  for (const Case& c : cases) {
    MockHttpServer server(Endpoint(MockReply{200, c.body, {}, 0}));
    SystemClock clock;
    ModelReply reply = RunOne(*MustMake(TestOptions(server.url("/v1")), clock));
    EXPECT_FALSE(reply.ok) << c.body;
    EXPECT_TRUE(
        reply.error.starts_with("malformed reply after 2 attempts: " + c.message + "; body: "))
        << reply.error;
    EXPECT_EQ(server.requests(), 2) << "a malformed body is retried once";
  }
}

TEST(ImagesClient, CancelDuringADownloadDeliversNothing) {
  std::string url;
  MockHttpServer server([&url](const MockHttpRequest& request, int) {
    if (request.method == "POST") return Json({{"data", {{{"url", url}}}}});
    return MockReply{200, kPng, {{"Content-Type", "image/png"}}, 30000};  // cut short at exit
  });
  url = server.url("/files/slow.png");
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    SystemClock real;
    for (int i = 0; i < 1000 && server.requests() < 2; ++i) real.SleepMs(10);
    cancel = true;
  });
  SystemClock clock;
  ImagesOptions options = TestOptions(server.url("/v1"));
  options.timeout_ms = 60000;
  Outcome out = RunAll(*MustMake(options, clock), {{1, {{"user", "slow"}}}}, &cancel);
  canceller.join();
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_TRUE(out.replies.empty());
}

TEST(ImageType, SniffsMagicBytes) {
  EXPECT_EQ(SniffImageMimeType(kPng), "image/png");
  EXPECT_EQ(SniffImageMimeType(kJpeg), "image/jpeg");
  EXPECT_EQ(SniffImageMimeType("GIF87a..."), "image/gif");
  EXPECT_EQ(SniffImageMimeType("GIF89a..."), "image/gif");
  EXPECT_EQ(SniffImageMimeType(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(SniffImageMimeType(std::string("RIFF\x10\0\0\0WAVEfmt ", 16)),
            "application/octet-stream");
  EXPECT_EQ(SniffImageMimeType("\x89PN"), "application/octet-stream");
  EXPECT_EQ(SniffImageMimeType(""), "application/octet-stream");
  EXPECT_EQ(SniffImageMimeType("<svg/>"), "application/octet-stream");
}

TEST(HttpDownload, CapsTheSize) {
  MockHttpServer server([](const MockHttpRequest&, int) {
    return MockReply{200, std::string(100, 'x'), {{"Content-Type", "image/png"}}, 0};
  });
  DownloadOptions options;
  options.max_bytes = 10;
  DownloadResult got = HttpDownload(server.url("/big"), options);
  EXPECT_FALSE(got.ok);
  EXPECT_EQ(got.error, "larger than 10 bytes");
  EXPECT_TRUE(got.body.empty());
  options.max_bytes = 100;
  got = HttpDownload(server.url("/big"), options);
  EXPECT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.body.size(), 100u);
}

TEST(HttpDownload, FollowsOnlyHttpRedirects) {
  MockHttpServer server([](const MockHttpRequest& request, int) {
    if (request.path == "/to-file")
      return MockReply{302, "", {{"Location", "file:///etc/hostname"}}, 0};
    if (request.path == "/to-png") return MockReply{302, "", {{"Location", "/png"}}, 0};
    return MockReply{200, kPng, {{"Content-Type", "image/png"}}, 0};
  });
  DownloadResult got = HttpDownload(server.url("/to-png"), {});
  EXPECT_TRUE(got.ok) << got.error;
  EXPECT_EQ(got.body, kPng);
  got = HttpDownload(server.url("/to-file"), {});
  EXPECT_FALSE(got.ok);
  EXPECT_TRUE(got.body.empty());
  got = HttpDownload("file:///etc/hostname", {});
  EXPECT_FALSE(got.ok);
  EXPECT_EQ(got.http_status, 0);
  EXPECT_TRUE(got.body.empty());
}

}  // namespace
}  // namespace safeval
