// HttpDownload: one blocking HTTP GET of a file an endpoint pointed at (a generated
// image's URL), with timeouts, a size cap and cancellation. No request headers beyond
// libcurl's defaults are sent: the URL's host is not the endpoint, so no credential may go
// there.
//
// Only http and https are followed, also across redirects (at most 5): a reply cannot make
// safeval read file:// or other local resources.
//
// Thread-safety: each call is independent; safe from any thread once libcurl is
// initialised (CurlMulti::Create does that; the easy handle here would also do it, though
// not thread-safely).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace safeval {

struct DownloadOptions {
  int64_t timeout_ms = 120000;  // the whole transfer; > 0
  int64_t connect_timeout_ms = 10000;
  size_t max_bytes = size_t{50} << 20;        // a larger body fails the download
  const std::atomic<bool>* cancel = nullptr;  // when it becomes true the transfer stops
};

struct DownloadResult {
  bool ok = false;
  int http_status = 0;  // 0 when no status line arrived
  std::string body;     // the file when ok
  // When !ok: "HTTP 404", "larger than 50 MB", "timeout after N ms", "cancelled", or
  // libcurl's description of a transport failure.
  std::string error;
  bool cancelled = false;
};

// GETs `url` and returns its body when the status is 2xx.
DownloadResult HttpDownload(const std::string& url, const DownloadOptions& options);

}  // namespace safeval
