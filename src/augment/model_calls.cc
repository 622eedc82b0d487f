#include "augment/model_calls.h"

#include <optional>

namespace safeval {

Result<std::vector<ModelReply>> AskEach(ModelClient& client,
                                        const std::vector<std::vector<Turn>>& conversations) {
  std::vector<ModelReply> replies(conversations.size());
  for (ModelReply& r : replies) r.error = "no reply";
  size_t next = 0;
  RunHooks hooks;
  hooks.next = [&]() -> std::optional<ModelRequest> {
    if (next == conversations.size()) return std::nullopt;
    ModelRequest request{next, conversations[next]};
    ++next;
    return request;
  };
  hooks.on_reply = [&](ModelReply&& reply) {
    if (reply.tag < replies.size()) replies[reply.tag] = std::move(reply);
  };
  Status run = client.Run(hooks);
  if (!run.ok()) return run.WithContext(client.Identity());
  return replies;
}

Result<std::vector<ModelReply>> AskEachMessage(ModelClient& client,
                                               const std::vector<std::string>& messages) {
  std::vector<std::vector<Turn>> conversations;
  conversations.reserve(messages.size());
  for (const std::string& m : messages) conversations.push_back({Turn{"user", m}});
  return AskEach(client, conversations);
}

}  // namespace safeval
