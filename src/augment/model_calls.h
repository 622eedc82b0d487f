// Asking a generator model many questions at once: what translation, generation and the
// attack loop share. Not thread-safe (a ModelClient runs one Run at a time).
#pragma once

#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "model/model_client.h"

namespace safeval {

// Sends each conversation as one request through one client.Run (the client keeps its
// configured concurrency in flight) and returns one reply per conversation, in their
// order. A request that failed is a reply with ok == false and its error; one the client
// never answered has ok == false and error "no reply". Fails (with the client's status,
// prefixed by its Identity) only when Run does, e.g. when the endpoint cannot be reached.
Result<std::vector<ModelReply>> AskEach(ModelClient& client,
                                        const std::vector<std::vector<Turn>>& conversations);

// AskEach with one single-user-turn conversation per message.
Result<std::vector<ModelReply>> AskEachMessage(ModelClient& client,
                                               const std::vector<std::string>& messages);

}  // namespace safeval
