// A loopback HTTP endpoint for adapter tests that do not speak the OpenAI chat API
// (anthropic, http targets): any method, any path, on 127.0.0.1 at a free port, answered
// by a scriptable handler, recording every request it saw.
//
// Ready when the constructor returns; stops (joining its threads) in the destructor,
// cutting delayed replies short. Built for bursts of parallel requests like
// MockOpenAiServer (listen backlog 1024, 64 worker threads, short keep-alive; see
// DEPENDENCIES.md pitfall 2).
//
// Thread-safety: all methods are thread-safe; the handler runs on the server's worker
// threads, possibly many at once, so it must be thread-safe too.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "testing/loopback_server.h"  // LoopbackServer, MockReply

namespace safeval::testing {

struct MockHttpRequest {
  std::string method;                          // "POST", "PUT", "GET", ...
  std::string path;                            // e.g. "/v1/messages" (without the query string)
  std::string query;                           // the raw query string without '?', "" when none
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class MockHttpServer {
 public:
  // Gets the request and its 0-based number in order of arrival.
  using Handler = std::function<MockReply(const MockHttpRequest& request, int request_number)>;

  // Without a handler every request gets 200 with the body "{}". Throws
  // std::runtime_error when it cannot bind a port (test support only).
  explicit MockHttpServer(Handler handler = {});
  ~MockHttpServer();
  MockHttpServer(const MockHttpServer&) = delete;
  MockHttpServer& operator=(const MockHttpServer&) = delete;

  int port() const { return server_.port(); }
  // "http://127.0.0.1:<port>" + path
  std::string url(const std::string& path = "") const { return server_.url(path); }
  int requests() const;
  std::vector<MockHttpRequest> recorded() const;  // in order of arrival

 private:
  void Serve(const httplib::Request& request, httplib::Response& response);
  int Record(MockHttpRequest request);

  Handler handler_;
  LoopbackServer server_;

  mutable std::mutex mu_;
  std::vector<MockHttpRequest> recorded_;  // GUARDED_BY(mu_)
};

}  // namespace safeval::testing
