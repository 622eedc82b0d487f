// ThreadedClient: runs another ModelClient on a thread of its own, so the transport (request
// encoding, libcurl, reply decoding) and the caller's work per item (reading the plan, judging,
// saving) use both cores instead of taking turns on one.
//
// The hooks keep their single-threaded contract: `next`, `on_reply` and `on_notice` are all
// called on the thread that called Run, never concurrently. Between the two threads sit a
// queue of requests taken from `next` ahead of time (at most `prefetch`) and a queue of replies.
// When `cancel` becomes true the inner client abandons what is in flight, and requests taken
// but never sent are dropped (the caller's items for them stay pending); replies that arrived
// before are still delivered. Run returns the inner client's status once every reply it
// produced has been delivered.
#pragma once

#include <string>

#include "model/model_client.h"

namespace safeval {

class ThreadedClient final : public ModelClient {
 public:
  // Borrows `inner`, which must outlive this object. `prefetch` >= 1 requests are taken from
  // `next` ahead of the inner client's pulls (its concurrency or more keeps it from waiting).
  ThreadedClient(ModelClient& inner, int prefetch) : inner_(inner), prefetch_(prefetch < 1 ? 1 : prefetch) {}

  std::string Identity() const override { return inner_.Identity(); }
  bool IsDemo() const override { return inner_.IsDemo(); }
  Status Run(const RunHooks& hooks) override;

 private:
  ModelClient& inner_;
  int prefetch_;
};

}  // namespace safeval
