// A loopback OpenAI-compatible chat endpoint that misbehaves on purpose: POST
// /v1/chat/completions on 127.0.0.1 at a free port, answering each request with a
// well-formed chat reply or with the fault a script picks for it -- HTTP errors, a reset
// connection, a stall, a slow, truncated, non-JSON, huge or invalid-UTF-8 body.
//
// A script decides per request: a fixed sequence, every k-th request, or a marker in the
// prompt ("[fault:503]", "[fault:reset*2]", see ByMarker), which lets one run mix faults
// per item. It is ready when the constructor returns and stops (joining its threads) in
// the destructor; stalled and trickling replies are cut short then. Listen backlog, worker
// threads and keep-alive are LoopbackServer's (DEPENDENCIES.md pitfall 2).
//
// Thread-safety: all methods are thread-safe; scripts run on the server's worker threads,
// possibly many at once, so they must be thread-safe too (the built-in ones are).
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "testing/loopback_server.h"

namespace safeval::testing {

enum class Fault {
  kNone,           // 200, a chat reply "answer: <last message's content>"
  k429RetryAfter,  // 429 with Retry-After: <retry_after_s>
  k429,            // 429 without Retry-After
  k500,            // 500, 502, 503: an error body {"error": {"message": ...}}
  k502,
  k503,
  kReset,        // the connection is reset (TCP RST) before any byte of a response
  kStall,        // nothing for stall_ms (meant to outlast the client's timeout), then a reply
  kSlowBody,     // the chat reply in slow_chunks chunks, slow_interval_ms apart
  kTruncated,    // Content-Length of the whole reply, half of it sent, connection closed
  kNonJson,      // 200 with an HTML page
  kHugeBody,     // 200, a chat reply whose content is huge_bytes of text
  kInvalidUtf8,  // 200, a chat reply whose content holds the raw bytes FF FE
};

// "none", "429-retry-after", "429", "500", "502", "503", "reset", "stall", "slow",
// "truncated", "non-json", "huge", "invalid-utf8".
std::string FaultName(Fault fault);
std::optional<Fault> ParseFault(std::string_view name);

struct FaultOptions {
  int retry_after_s = 1;
  int stall_ms = 10000;
  int slow_chunks = 5;
  int slow_interval_ms = 20;
  size_t huge_bytes = size_t{10} << 20;
};

class FaultMockServer {
 public:
  // Picks the fault of a request from its raw body and its 0-based number in order of
  // arrival.
  using Script = std::function<Fault(const std::string& body, int request_number)>;

  // Request i gets faults[i]; later ones get kNone.
  static Script Sequence(std::vector<Fault> faults);
  // Every k-th request (numbers k-1, 2k-1, ...) gets `fault`, the others kNone. k >= 1.
  static Script EveryKth(int k, Fault fault);
  // The last message's content decides: "[fault:NAME]" gives that fault every time,
  // "[fault:NAME*N]" to the first N requests carrying that same content (so a retried
  // request recovers), anything else kNone. An unknown NAME is kNone.
  static Script ByMarker();

  // Throws std::runtime_error when it cannot bind a port (test support only).
  explicit FaultMockServer(Script script = ByMarker(), FaultOptions options = {});
  ~FaultMockServer();
  FaultMockServer(const FaultMockServer&) = delete;
  FaultMockServer& operator=(const FaultMockServer&) = delete;

  int port() const { return server_.port(); }
  std::string base_url() const;       // "http://127.0.0.1:<port>/v1"
  int requests() const;               // requests seen so far
  std::vector<Fault> served() const;  // the fault of each request, in order of arrival

  // The reply body of kNone for `content`, as the server sends it.
  static std::string ChatReplyBody(const std::string& content);

 private:
  void Serve(const httplib::Request& request, httplib::Response& response);
  void ResetConnection(const httplib::Request& request);

  Script script_;
  FaultOptions options_;
  LoopbackServer server_;

  mutable std::mutex mu_;
  std::vector<Fault> served_;  // GUARDED_BY(mu_)
};

}  // namespace safeval::testing
