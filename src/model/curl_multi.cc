#include "model/curl_multi.h"

#include <curl/curl.h>
#include <strings.h>

#include <mutex>

namespace safeval {
namespace {

// One reusable easy handle and the buffers of the transfer it is running. Heap-allocated
// and never moved, because libcurl holds pointers to it (PRIVATE, WRITEDATA, ERRORBUFFER).
struct Slot {
  CURL* easy = nullptr;
  uint64_t id = 0;
  bool attached = false;  // currently added to the multi handle
  bool too_large = false;
  std::string request;
  std::string response;
  std::string retry_after;
  char error[CURL_ERROR_SIZE] = {};
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  Slot* slot = static_cast<Slot*>(user);
  size_t n = size * count;
  if (slot->response.size() + n > CurlMulti::kMaxResponseBytes) {
    slot->too_large = true;
    return 0;  // makes libcurl abort the transfer with CURLE_WRITE_ERROR
  }
  slot->response.append(data, n);
  return n;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  Slot* slot = static_cast<Slot*>(user);
  size_t n = size * count;
  std::string_view line(data, n);
  constexpr std::string_view kName = "retry-after:";
  if (line.starts_with("HTTP/")) {
    slot->retry_after.clear();  // a new response (after an interim one) starts afresh
  } else if (line.size() > kName.size() && strncasecmp(data, kName.data(), kName.size()) == 0) {
    slot->retry_after = std::string(Trim(line.substr(kName.size())));
  }
  return n;
}

FailureKind ClassifyCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return FailureKind::kTimeout;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return FailureKind::kUnreachable;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return FailureKind::kConnection;
    default:
      return FailureKind::kFatalTransport;
  }
}

std::string DescribeFailure(CURLcode code, const Slot& slot) {
  if (slot.too_large) {
    return "reply larger than " + std::to_string(CurlMulti::kMaxResponseBytes >> 20) + " MiB";
  }
  // The error buffer says more ("Failed to connect to host port 8000 after 3 ms: ...");
  // curl_easy_strerror is the fallback when libcurl left it empty.
  return slot.error[0] != '\0' ? std::string(slot.error) : curl_easy_strerror(code);
}

// Sets every option that stays the same for all transfers of a handle.
CURLcode ConfigureHandle(Slot& slot, const CurlEndpoint& endpoint, curl_slist* headers) {
  CURL* e = slot.easy;
  CURLcode rc = CURLE_OK;
  auto set = [&rc](CURLcode result) {
    if (rc == CURLE_OK) rc = result;
  };
  set(curl_easy_setopt(e, CURLOPT_URL, endpoint.url.c_str()));
  set(curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers));
  if (endpoint.method == "GET") {
    set(curl_easy_setopt(e, CURLOPT_HTTPGET, 1L));
  } else {
    set(curl_easy_setopt(e, CURLOPT_POST, 1L));
    if (endpoint.method == "PUT") set(curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT"));
  }
  set(curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L));  // threaded code: no SIGALRM for DNS
  set(curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS)));
  // Over HTTP/2, wait for the first connection's protocol to be known and multiplex on it
  // rather than opening one TLS connection per transfer at start-up.
  set(curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L));
  set(curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(endpoint.timeout_ms)));
  set(curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                       static_cast<long>(endpoint.connect_timeout_ms)));
  set(curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""));  // whatever libcurl can decode
  set(curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, OnBody));
  set(curl_easy_setopt(e, CURLOPT_WRITEDATA, &slot));
  set(curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, OnHeader));
  set(curl_easy_setopt(e, CURLOPT_HEADERDATA, &slot));
  set(curl_easy_setopt(e, CURLOPT_PRIVATE, &slot));
  set(curl_easy_setopt(e, CURLOPT_ERRORBUFFER, slot.error));
  return rc;
}

Status GlobalInit() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) {
    return Status::Internal(std::string("curl_global_init failed: ") + curl_easy_strerror(result));
  }
  return Status::Ok();
}

}  // namespace

struct CurlMulti::Impl {
  CurlEndpoint endpoint;
  int max_transfers = 1;
  CURLM* multi = nullptr;
  curl_slist* headers = nullptr;
  std::vector<std::unique_ptr<Slot>> slots;  // every handle made so far
  std::vector<Slot*> idle;
  int active = 0;

  ~Impl() {
    for (auto& slot : slots) {
      if (slot->attached) curl_multi_remove_handle(multi, slot->easy);
      curl_easy_cleanup(slot->easy);
    }
    if (multi) curl_multi_cleanup(multi);
    curl_slist_free_all(headers);
  }

  Result<Slot*> Acquire() {
    if (!idle.empty()) {
      Slot* slot = idle.back();
      idle.pop_back();
      return slot;
    }
    auto slot = std::make_unique<Slot>();
    slot->easy = curl_easy_init();
    if (!slot->easy) return Status::Internal("curl_easy_init failed");
    CURLcode rc = ConfigureHandle(*slot, endpoint, headers);
    if (rc != CURLE_OK) {
      curl_easy_cleanup(slot->easy);
      return Status::Internal(std::string("cannot configure a curl handle: ") +
                              curl_easy_strerror(rc));
    }
    slots.push_back(std::move(slot));
    return slots.back().get();
  }

  void Release(Slot* slot) {
    if (slot->attached) curl_multi_remove_handle(multi, slot->easy);
    slot->attached = false;
    slot->request.clear();
    slot->response.clear();
    --active;
    idle.push_back(slot);
  }

  CurlResult Finish(CURLMsg* msg) {
    CURLcode code = msg->data.result;
    char* priv = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
    Slot* slot = reinterpret_cast<Slot*>(priv);
    long status = 0;
    curl_easy_getinfo(slot->easy, CURLINFO_RESPONSE_CODE, &status);
    CurlResult result;
    result.id = slot->id;
    result.http_status = static_cast<int>(status);
    if (code != CURLE_OK) {
      result.transport_failure =
          slot->too_large ? FailureKind::kFatalTransport : ClassifyCurlCode(code);
      result.transport_error = DescribeFailure(code, *slot);
    }
    result.body = std::move(slot->response);
    result.retry_after = std::move(slot->retry_after);
    Release(slot);
    return result;
  }

  void Collect(std::vector<CurlResult>& out) {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi, &queued)) {
      if (msg->msg == CURLMSG_DONE) out.push_back(Finish(msg));
    }
  }
};

CurlMulti::CurlMulti(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CurlMulti::~CurlMulti() = default;

Result<std::unique_ptr<CurlMulti>> CurlMulti::Create(CurlEndpoint endpoint, int max_transfers) {
  SV_RETURN_IF_ERROR(GlobalInit());
  auto impl = std::make_unique<Impl>();
  impl->endpoint = std::move(endpoint);
  impl->max_transfers = max_transfers;
  impl->multi = curl_multi_init();
  if (!impl->multi) return Status::Internal("curl_multi_init failed");
  // "Expect:" stops libcurl from sending "Expect: 100-continue" before large bodies, a
  // round trip that some servers answer late or never.
  std::vector<std::string> lines = impl->endpoint.headers;
  lines.push_back("Expect:");
  for (const std::string& line : lines) {
    curl_slist* grown = curl_slist_append(impl->headers, line.c_str());
    if (!grown) return Status::Internal("out of memory building request headers");
    impl->headers = grown;
  }
  return std::unique_ptr<CurlMulti>(new CurlMulti(std::move(impl)));
}

Status CurlMulti::Start(uint64_t id, std::string body) {
  SV_ASSIGN_OR_RETURN(Slot * slot, impl_->Acquire());
  slot->id = id;
  slot->request = std::move(body);
  slot->response.clear();
  slot->retry_after.clear();
  slot->too_large = false;
  slot->error[0] = '\0';
  if (impl_->endpoint.method != "GET") {  // POSTFIELDS would turn a GET into a POST
    curl_easy_setopt(slot->easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(slot->request.size()));
    curl_easy_setopt(slot->easy, CURLOPT_POSTFIELDS, slot->request.c_str());
  }
  ++impl_->active;
  CURLMcode mc = curl_multi_add_handle(impl_->multi, slot->easy);
  if (mc != CURLM_OK) {
    impl_->Release(slot);
    return Status::Internal(std::string("curl_multi_add_handle failed: ") +
                            curl_multi_strerror(mc));
  }
  slot->attached = true;
  return Status::Ok();
}

Result<std::vector<CurlResult>> CurlMulti::Poll(int timeout_ms) {
  std::vector<CurlResult> done;
  int running = 0;
  CURLMcode mc = curl_multi_perform(impl_->multi, &running);
  if (mc == CURLM_OK) impl_->Collect(done);
  if (mc == CURLM_OK && done.empty()) {
    mc = curl_multi_poll(impl_->multi, nullptr, 0, timeout_ms, nullptr);
    if (mc == CURLM_OK) mc = curl_multi_perform(impl_->multi, &running);
    if (mc == CURLM_OK) impl_->Collect(done);
  }
  if (mc != CURLM_OK) {
    return Status::Internal(std::string("curl multi failed: ") + curl_multi_strerror(mc));
  }
  return done;
}

void CurlMulti::AbortAll() {
  for (auto& slot : impl_->slots) {
    if (slot->attached) impl_->Release(slot.get());
  }
}

int CurlMulti::in_flight() const { return impl_->active; }

}  // namespace safeval
