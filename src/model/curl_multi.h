// CurlMulti: many concurrent HTTP requests (POST by default) to one endpoint, driven
// from one thread through one libcurl multi handle. Connections are kept alive and
// reused; easy handles come from a pool (at most `max_transfers`, created on demand) so a
// long run allocates them once; HTTP/2 is negotiated over TLS when the server offers it.
//
// It knows nothing of JSON, retries or scheduling: it moves bytes and reports, per
// transfer, either the HTTP status and body or a classified transport failure.
//
// Thread-safety: not thread-safe; create, use and destroy it on one thread.
// libcurl's process-wide initialisation is done once, on first Create.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/retry.h"

namespace safeval {

// Where every transfer goes and how long it may take.
struct CurlEndpoint {
  std::string url;                   // full URL every transfer goes to
  // "POST" (the default) or "PUT" send the body given to Start; "GET" sends none.
  std::string method = "POST";
  std::vector<std::string> headers;  // complete header lines, "Name: value"
  int64_t timeout_ms = 60000;        // whole attempt, connect included
  int64_t connect_timeout_ms = 10000;
};

// The outcome of one finished transfer.
struct CurlResult {
  uint64_t id = 0;                               // as given to Start
  std::optional<FailureKind> transport_failure;  // set when the exchange did not complete
  std::string transport_error;  // libcurl's description when transport_failure is set
  int http_status = 0;          // 0 when no response status line arrived
  std::string body;             // the response body (complete only without failure)
  std::string retry_after;      // the Retry-After header's value, "" when absent
};

class CurlMulti {
 public:
  // Bodies larger than this (after decompression) abort the transfer with kFatalTransport
  // and "reply larger than 16 MiB": a runaway endpoint must not exhaust memory, even with
  // every transfer of a large concurrency at the cap. A 10 MB answer still gets through.
  static constexpr size_t kMaxResponseBytes = size_t{16} << 20;

  // Fails with Internal when libcurl cannot be initialised or a handle cannot be made.
  // REQUIRES: max_transfers >= 1.
  static Result<std::unique_ptr<CurlMulti>> Create(CurlEndpoint endpoint, int max_transfers);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Starts sending `body` (ignored for GET); its result carries `id`. Internal when libcurl refuses.
  // REQUIRES: in_flight() < max_transfers.
  Status Start(uint64_t id, std::string body);

  // Lets transfers progress, waiting at most `timeout_ms` for network activity when none
  // has finished yet, and returns those that finished (possibly none). Internal when the
  // multi handle itself fails.
  Result<std::vector<CurlResult>> Poll(int timeout_ms);

  // Drops every transfer in flight without a result; their handles return to the pool.
  void AbortAll();

  int in_flight() const;

 private:
  struct Impl;
  explicit CurlMulti(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace safeval
