#include "testing/mock_openai_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace safeval::testing {
namespace {

using nlohmann::json;

constexpr int kWorkerThreads = 64;
constexpr int kListenBacklog = 1024;

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

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
                       : Handler([](const std::string& body, int) { return DefaultReply(body); })),
      server_(std::make_unique<httplib::Server>()) {
  // Pitfall 2b: keep-alive pins a worker per connection; plenty of workers, short timeout.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_timeout(1);
  server_->set_tcp_nodelay(true);  // no Nagle/delayed-ACK stalls of ~40 ms on reused connections
  // Pitfall 2a: httplib listens with a backlog of 5; capture the socket to listen again.
  int listen_fd = -1;
  server_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  server_->Post("/v1/chat/completions",
                [this](const httplib::Request& request, httplib::Response& response) {
                  Serve(request, response);
                });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0 || listen_fd < 0) throw std::runtime_error("mock server: cannot bind a port");
  ::listen(listen_fd, kListenBacklog);
  server_->set_socket_options(httplib::default_socket_options);  // drop the &listen_fd capture
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MockOpenAiServer::~MockOpenAiServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
  thread_.join();
}

std::string MockOpenAiServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/v1";
}

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

void MockOpenAiServer::Sleep(int delay_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  stopping_cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stopping_; });
}

void MockOpenAiServer::Serve(const httplib::Request& request, httplib::Response& response) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) headers[Lower(name)] = value;
  int number = Enter(request.body, std::move(headers));
  MockReply reply = handler_(request.body, number);
  if (reply.delay_ms > 0) Sleep(reply.delay_ms);
  response.status = reply.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : reply.headers) {
    if (Lower(name) == "content-type") {
      content_type = value;
    } else {
      response.set_header(name.c_str(), value);
    }
  }
  response.set_content(reply.body, content_type.c_str());
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
