#include "model/http_download.h"

#include <curl/curl.h>

#include <memory>

namespace safeval {
namespace {

struct Sink {
  std::string* body;
  size_t max_bytes;
  bool too_large = false;
};

size_t Write(char* data, size_t size, size_t count, void* user) {
  Sink* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->body->size() + n > sink->max_bytes) {
    sink->too_large = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, n);
  return n;
}

int Progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const std::atomic<bool>* cancel = static_cast<const std::atomic<bool>*>(user);
  return cancel && cancel->load() ? 1 : 0;  // non-zero aborts the transfer
}

std::string Size(size_t bytes) {
  if (bytes > 0 && bytes % (size_t{1} << 20) == 0) return std::to_string(bytes >> 20) + " MB";
  return std::to_string(bytes) + " bytes";
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};

}  // namespace

DownloadResult HttpDownload(const std::string& url, const DownloadOptions& options) {
  DownloadResult result;
  std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
  if (!easy) {
    result.error = "cannot create a libcurl handle";
    return result;
  }
  CURL* h = easy.get();
  char error_buffer[CURL_ERROR_SIZE] = {};
  Sink sink{&result.body, options.max_bytes};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout_ms));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(h, CURLOPT_USERAGENT, "safeval");
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, Progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(options.cancel));

  CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  result.http_status = static_cast<int>(status);
  if (code == CURLE_ABORTED_BY_CALLBACK) {
    result.cancelled = true;
    result.error = "cancelled";
  } else if (sink.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    result.error = "larger than " + Size(options.max_bytes);
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    result.error = "timeout after " + std::to_string(options.timeout_ms) + " ms";
  } else if (code != CURLE_OK) {
    result.error = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  } else if (status < 200 || status > 299) {
    result.error = "HTTP " + std::to_string(status);
  } else {
    result.ok = true;
    return result;
  }
  result.body.clear();
  return result;
}

}  // namespace safeval
