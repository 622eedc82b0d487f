// A loopback OpenAI-compatible chat endpoint for tests: POST /v1/chat/completions on
// 127.0.0.1 at a free port, answered by a scriptable handler, recording what it saw.
//
// It is ready when the constructor returns and stops (joining its threads) in the
// destructor; replies still being delayed are cut short then. It is built for bursts of
// hundreds of parallel requests (listen backlog 1024, 64 worker threads, short keep-alive),
// see DEPENDENCIES.md pitfall 2.
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

class MockOpenAiServer {
 public:
  // Gets the raw request body (JSON text as the client sent it) and the 0-based number
  // of the request in order of arrival.
  using Handler = std::function<MockReply(const std::string& body, int request_number)>;

  // Without a handler, DefaultReply answers. Throws std::runtime_error when it cannot
  // bind a port (test support only: production code never throws).
  explicit MockOpenAiServer(Handler handler = {});
  ~MockOpenAiServer();
  MockOpenAiServer(const MockOpenAiServer&) = delete;
  MockOpenAiServer& operator=(const MockOpenAiServer&) = delete;

  int port() const { return server_.port(); }
  std::string base_url() const;  // "http://127.0.0.1:<port>/v1"
  int requests() const;          // POSTs to /v1/chat/completions seen so far
  // The most requests the handler was ever running at the same time.
  int max_concurrent() const;
  std::vector<std::string> request_bodies() const;  // in order of arrival
  // Headers of each request in order of arrival, names lower-cased.
  std::vector<std::map<std::string, std::string>> request_headers() const;

  // A well-formed chat.completion body answering `text`, with usage
  // {prompt_tokens: 10, completion_tokens: <words in text>}.
  static MockReply ChatReply(const std::string& text);
  // "I can't help with that." when the last message's content contains "[harmful]",
  // otherwise "Here is an answer." (as ChatReply); 400 when the body is not a chat request.
  static MockReply DefaultReply(const std::string& body);

 private:
  void Serve(const httplib::Request& request, httplib::Response& response);
  int Enter(const std::string& body, std::map<std::string, std::string> headers);
  void Leave();

  Handler handler_;
  LoopbackServer server_;

  mutable std::mutex mu_;
  std::vector<std::string> bodies_;                          // GUARDED_BY(mu_)
  std::vector<std::map<std::string, std::string>> headers_;  // GUARDED_BY(mu_)
  int active_ = 0;                                           // GUARDED_BY(mu_)
  int max_concurrent_ = 0;                                   // GUARDED_BY(mu_)
};

}  // namespace safeval::testing
