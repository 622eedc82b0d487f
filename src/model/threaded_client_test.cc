#include "model/threaded_client.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <thread>
#include <vector>

namespace safeval {
namespace {

// Answers each request with its tag as text, `concurrency` at a time, recording the thread it
// ran on; fails with `status` at the end.
class EchoClient : public ModelClient {
 public:
  explicit EchoClient(int concurrency, Status status = Status::Ok())
      : concurrency_(concurrency), status_(std::move(status)) {}
  std::string Identity() const override { return "echo:v1"; }
  bool IsDemo() const override { return true; }
  Status Run(const RunHooks& hooks) override {
    thread_ = std::this_thread::get_id();
    std::deque<ModelRequest> in_flight;
    bool more = true;
    for (;;) {
      if (hooks.cancel && hooks.cancel->load()) return Status::Ok();
      while (more && static_cast<int>(in_flight.size()) < concurrency_) {
        std::optional<ModelRequest> request = hooks.next();
        if (!request) {
          more = false;
          break;
        }
        ++pulled_;
        in_flight.push_back(std::move(*request));
      }
      if (in_flight.empty()) break;
      if (hooks.on_notice && pulled_ >= 3 && !noticed_) {
        noticed_ = true;
        hooks.on_notice("paused");
      }
      ModelReply reply;
      reply.tag = in_flight.front().tag;
      reply.ok = true;
      reply.text = std::to_string(in_flight.front().tag);
      in_flight.pop_front();
      hooks.on_reply(std::move(reply));
    }
    return status_;
  }
  std::thread::id thread() const { return thread_; }
  int pulled() const { return pulled_; }

 private:
  int concurrency_;
  Status status_;
  std::thread::id thread_;
  int pulled_ = 0;
  bool noticed_ = false;
};

struct Recorder {
  std::vector<uint64_t> replied;
  std::vector<std::string> notices;
  std::vector<std::thread::id> hook_threads;
  uint64_t next_tag = 0;
  uint64_t total = 0;

  RunHooks Hooks() {
    RunHooks hooks;
    hooks.next = [this]() -> std::optional<ModelRequest> {
      hook_threads.push_back(std::this_thread::get_id());
      if (next_tag == total) return std::nullopt;
      ModelRequest request;
      request.tag = next_tag++;
      return request;
    };
    hooks.on_reply = [this](ModelReply&& reply) {
      hook_threads.push_back(std::this_thread::get_id());
      EXPECT_EQ(reply.text, std::to_string(reply.tag));
      replied.push_back(reply.tag);
    };
    hooks.on_notice = [this](const std::string& message) {
      hook_threads.push_back(std::this_thread::get_id());
      notices.push_back(message);
    };
    return hooks;
  }
};

TEST(ThreadedClientTest, EveryReplyArrivesInOrderWithHooksOnTheCallingThread) {
  for (int prefetch : {1, 7, 512}) {
    EchoClient inner(4);
    ThreadedClient client(inner, prefetch);
    Recorder recorder;
    recorder.total = 1000;
    ASSERT_TRUE(client.Run(recorder.Hooks()).ok());
    ASSERT_EQ(recorder.replied.size(), 1000u) << "prefetch " << prefetch;
    for (uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(recorder.replied[i], i);
    EXPECT_NE(inner.thread(), std::this_thread::get_id()) << "the inner client has its own thread";
    for (std::thread::id id : recorder.hook_threads) ASSERT_EQ(id, std::this_thread::get_id());
    EXPECT_EQ(recorder.notices, std::vector<std::string>{"paused"});
  }
}

TEST(ThreadedClientTest, ForwardsIdentityAndTheInnerStatus) {
  EchoClient inner(2, Status::Unavailable("cannot reach http://127.0.0.1:9/v1"));
  ThreadedClient client(inner, 8);
  EXPECT_EQ(client.Identity(), "echo:v1");
  EXPECT_TRUE(client.IsDemo());
  Recorder recorder;
  recorder.total = 5;
  Status status = client.Run(recorder.Hooks());
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(recorder.replied.size(), 5u);
}

TEST(ThreadedClientTest, AnEmptySourceEndsAtOnce) {
  EchoClient inner(4);
  ThreadedClient client(inner, 16);
  Recorder recorder;
  ASSERT_TRUE(client.Run(recorder.Hooks()).ok());
  EXPECT_TRUE(recorder.replied.empty());
  EXPECT_EQ(inner.pulled(), 0);
}

// A client that answers nothing until cancelled: Run must return once cancel is set, and
// the requests taken ahead but never sent are not answered.
class SilentClient : public ModelClient {
 public:
  std::string Identity() const override { return "silent:v1"; }
  Status Run(const RunHooks& hooks) override {
    while (hooks.next()) ++pulled;
    while (!(hooks.cancel && hooks.cancel->load())) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return Status::Ok();
  }
  std::atomic<int> pulled{0};
};

TEST(ThreadedClientTest, CancelStopsARunThatWouldNeverEnd) {
  SilentClient inner;
  ThreadedClient client(inner, 4);
  std::atomic<bool> cancel{false};
  Recorder recorder;
  recorder.total = 1'000'000'000;  // effectively endless
  RunHooks hooks = recorder.Hooks();
  hooks.cancel = &cancel;
  int asked = 0;
  auto next = hooks.next;
  hooks.next = [&]() {
    if (++asked == 100) cancel = true;  // the caller's side decides to stop
    return next();
  };
  ASSERT_TRUE(client.Run(hooks).ok());
  EXPECT_TRUE(recorder.replied.empty());
  EXPECT_EQ(asked, 100) << "no requests are taken after the cancel";
}

}  // namespace
}  // namespace safeval
