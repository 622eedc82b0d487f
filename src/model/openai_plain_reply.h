// The common chat-completions reply read fast: an object whose choices[0].message has a string
// `content` and no tool or function calls, and no `error`. Every item of a run goes through the
// reply decoder, and a DOM parse with nlohmann cost about a twentieth of a run's CPU; simdjson
// reads this shape several times faster. Anything else, including a body that does not parse
// or nests deeper than kMaxJsonDepth, gives nullopt: the general decoder then reads it and
// words the error. Both give the same DecodedReply for a reply of this shape.
#pragma once

#include <optional>
#include <string_view>

#include "model/curl_runner.h"

namespace safeval {

// REQUIRES: `body` is valid UTF-8 (the runner sanitises bodies before decoding).
std::optional<DecodedReply> DecodePlainChatReply(std::string_view body);

}  // namespace safeval
