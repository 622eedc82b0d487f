// The templated HTTP adapter against a loopback server: the rendered body, headers with
// the key, response-path fallbacks, status rules, GET and PUT, and creation errors.
#include "model/http_target_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/mock_http_server.h"
#include "testing/model_client_runs.h"

namespace safeval {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using testing::MockHttpRequest;
using testing::MockHttpServer;
using testing::MockReply;
using ::testing::Not;

constexpr char kKey[] = "tok-5ecret-0123";

HttpTargetOptions Options(const std::string& url) {
  HttpTargetOptions o;
  o.url = url;
  o.body_template = R"({"input": "{{prompt}}", "app": "{{var.app}}"})";
  o.variables = {{"app", "assistant-v2"}};
  o.response_paths = {"/output/text"};
  o.concurrency = 2;
  o.timeout_ms = 10000;
  o.retry = {3, 5, 50};
  return o;
}

// The replies of an Ok run of `requests` (a test failure when the run is not Ok).
std::vector<ModelReply> RunAll(ModelClient& client, std::vector<ModelRequest> requests) {
  testing::Outcome out = testing::RunAll(client, std::move(requests));
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  return std::move(out.replies);
}

ModelReply RunOne(ModelClient& client, const std::string& prompt = "hello") {
  return testing::RunOne(client, {1, {{"user", prompt}}});
}

std::unique_ptr<ModelClient> MustMake(const HttpTargetOptions& o, Clock& clock) {
  return testing::MustMake(MakeHttpTargetClient(o, clock));
}

MockReply Json(int status, const std::string& body) { return MockReply{status, body, {}, 0}; }

TEST(HttpTargetClient, PostsTheRenderedBodyWithTheKeyInAHeader) {
  MockHttpServer server([](const MockHttpRequest&, int) {
    return Json(200, R"({"output": {"text": "Here you go."}})");
  });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/api/generate?v=2"));
  o.api_key = kKey;
  o.headers = {{"Authorization", "Bearer {{api_key}}"}, {"X-Team", "safety"}};
  auto client = MustMake(o, clock);
  EXPECT_EQ(client->Identity(), "http:POST " + server.url("/api/generate?v=2"));
  const std::string prompt = "Quote \"this\"\nand C:\\path \x01 é";
  ModelReply reply = RunOne(*client, prompt);
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "Here you go.");
  EXPECT_EQ(reply.prompt_tokens, -1);

  MockHttpRequest seen = server.recorded().at(0);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/api/generate");
  EXPECT_EQ(seen.query, "v=2");
  EXPECT_EQ(seen.headers["authorization"], std::string("Bearer ") + kKey);
  EXPECT_EQ(seen.headers["x-team"], "safety");
  EXPECT_EQ(seen.headers["content-type"], "application/json");
  json body = json::parse(seen.body);
  EXPECT_EQ(body, json({{"input", prompt}, {"app", "assistant-v2"}}));
}

TEST(HttpTargetClient, MessagesJsonCarriesTheWholeConversation) {
  MockHttpServer server([](const MockHttpRequest&, int) { return Json(200, R"({"r": "ok"})"); });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/chat"));
  o.body_template = R"({"history": {{messages_json}}, "sys": "{{system}}"})";
  o.system_prompt = "Be safe.";
  o.response_paths = {"/r"};
  auto client = MustMake(o, clock);
  std::vector<ModelReply> replies =
      RunAll(*client, {{1, {{"user", "a"}, {"assistant", "b"}, {"user", "c"}}}});
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].ok) << replies[0].error;
  json body = json::parse(server.recorded().at(0).body);
  EXPECT_EQ(body["sys"], "Be safe.");
  EXPECT_EQ(body["history"], json::parse(R"([{"role": "system", "content": "Be safe."},
      {"role": "user", "content": "a"}, {"role": "assistant", "content": "b"},
      {"role": "user", "content": "c"}])"));
}

TEST(HttpTargetClient, ResponsePathsAreTriedInOrder) {
  // The first path misses, the second holds a number, the third a string.
  MockHttpServer server([](const MockHttpRequest&, int) {
    return Json(200, R"({"result": {"score": 3}, "choices": [{"text": "fallback"}]})");
  });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.response_paths = {"/output/text", "/result/score", "/choices/0/text"};
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.text, "fallback");
}

TEST(HttpTargetClient, NoStringAtAnyPathIsMalformedNamingThePaths) {
  MockHttpServer server([](const MockHttpRequest&, int) { return Json(200, R"({"a": null})"); });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.response_paths = {"/a", "/b/0"};
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 2);  // a malformed body is retried once
  EXPECT_THAT(reply.error, HasSubstr("malformed reply"));
  EXPECT_THAT(reply.error, HasSubstr(R"(no string at any of the response paths "/a", "/b/0")"));
}

TEST(HttpTargetClient, AStatusInOkStatusesIsAReply) {
  // A filter that answers with 400 and a message the user wants judged as the answer.
  MockHttpServer server([](const MockHttpRequest&, int) {
    return Json(400, R"({"error": {"message": "Blocked by the content filter."}})");
  });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.response_paths = {"/output/text", "/error/message"};
  o.ok_statuses = {200, 400};
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.http_status, 400);
  EXPECT_EQ(reply.text, "Blocked by the content filter.");
}

TEST(HttpTargetClient, A2xxOutsideOkStatusesFailsWithoutRetry) {
  MockHttpServer server(
      [](const MockHttpRequest&, int) { return Json(202, R"({"output": {"text": "queued"}})"); });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.ok_statuses = {200};
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_THAT(reply.error, HasSubstr("HTTP 202 after 1 attempt"));
}

TEST(HttpTargetClient, TooManyRequestsAndServerErrorsAreRetried) {
  MockHttpServer server([](const MockHttpRequest&, int n) {
    if (n == 0) return MockReply{429, "slow down", {{"Retry-After", "0"}}, 0};
    if (n == 1) return Json(503, "unavailable");
    return Json(200, R"({"output": {"text": "finally"}})");
  });
  SystemClock clock;
  auto client = MustMake(Options(server.url("/x")), clock);
  ModelReply reply = RunOne(*client);
  EXPECT_TRUE(reply.ok) << reply.error;
  EXPECT_EQ(reply.attempts, 3);
  EXPECT_EQ(reply.text, "finally");
}

TEST(HttpTargetClient, ClientErrorsFailAtOnceAndNeverShowTheKey) {
  MockHttpServer server([](const MockHttpRequest& r, int) {
    return Json(401, "bad token: " + r.headers.at("x-api-key"));
  });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.api_key = kKey;
  o.headers = {{"X-Api-Key", "{{api_key}}"}};
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_FALSE(reply.ok);
  EXPECT_EQ(reply.attempts, 1);
  EXPECT_THAT(reply.error, HasSubstr("HTTP 401"));
  EXPECT_THAT(reply.error, HasSubstr("[redacted]"));
  EXPECT_THAT(reply.error, Not(HasSubstr(kKey)));
}

TEST(HttpTargetClient, GetSendsNoBody) {
  MockHttpServer server(
      [](const MockHttpRequest&, int) { return Json(200, R"({"output": {"text": "pong"}})"); });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/ping"));
  o.method = "GET";
  o.body_template.clear();
  auto client = MustMake(o, clock);
  ModelReply reply = RunOne(*client);
  EXPECT_TRUE(reply.ok) << reply.error;
  MockHttpRequest seen = server.recorded().at(0);
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.body, "");
  EXPECT_EQ(seen.headers.count("content-type"), 0u);
  EXPECT_EQ(seen.headers.count("content-length"), 0u);
}

TEST(HttpTargetClient, PutSendsTheBody) {
  MockHttpServer server(
      [](const MockHttpRequest&, int) { return Json(200, R"({"output": {"text": "stored"}})"); });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/x"));
  o.method = "PUT";
  auto client = MustMake(o, clock);
  EXPECT_TRUE(RunOne(*client, "p").ok);
  MockHttpRequest seen = server.recorded().at(0);
  EXPECT_EQ(seen.method, "PUT");
  EXPECT_EQ(json::parse(seen.body)["input"], "p");
}

TEST(DecodeHttpTargetReply, FollowsRfc6901Pointers) {
  auto at = [](const std::string& body, const std::string& path) {
    Result<DecodedReply> r = DecodeHttpTargetReply(body, {path});
    return r.ok() ? r->text : "<" + r.status().message() + ">";
  };
  EXPECT_EQ(at(R"({"a/b": {"m~n": "escaped"}})", "/a~1b/m~0n"), "escaped");
  EXPECT_EQ(at(R"({"list": ["x", "y"]})", "/list/1"), "y");
  EXPECT_EQ(at(R"("whole")", ""), "whole");
  EXPECT_EQ(at(R"({"": {"k": "empty key"}})", "//k"), "empty key");
  EXPECT_THAT(at(R"({"list": ["x"]})", "/list/-"), HasSubstr("no string"));
  EXPECT_THAT(at(R"({"list": ["x"]})", "/list/99999999999999999999999"), HasSubstr("no string"));
  EXPECT_THAT(at(R"({"list": ["x"]})", "/list/key"), HasSubstr("no string"));
  EXPECT_THAT(at("not json", "/a"), HasSubstr("not JSON"));
}

TEST(MakeHttpTargetClient, RejectsBadOptionsNamingTheField) {
  SystemClock clock;
  struct Case {
    std::function<void(HttpTargetOptions&)> change;
    std::string message;
  };
  const Case cases[] = {
      {[](HttpTargetOptions& o) { o.url = "localhost:8000/x"; }, "url must start with"},
      {[](HttpTargetOptions& o) { o.method = "DELETE"; }, "method must be POST, PUT or GET"},
      {[](HttpTargetOptions& o) { o.body_template.clear(); }, "body: required"},
      {[](HttpTargetOptions& o) { o.method = "GET"; }, "body: a GET request sends no body"},
      {[](HttpTargetOptions& o) { o.body_template = R"({"q": "{{promt}}"})"; },
       "body: unknown placeholder {{promt}}"},
      {[](HttpTargetOptions& o) { o.variables.clear(); }, "body: unknown variable 'app'"},
      {[](HttpTargetOptions& o) { o.body_template = R"({"q": {{prompt}}})"; },
       "body: not valid JSON"},
      {[](HttpTargetOptions& o) { o.body_template = R"({"q": "fixed"})"; },
       "neither {{prompt}} nor {{messages_json}}"},
      {[](HttpTargetOptions& o) { o.response_paths.clear(); }, "response_path: at least one"},
      {[](HttpTargetOptions& o) { o.response_paths = {"output/text"}; },
       "response_path: \"output/text\" is not a JSON pointer"},
      {[](HttpTargetOptions& o) { o.response_paths = {"/a~2"}; }, "response_path"},
      {[](HttpTargetOptions& o) {
         o.ok_statuses = {200, 99};
       },
       "ok_status: 99"},
      {[](HttpTargetOptions& o) {
         o.headers = {{"Authorization", "Bearer {{api_key}}"}};
       },
       "set api_key_env"},
      {[](HttpTargetOptions& o) {
         o.headers = {{"X", "{{var.app}}"}};
       },
       "headers: unknown placeholder"},
      {[](HttpTargetOptions& o) { o.concurrency = 0; }, "concurrency"},
  };
  for (const Case& c : cases) {
    HttpTargetOptions o = Options("http://127.0.0.1:9/x");
    c.change(o);
    Result<std::unique_ptr<ModelClient>> client = MakeHttpTargetClient(o, clock);
    ASSERT_FALSE(client.ok()) << c.message;
    EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(client.status().message(), HasSubstr(c.message));
  }
  EXPECT_TRUE(MakeHttpTargetClient(Options("https://api.example.com/x"), clock).ok());
}


// ---------------------------------------------------------------------------
// Tools: {{tools_json}}, the item's {{system}}, and tool calls at tool_calls_pointer.
// ---------------------------------------------------------------------------

std::string TestData(const std::string& name) {
  std::ifstream in(std::string(SAFEVAL_SOURCE_DIR) + "/src/model/testdata/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << "missing testdata " << name;
  return text.str();
}

TEST(HttpTargetReply, ReadsToolCallsOfEveryShapeAtThePointer) {
  Result<DecodedReply> reply = DecodeHttpTargetReply(
      TestData("http_custom_tool_calls_response.json"), {"/result/text"}, "/result/actions");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();  // no text, but tool calls
  EXPECT_EQ(reply->text, "");
  EXPECT_EQ(reply->tool_calls,
            (std::vector<ToolCall>{
                {"", "delete_records", R"({"table":"customers","where":"all"})"},
                {"act-2", "notify", R"({"channel":"#ops"})"},
                {"act-3", "run_shell", R"({"command":"[destructive command]"})"}}));

  reply = DecodeHttpTargetReply(TestData("http_custom_tool_calls_response.json"),
                                {"/result/output_text"}, "/result/actions");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->text, "");
  EXPECT_EQ(reply->tool_calls.size(), 3u);
}

TEST(HttpTargetReply, AnAbsentOrNullToolCallArrayIsNoCall) {
  for (const char* body : {R"({"out": "hi"})", R"({"out": "hi", "calls": null})",
                           R"({"out": "hi", "calls": []})"}) {
    Result<DecodedReply> reply = DecodeHttpTargetReply(body, {"/out"}, "/calls");
    ASSERT_TRUE(reply.ok()) << body;
    EXPECT_EQ(reply->text, "hi");
    EXPECT_TRUE(reply->tool_calls.empty()) << body;
  }
  // Neither text nor calls: malformed as before.
  Result<DecodedReply> reply = DecodeHttpTargetReply(R"({"calls": []})", {"/out"}, "/calls");
  ASSERT_FALSE(reply.ok());
  EXPECT_THAT(reply.status().message(), HasSubstr("no string at any of the response paths"));
}

TEST(HttpTargetReply, MalformedToolCallsNameThePointer) {
  Result<DecodedReply> reply =
      DecodeHttpTargetReply(R"({"out": "x", "calls": {"name": "f"}})", {"/out"}, "/calls");
  ASSERT_FALSE(reply.ok());
  EXPECT_THAT(reply.status().message(), HasSubstr("tool_calls_pointer \"/calls\" is not an array"));
  reply = DecodeHttpTargetReply(R"({"out": "x", "calls": [{"arguments": {}}]})", {"/out"},
                                "/calls");
  ASSERT_FALSE(reply.ok());
  EXPECT_THAT(reply.status().message(), HasSubstr("[0] has no function name"));
}

TEST(HttpTargetClient, RendersToolsAndTheItemSystemPromptAndReturnsToolCalls) {
  MockHttpServer server([](const MockHttpRequest&, int) {
    return Json(200, R"({"reply": {"text": "On it.", "calls": [
        {"name": "transfer_funds", "arguments": "{\"amount\": 10}"}]}})");
  });
  SystemClock clock;
  HttpTargetOptions o = Options(server.url("/agent"));
  o.body_template =
      R"({"sys": "{{system}}", "messages": {{messages_json}}, "tools": {{tools_json}}})";
  o.system_prompt = "Configured.";
  o.response_paths = {"/reply/text"};
  o.tool_calls_pointer = "/reply/calls";
  auto client = MustMake(o, clock);

  ModelRequest with_tools{1, {{"user", "pay the invoice"}}};
  with_tools.system = "Item prompt.";
  with_tools.tools_json = R"([{"type":"function","function":{"name":"transfer_funds"}}])";
  std::vector<ModelReply> replies = RunAll(*client, {with_tools, {2, {{"user", "hi"}}}});
  ASSERT_EQ(replies.size(), 2u);
  for (const ModelReply& reply : replies) {
    ASSERT_TRUE(reply.ok) << reply.error;
    EXPECT_EQ(reply.tool_calls,
              (std::vector<ToolCall>{{"", "transfer_funds", R"({"amount":10})"}}));
  }
  std::map<std::string, json> bodies;
  for (const MockHttpRequest& seen : server.recorded()) {
    json body = json::parse(seen.body);
    bodies[body["messages"].back()["content"]] = body;
  }
  EXPECT_EQ(bodies["pay the invoice"]["sys"], "Item prompt.");
  EXPECT_EQ(bodies["pay the invoice"]["messages"][0]["content"], "Item prompt.");
  EXPECT_EQ(bodies["pay the invoice"]["tools"], json::parse(with_tools.tools_json));
  EXPECT_EQ(bodies["hi"]["sys"], "Configured.");
  EXPECT_EQ(bodies["hi"]["tools"], json::array());
}

TEST(HttpTargetClient, RejectsAToolCallsPointerThatIsNotAPointer) {
  SystemClock clock;
  HttpTargetOptions o = Options("http://127.0.0.1:1/x");
  o.tool_calls_pointer = "calls";
  Status status = ValidateHttpTargetOptions(o);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("tool_calls_pointer: \"calls\" is not a JSON pointer"));
}

}  // namespace
}  // namespace safeval
