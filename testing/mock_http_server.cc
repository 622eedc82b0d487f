#include "testing/mock_http_server.h"

#include <httplib.h>

namespace safeval::testing {
namespace {

constexpr char kAnyPath[] = R"(/.*)";

}  // namespace

MockHttpServer::MockHttpServer(Handler handler)
    : handler_(handler ? std::move(handler) : Handler([](const MockHttpRequest&, int) {
        return MockReply{200, "{}", {}, 0};
      })) {
  auto serve = [this](const httplib::Request& request, httplib::Response& response) {
    Serve(request, response);
  };
  httplib::Server& server = server_.server();
  server.Get(kAnyPath, serve);
  server.Post(kAnyPath, serve);
  server.Put(kAnyPath, serve);
  server.Patch(kAnyPath, serve);
  server.Delete(kAnyPath, serve);
  server_.Start("mock server");
}

MockHttpServer::~MockHttpServer() { server_.Stop(); }

int MockHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(recorded_.size());
}

std::vector<MockHttpRequest> MockHttpServer::recorded() const {
  std::lock_guard<std::mutex> lock(mu_);
  return recorded_;
}

int MockHttpServer::Record(MockHttpRequest request) {
  std::lock_guard<std::mutex> lock(mu_);
  recorded_.push_back(std::move(request));
  return static_cast<int>(recorded_.size()) - 1;
}

void MockHttpServer::Serve(const httplib::Request& request, httplib::Response& response) {
  MockHttpRequest seen;
  seen.method = request.method;
  seen.path = request.path;
  size_t query = request.target.find('?');
  if (query != std::string::npos) seen.query = request.target.substr(query + 1);
  seen.headers = LowerCaseHeaders(request);
  seen.body = request.body;
  MockHttpRequest copy = seen;
  int number = Record(std::move(seen));
  MockReply reply = handler_(copy, number);
  if (reply.delay_ms > 0) server_.Sleep(reply.delay_ms);
  WriteMockReply(reply, response);
}

}  // namespace safeval::testing
