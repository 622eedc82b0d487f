#include "testing/loopback_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cctype>
#include <chrono>
#include <stdexcept>

namespace safeval::testing {
namespace {

constexpr int kWorkerThreads = 64;
constexpr int kListenBacklog = 1024;

}  // namespace

LoopbackServer::LoopbackServer() : server_(std::make_unique<httplib::Server>()) {
  // Pitfall 2b: keep-alive pins a worker per connection; plenty of workers, short timeout.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_timeout(1);
  server_->set_tcp_nodelay(true);  // no Nagle/delayed-ACK stalls of ~40 ms on reused connections
}

LoopbackServer::~LoopbackServer() { Stop(); }

void LoopbackServer::Start(const std::string& who) {
  // Pitfall 2a: httplib listens with a backlog of 5; capture the socket to listen again.
  int listen_fd = -1;
  server_->set_socket_options([&listen_fd](socket_t sock) {
    httplib::default_socket_options(sock);
    listen_fd = sock;
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  server_->set_socket_options(httplib::default_socket_options);  // drop the &listen_fd capture
  if (port_ <= 0 || listen_fd < 0) throw std::runtime_error(who + ": cannot bind a port");
  ::listen(listen_fd, kListenBacklog);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void LoopbackServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  stopping_cv_.notify_all();
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
  }
}

std::string LoopbackServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

bool LoopbackServer::Sleep(int ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return !stopping_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::map<std::string, std::string> LowerCaseHeaders(const httplib::Request& request) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) headers[LowerAscii(name)] = value;
  return headers;
}

void WriteMockReply(const MockReply& reply, httplib::Response& response) {
  response.status = reply.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : reply.headers) {
    if (LowerAscii(name) == "content-type") {
      content_type = value;
    } else {
      response.set_header(name.c_str(), value);
    }
  }
  response.set_content(reply.body, content_type.c_str());
}

}  // namespace safeval::testing
