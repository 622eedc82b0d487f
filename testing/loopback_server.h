// The httplib plumbing the loopback mock endpoints share (MockOpenAiServer,
// MockHttpServer, FaultMockServer): a server on 127.0.0.1 at a free port, set up for
// bursts of hundreds of parallel requests (listen backlog 1024, 64 worker threads, short
// keep-alive, no Nagle; see DEPENDENCIES.md pitfall 2), plus the reply type and reply
// writing of the scriptable mocks.
//
// Thread-safety: Sleep() may be called from any thread (typically a handler on a worker
// thread); server(), Start() and Stop() belong to the owning mock's constructor/destructor.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace safeval::testing {

struct MockReply {
  int status = 200;
  std::string body;
  // Extra response headers, e.g. {"Retry-After", "1"}. Content-Type defaults to
  // application/json unless given here.
  std::map<std::string, std::string> headers;
  int delay_ms = 0;  // the reply is sent this much later (cut short when the server stops)
};

class LoopbackServer {
 public:
  LoopbackServer();  // a configured server, not listening yet
  ~LoopbackServer();  // Stop()
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  // For registering routes before Start().
  httplib::Server& server() { return *server_; }
  // Binds a free port on 127.0.0.1, listens with the large backlog and serves on a thread
  // of its own; the server is running when it returns. Throws std::runtime_error
  // "<who>: cannot bind a port" (test support only: production code never throws).
  void Start(const std::string& who);
  // Cuts Sleep()s short, stops the server and joins its thread. Idempotent. An owner
  // calls it first thing in its destructor, before the state its handlers use goes away.
  void Stop();

  int port() const { return port_; }
  std::string url(const std::string& path = "") const;  // "http://127.0.0.1:<port>" + path
  // Waits `ms`, or less when Stop() is called. False when the server is stopping.
  bool Sleep(int ms);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  std::mutex mu_;
  std::condition_variable stopping_cv_;
  bool stopping_ = false;  // GUARDED_BY(mu_)
};

// ASCII lower-case, for header names.
std::string LowerAscii(std::string text);
// The request's headers with lower-cased names (the last value wins on repeats).
std::map<std::string, std::string> LowerCaseHeaders(const httplib::Request& request);
// Writes `reply` (status, headers, body; Content-Type application/json unless the reply's
// headers name one) into `response`. Does not apply reply.delay_ms.
void WriteMockReply(const MockReply& reply, httplib::Response& response);

}  // namespace safeval::testing
