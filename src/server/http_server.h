// HttpServer: WebApp (server/web_app.h) on a socket. httplib accepts connections on a pool of 16
// worker threads with a listen backlog of 1024 (DEPENDENCIES.md pitfall 2) and copies each
// request into a WebRequest; WebApp serialises what touches the stores. Request bodies over
// 1 MiB are refused (413).
//
// Thread-safety: Start() and Stop() from the owning thread; Stop() may also be called from
// another thread while Start()'s caller waits in Wait().
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "server/web_app.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace safeval {

class HttpServer {
 public:
  // `app` must outlive the server.
  explicit HttpServer(WebApp& app);
  ~HttpServer();  // Stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0: any free port) and starts serving on a thread of its own; the
  // server accepts connections when it returns. Unavailable "cannot listen on HOST:PORT: ..."
  // when the port is taken or the host is not an address of this machine.
  Status Start(const std::string& host, int port);
  // The port bound by Start() (0 before).
  int port() const { return port_; }
  // Stops accepting, finishes the requests in progress and joins the thread. Idempotent.
  void Stop();

 private:
  WebApp& app_;
  std::unique_ptr<httplib::Server> server_;
  struct Thread;
  std::unique_ptr<Thread> thread_;
  int port_ = 0;
};

}  // namespace safeval
