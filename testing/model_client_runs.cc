#include "testing/model_client_runs.h"

#include <gtest/gtest.h>

#include <optional>
#include <utility>

namespace safeval::testing {

Outcome RunAll(ModelClient& client, std::vector<ModelRequest> requests,
               const std::atomic<bool>* cancel, std::function<void(const ModelReply&)> on_reply) {
  Outcome out;
  size_t next = 0;
  RunHooks hooks;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (next == requests.size()) return std::nullopt;
    ++out.pulled;
    return requests[next++];
  };
  hooks.on_reply = [&](ModelReply&& reply) {
    if (on_reply) on_reply(reply);
    out.replies.push_back(std::move(reply));
  };
  hooks.cancel = cancel;
  out.status = client.Run(hooks);
  return out;
}

ModelReply RunOne(ModelClient& client, ModelRequest request) {
  std::vector<ModelRequest> requests;
  requests.push_back(std::move(request));
  Outcome out = RunAll(client, std::move(requests));
  EXPECT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.replies.size(), 1u);
  return out.replies.empty() ? ModelReply{} : out.replies[0];
}

std::unique_ptr<ModelClient> MustMake(Result<std::unique_ptr<ModelClient>> client) {
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

}  // namespace safeval::testing
