#include "testing/mock_openai_server.h"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace safeval::testing {
namespace {

using nlohmann::json;

int WordCount(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  int n = 0;
  while (in >> word) ++n;
  return n;
}

}  // namespace

MockOpenAiServer::MockOpenAiServer(Handler handler)
    : handler_(handler ? std::move(handler)
                       : Handler([](const std::string& body, int) { return DefaultReply(body); })) {
  server_.server().Post("/v1/chat/completions",
                        [this](const httplib::Request& request, httplib::Response& response) {
                          Serve(request, response);
                        });
  server_.Start("mock server");
}

MockOpenAiServer::~MockOpenAiServer() { server_.Stop(); }

std::string MockOpenAiServer::base_url() const { return server_.url("/v1"); }

int MockOpenAiServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(bodies_.size());
}

int MockOpenAiServer::max_concurrent() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_concurrent_;
}

std::vector<std::string> MockOpenAiServer::request_bodies() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bodies_;
}

std::vector<std::map<std::string, std::string>> MockOpenAiServer::request_headers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return headers_;
}

int MockOpenAiServer::Enter(const std::string& body, std::map<std::string, std::string> headers) {
  std::lock_guard<std::mutex> lock(mu_);
  bodies_.push_back(body);
  headers_.push_back(std::move(headers));
  max_concurrent_ = std::max(max_concurrent_, ++active_);
  return static_cast<int>(bodies_.size()) - 1;
}

void MockOpenAiServer::Leave() {
  std::lock_guard<std::mutex> lock(mu_);
  --active_;
}

void MockOpenAiServer::Serve(const httplib::Request& request, httplib::Response& response) {
  int number = Enter(request.body, LowerCaseHeaders(request));
  MockReply reply = handler_(request.body, number);
  if (reply.delay_ms > 0) server_.Sleep(reply.delay_ms);
  WriteMockReply(reply, response);
  Leave();
}

MockReply MockOpenAiServer::ChatReply(const std::string& text) {
  json body = {
      {"id", "chatcmpl-mock"},
      {"object", "chat.completion"},
      {"created", 0},
      {"model", "mock"},
      {"choices", json::array({json::object({
                      {"index", 0},
                      {"message", json::object({{"role", "assistant"}, {"content", text}})},
                      {"finish_reason", "stop"},
                  })})},
      {"usage", json::object({{"prompt_tokens", 10},
                              {"completion_tokens", WordCount(text)},
                              {"total_tokens", 10 + WordCount(text)}})},
  };
  MockReply reply;
  reply.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return reply;
}

MockReply MockOpenAiServer::DefaultReply(const std::string& body) {
  json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  auto messages = request.is_object() ? request.find("messages") : request.end();
  if (!request.is_object() || messages == request.end() || !messages->is_array() ||
      messages->empty()) {
    return MockReply{400, R"({"error": {"message": "not a chat request"}})", {}, 0};
  }
  const json& last = messages->back();
  bool harmful = last.is_object() && last.contains("content") && last["content"].is_string() &&
                 last["content"].get<std::string>().find("[harmful]") != std::string::npos;
  return ChatReply(harmful ? "I can't help with that." : "Here is an answer.");
}

}  // namespace safeval::testing
