#include "server/http_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace safeval {
namespace {

constexpr int kWorkerThreads = 16;
constexpr int kListenBacklog = 1024;
constexpr size_t kMaxBodyBytes = 1 << 20;

// SO_REUSEADDR only: httplib's defaults add SO_REUSEPORT, with which a second server binds a
// port another one is listening on instead of failing.
void ListenSocketOptions(socket_t sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
}

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

WebRequest ToWebRequest(const httplib::Request& in) {
  WebRequest out;
  out.method = in.method;
  out.path = in.path;  // httplib has percent-decoded it already
  // From the target, not in.params: httplib also puts a form body's fields there.
  size_t question = in.target.find('?');
  if (question != std::string::npos) ParseUrlEncoded(in.target.substr(question + 1), &out.query);
  for (const auto& [name, value] : in.headers) out.headers[LowerAscii(name)] = value;
  std::string content_type = LowerAscii(in.get_header_value("Content-Type"));
  if (content_type.starts_with("application/x-www-form-urlencoded"))
    ParseUrlEncoded(in.body, &out.form);
  out.cookies = ParseCookies(in.get_header_value("Cookie"));
  return out;
}

void WriteResponse(const WebResponse& in, httplib::Response& out) {
  out.status = in.status;
  for (const auto& [name, value] : in.headers) out.headers.emplace(name, value);
  out.set_content(in.body, in.content_type.c_str());
}

}  // namespace

struct HttpServer::Thread {
  std::thread thread;
};

HttpServer::HttpServer(WebApp& app)
    : app_(app), server_(std::make_unique<httplib::Server>()), thread_(std::make_unique<Thread>()) {
  // Pitfall 2b: keep-alive pins a worker per connection; keep it short.
  server_->new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server_->set_keep_alive_timeout(2);
  server_->set_payload_max_length(kMaxBodyBytes);
  auto handle = [this](const httplib::Request& request, httplib::Response& response) {
    WriteResponse(app_.Handle(ToWebRequest(request)), response);
  };
  // Every path goes to WebApp, which routes (and answers 404/405) itself.
  server_->Get(".*", handle);
  server_->Post(".*", handle);
  server_->Put(".*", handle);
  server_->Delete(".*", handle);
  server_->Patch(".*", handle);
  server_->Options(".*", handle);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& host, int port) {
  // Pitfall 2a: httplib listens with a backlog of 5; capture the socket to listen again.
  int listen_fd = -1;
  server_->set_socket_options([&listen_fd](socket_t sock) {
    ListenSocketOptions(sock);
    listen_fd = sock;
  });
  errno = 0;
  int bound = port == 0 ? server_->bind_to_any_port(host.c_str())
                        : (server_->bind_to_port(host.c_str(), port) ? port : -1);
  int error = errno;
  server_->set_socket_options(ListenSocketOptions);  // drop the &listen_fd capture
  if (bound <= 0 || listen_fd < 0) {
    return Status::Unavailable("cannot listen on " + host + ":" + std::to_string(port) +
                               (error != 0 ? std::string(": ") + std::strerror(error) : ""));
  }
  ::listen(listen_fd, kListenBacklog);
  port_ = bound;
  thread_->thread = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return Status::Ok();
}

void HttpServer::Stop() {
  if (!thread_->thread.joinable()) return;
  server_->stop();
  thread_->thread.join();
}

}  // namespace safeval
