#include "testing/mock_http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace safeval::testing {
namespace {

constexpr int kWorkerThreads = 64;
constexpr int kListenBacklog = 1024;
constexpr char kAnyPath[] = R"(/.*)";

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

MockHttpServer::MockHttpServer(Handler handler)
    : handler_(handler ? std::move(handler) : Handler([](const MockHttpRequest&, int) {
        return MockReply{200, "{}", {}, 0};
      })),
      server_(std::make_unique<httplib::Server>()) {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_timeout(1);
  server_->set_tcp_nodelay(true);
  int listen_fd = -1;
  server_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  auto serve = [this](const httplib::Request& request, httplib::Response& response) {
    Serve(request, response);
  };
  server_->Get(kAnyPath, serve);
  server_->Post(kAnyPath, serve);
  server_->Put(kAnyPath, serve);
  server_->Patch(kAnyPath, serve);
  server_->Delete(kAnyPath, serve);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0 || listen_fd < 0) throw std::runtime_error("mock server: cannot bind a port");
  ::listen(listen_fd, kListenBacklog);
  server_->set_socket_options(httplib::default_socket_options);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

MockHttpServer::~MockHttpServer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  server_->stop();
  thread_.join();
}

std::string MockHttpServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

int MockHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(recorded_.size());
}

std::vector<MockHttpRequest> MockHttpServer::recorded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return recorded_;
}

int MockHttpServer::Record(MockHttpRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  recorded_.push_back(std::move(request));
  return static_cast<int>(recorded_.size()) - 1;
}

void MockHttpServer::Sleep(int delay_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  stopping_cv_.wait_for(lock, std::chrono::milliseconds(delay_ms), [this] { return stopping_; });
}

void MockHttpServer::Serve(const httplib::Request& request, httplib::Response& response) {
  MockHttpRequest seen;
  seen.method = request.method;
  seen.path = request.path;
  size_t query = request.target.find('?');
  if (query != std::string::npos) seen.query = request.target.substr(query + 1);
  for (const auto& [name, value] : request.headers) seen.headers[Lower(name)] = value;
  seen.body = request.body;
  MockHttpRequest copy = seen;
  int number = Record(std::move(seen));
  MockReply reply = handler_(copy, number);
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
}

}  // namespace safeval::testing
