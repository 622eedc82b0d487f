#include "testing/fault_mock_server.h"

#include <dirent.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>

#include "testing/mock_openai_server.h"

namespace safeval::testing {
namespace {

using nlohmann::json;

struct FaultEntry {
  Fault fault;
  const char* name;
};
constexpr FaultEntry kFaults[] = {
    {Fault::kNone, "none"},
    {Fault::k429RetryAfter, "429-retry-after"},
    {Fault::k429, "429"},
    {Fault::k500, "500"},
    {Fault::k502, "502"},
    {Fault::k503, "503"},
    {Fault::kReset, "reset"},
    {Fault::kStall, "stall"},
    {Fault::kSlowBody, "slow"},
    {Fault::kTruncated, "truncated"},
    {Fault::kNonJson, "non-json"},
    {Fault::kHugeBody, "huge"},
    {Fault::kInvalidUtf8, "invalid-utf8"},
};

// The content of the last message of a chat request; nullopt when it is not one.
std::optional<std::string> LastContent(const std::string& body) {
  json request = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!request.is_object()) return std::nullopt;
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array() || messages->empty()) return std::nullopt;
  const json& last = messages->back();
  if (!last.is_object() || !last.contains("content") || !last["content"].is_string()) {
    return std::nullopt;
  }
  return last["content"].get<std::string>();
}

std::string ErrorBody(const std::string& message) {
  return json{{"error", {{"message", message}}}}.dump();
}

int StatusOf(Fault fault) {
  switch (fault) {
    case Fault::k429RetryAfter:
    case Fault::k429:
      return 429;
    case Fault::k500:
      return 500;
    case Fault::k502:
      return 502;
    case Fault::k503:
      return 503;
    default:
      return 200;
  }
}

// The port of an IPv4 socket address of `fd` (its own or its peer's); -1 when none.
int PortOf(int fd, bool peer) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  auto* raw = reinterpret_cast<sockaddr*>(&addr);
  int rc = peer ? ::getpeername(fd, raw, &len) : ::getsockname(fd, raw, &len);
  if (rc != 0 || addr.sin_family != AF_INET) return -1;
  return ntohs(addr.sin_port);
}

}  // namespace

std::string FaultName(Fault fault) {
  for (const FaultEntry& entry : kFaults) {
    if (entry.fault == fault) return entry.name;
  }
  return "none";
}

std::optional<Fault> ParseFault(std::string_view name) {
  for (const FaultEntry& entry : kFaults) {
    if (name == entry.name) return entry.fault;
  }
  return std::nullopt;
}

FaultMockServer::Script FaultMockServer::Sequence(std::vector<Fault> faults) {
  return [faults = std::move(faults)](const std::string&, int n) {
    return n >= 0 && static_cast<size_t>(n) < faults.size() ? faults[n] : Fault::kNone;
  };
}

FaultMockServer::Script FaultMockServer::EveryKth(int k, Fault fault) {
  k = std::max(k, 1);
  return [k, fault](const std::string&, int n) { return (n + 1) % k == 0 ? fault : Fault::kNone; };
}

FaultMockServer::Script FaultMockServer::ByMarker() {
  struct Counts {
    std::mutex mu;
    std::map<std::string, int> seen;  // requests per content with a counted marker
  };
  auto counts = std::make_shared<Counts>();
  return [counts](const std::string& body, int) {
    std::string content = LastContent(body).value_or("");
    constexpr std::string_view kOpen = "[fault:";
    size_t at = content.find(kOpen);
    size_t end = at == std::string::npos ? at : content.find(']', at);
    if (end == std::string::npos) return Fault::kNone;
    std::string_view spec(content.data() + at + kOpen.size(), end - at - kOpen.size());
    int limit = -1;  // every time
    if (size_t star = spec.find('*'); star != std::string_view::npos) {
      std::string_view digits = spec.substr(star + 1);
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), limit);
      if (ec != std::errc() || ptr != digits.data() + digits.size() || limit < 0) {
        return Fault::kNone;
      }
      spec = spec.substr(0, star);
    }
    std::optional<Fault> fault = ParseFault(spec);
    if (!fault) return Fault::kNone;
    if (limit < 0) return *fault;
    std::lock_guard<std::mutex> lock(counts->mu);
    return counts->seen[content]++ < limit ? *fault : Fault::kNone;
  };
}

FaultMockServer::FaultMockServer(Script script, FaultOptions options)
    : script_(script ? std::move(script) : ByMarker()), options_(options) {
  server_.server().Post("/v1/chat/completions",
                        [this](const httplib::Request& request, httplib::Response& response) {
                          Serve(request, response);
                        });
  server_.Start("fault mock");
}

FaultMockServer::~FaultMockServer() { server_.Stop(); }

std::string FaultMockServer::base_url() const { return server_.url("/v1"); }

int FaultMockServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(served_.size());
}

std::vector<Fault> FaultMockServer::served() const {
  std::lock_guard<std::mutex> lock(mu_);
  return served_;
}

std::string FaultMockServer::ChatReplyBody(const std::string& content) {
  return MockOpenAiServer::ChatReply(content).body;
}

// Resets this request's connection: finds its socket among the process's descriptors
// (this end on our port, the peer on the request's port), makes closing it send a RST
// (SO_LINGER 0), and closes it by putting /dev/null in its place -- so httplib's own
// later writes and close hit /dev/null instead of a descriptor someone else may own.
void FaultMockServer::ResetConnection(const httplib::Request& request) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0') continue;
    int sock = static_cast<int>(fd);
    if (PortOf(sock, false) != server_.port() || PortOf(sock, true) != request.remote_port) continue;
    linger hard{1, 0};
    ::setsockopt(sock, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    int null = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
      ::dup2(null, sock);
      ::close(null);
    }
    break;
  }
  ::closedir(dir);
}

void FaultMockServer::Serve(const httplib::Request& request, httplib::Response& response) {
  int number = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    number = static_cast<int>(served_.size());
    served_.push_back(Fault::kNone);
  }
  Fault fault = script_(request.body, number);
  {
    std::lock_guard<std::mutex> lock(mu_);
    served_[number] = fault;
  }
  std::optional<std::string> content = LastContent(request.body);
  if (!content) {
    response.status = 400;
    response.set_content(ErrorBody("not a chat request"), "application/json");
    return;
  }
  std::string answer = "answer: " + *content;
  switch (fault) {
    case Fault::kNone:
      response.set_content(ChatReplyBody(answer), "application/json");
      return;
    case Fault::k429RetryAfter:
      response.set_header("Retry-After", std::to_string(options_.retry_after_s));
      [[fallthrough]];
    case Fault::k429:
    case Fault::k500:
    case Fault::k502:
    case Fault::k503:
      response.status = StatusOf(fault);
      response.set_content(ErrorBody("injected " + FaultName(fault)), "application/json");
      return;
    case Fault::kReset:
      ResetConnection(request);
      return;
    case Fault::kStall:
      server_.Sleep(options_.stall_ms);
      response.set_content(ChatReplyBody(answer), "application/json");
      return;
    case Fault::kSlowBody: {
      auto body = std::make_shared<std::string>(ChatReplyBody(answer));
      size_t chunks = static_cast<size_t>(std::max(options_.slow_chunks, 1));
      size_t piece = (body->size() + chunks - 1) / chunks;
      response.set_chunked_content_provider(
          "application/json", [this, body, piece](size_t offset, httplib::DataSink& sink) {
            if (offset > 0 && !server_.Sleep(options_.slow_interval_ms)) return false;
            size_t n = std::min(piece, body->size() - offset);
            if (!sink.write(body->data() + offset, n)) return false;
            if (offset + n >= body->size()) sink.done();
            return true;
          });
      return;
    }
    case Fault::kTruncated: {
      auto body = std::make_shared<std::string>(ChatReplyBody(answer));
      response.set_content_provider(
          body->size(), "application/json", [body](size_t offset, size_t, httplib::DataSink& sink) {
            // Half the promised bytes, then false: httplib closes the connection.
            size_t half = body->size() / 2;
            return offset < half && sink.write(body->data() + offset, half - offset);
          });
      return;
    }
    case Fault::kNonJson:
      response.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
      return;
    case Fault::kHugeBody: {
      // Spliced in rather than serialised: dumping megabytes is slow in a debug build.
      std::string body = ChatReplyBody("<HUGE>");
      body.replace(body.find("<HUGE>"), 6, std::string(options_.huge_bytes, 'x'));
      response.set_content(body, "application/json");
      return;
    }
    case Fault::kInvalidUtf8: {
      std::string body = ChatReplyBody("caf<BAD> au lait");
      body.replace(body.find("<BAD>"), 5, "\xff\xfe");
      response.set_content(body, "application/json");
      return;
    }
  }
}

}  // namespace safeval::testing
