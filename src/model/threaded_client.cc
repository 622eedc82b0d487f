#include "model/threaded_client.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace safeval {
namespace {

constexpr auto kCancelCheck = std::chrono::milliseconds(50);  // how late a cancel is noticed
constexpr size_t kWakeBatch = 64;  // replies that wake the caller without waiting for a pull

// What the two threads share, guarded by `mu`.
struct Channel {
  std::mutex mu;
  std::condition_variable to_client;  // requests arrived, or there will be no more
  std::condition_variable to_caller;  // replies or notices arrived, requests ran low, client done
  std::deque<ModelRequest> requests;
  bool requests_ended = false;  // `next` said there are no more, or the run was cancelled
  bool client_waiting = false;  // the client waits for a request
  std::vector<ModelReply> replies;
  std::vector<std::string> notices;
  bool client_done = false;
  Status client_status;
};

bool Cancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(); }

}  // namespace

Status ThreadedClient::Run(const RunHooks& hooks) {
  Channel ch;
  const size_t prefetch = static_cast<size_t>(prefetch_);
  const size_t low_water = (prefetch + 1) / 2;

  RunHooks inner;
  inner.cancel = hooks.cancel;
  inner.next = [&ch, &hooks, low_water]() -> std::optional<ModelRequest> {
    std::unique_lock lock(ch.mu);
    while (ch.requests.empty() && !ch.requests_ended) {
      if (Cancelled(hooks.cancel)) return std::nullopt;
      ch.client_waiting = true;
      ch.to_caller.notify_one();
      ch.to_client.wait_for(lock, kCancelCheck);
    }
    ch.client_waiting = false;
    if (ch.requests.empty()) return std::nullopt;
    ModelRequest request = std::move(ch.requests.front());
    ch.requests.pop_front();
    // The client asks for more once it has delivered what its last wait brought: wake the
    // caller then, for all those replies at once, rather than for each.
    if (!ch.replies.empty() || ch.requests.size() + 1 == low_water) ch.to_caller.notify_one();
    return request;
  };
  inner.on_reply = [&ch](ModelReply&& reply) {
    std::lock_guard lock(ch.mu);
    ch.replies.push_back(std::move(reply));
    // With no more requests to ask for, each reply is the signal; else only a large pile is.
    if (ch.requests_ended || ch.replies.size() >= kWakeBatch) ch.to_caller.notify_one();
  };
  if (hooks.on_notice) {
    inner.on_notice = [&ch](const std::string& message) {
      std::lock_guard lock(ch.mu);
      ch.notices.push_back(message);
      ch.to_caller.notify_one();
    };
  }

  std::thread client([this, &ch, &inner] {
    Status status = inner_.Run(inner);
    std::lock_guard lock(ch.mu);
    ch.client_status = std::move(status);
    ch.client_done = true;
    ch.to_caller.notify_one();
  });

  std::vector<ModelRequest> fresh;
  std::vector<ModelReply> replies;
  std::vector<std::string> notices;
  bool ended = false;  // this thread's copy of requests_ended
  size_t queued = 0;   // requests waiting for the client, as last seen
  for (;;) {
    // Top the request queue up outside the lock: `next` may read the store.
    while (!ended && queued + fresh.size() < prefetch && !Cancelled(hooks.cancel)) {
      std::optional<ModelRequest> request = hooks.next();
      if (!request) {
        ended = true;
        break;
      }
      fresh.push_back(std::move(*request));
    }
    bool cancelled = Cancelled(hooks.cancel);
    bool done = false;
    {
      std::unique_lock lock(ch.mu);
      if (cancelled) {
        ended = true;
        fresh.clear();
        ch.requests.clear();  // never sent: the caller's items stay pending
      }
      bool wake_client = !fresh.empty() || (ended && !ch.requests_ended);
      for (ModelRequest& r : fresh) ch.requests.push_back(std::move(r));
      fresh.clear();
      ch.requests_ended = ended;
      if (wake_client) ch.to_client.notify_one();
      auto ready = [&] {
        return !ch.replies.empty() || !ch.notices.empty() || ch.client_done ||
               (!ended && (ch.requests.size() < low_water || ch.client_waiting));
      };
      // A cancel seen for the first time ends the wait early, to drop the unsent requests.
      while (!ready() && (cancelled || !Cancelled(hooks.cancel))) {
        ch.to_caller.wait_for(lock, kCancelCheck);
      }
      replies.swap(ch.replies);
      notices.swap(ch.notices);
      queued = ch.requests.size();
      done = ch.client_done;  // every reply it made is in `replies` now
    }
    for (const std::string& notice : notices) hooks.on_notice(notice);
    notices.clear();
    for (ModelReply& reply : replies) hooks.on_reply(std::move(reply));
    replies.clear();
    if (done) break;
  }
  client.join();
  return std::move(ch.client_status);
}

}  // namespace safeval
