// Driving a ModelClient in adapter tests: run a list of requests to the end and collect
// what came back, run one request expecting one reply, and unwrap a Make*Client result.
// Failures are reported as GoogleTest failures (EXPECT_*), never thrown.
//
// Thread-safety: each call is independent; `on_reply` is called from whichever thread the
// client delivers replies on.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "core/status.h"
#include "model/model_client.h"

namespace safeval::testing {

struct Outcome {
  Status status;                    // what ModelClient::Run returned
  std::vector<ModelReply> replies;  // in order of delivery
  int pulled = 0;                   // requests the client took from `next`
};

// Runs `requests` through `client` until Run returns; `on_reply` (optional) sees each
// reply as it arrives, before it is collected.
Outcome RunAll(ModelClient& client, std::vector<ModelRequest> requests,
               const std::atomic<bool>* cancel = nullptr,
               std::function<void(const ModelReply&)> on_reply = {});

// RunAll of `request` alone, expecting an Ok run and exactly one reply: that reply, or a
// default ModelReply (after the test failure) when there is none.
ModelReply RunOne(ModelClient& client, ModelRequest request);

// The client of a Make*Client result, or null after a test failure naming its status.
std::unique_ptr<ModelClient> MustMake(Result<std::unique_ptr<ModelClient>> client);

}  // namespace safeval::testing
