#include "model/openai_plain_reply.h"

#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <string>

#include "core/json_depth.h"

namespace safeval {
namespace {

namespace dom = simdjson::dom;

// usage.<field> as the general decoder reads it: -1 unless a non-negative integer.
int TokenCount(dom::object usage, std::string_view field) {
  int64_t n = 0;
  if (usage[field].get_int64().get(n) != simdjson::SUCCESS || n < 0) return -1;
  return static_cast<int>(std::min<int64_t>(n, std::numeric_limits<int>::max()));
}

bool IsAbsentOrNull(dom::object object, std::string_view field) {
  dom::element value;
  if (object[field].get(value) != simdjson::SUCCESS) return true;
  return value.is_null();
}

}  // namespace

std::optional<DecodedReply> DecodePlainChatReply(std::string_view body) {
  // One parser and one padded buffer per thread, reused: simdjson reads up to
  // SIMDJSON_PADDING bytes past the text, and refuses documents nested deeper than the
  // general decoder accepts.
  thread_local dom::parser parser = [] {
    dom::parser p;
    // On failure the parser stays empty, parse fails, and the general decoder reads the body.
    if (p.allocate(1 << 16, kMaxJsonDepth) != simdjson::SUCCESS) return dom::parser();

    return p;
  }();
  thread_local std::string buffer;
  buffer.assign(body);
  buffer.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  dom::object doc;
  if (parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false).get(doc)) {
    return std::nullopt;
  }
  if (!IsAbsentOrNull(doc, "error")) return std::nullopt;
  dom::array choices;
  dom::object message;
  std::string_view content;
  if (doc["choices"].get(choices) || choices.size() == 0 ||
      choices.at(0)["message"].get(message) || message["content"].get(content) ||
      !IsAbsentOrNull(message, "tool_calls") || !IsAbsentOrNull(message, "function_call")) {
    return std::nullopt;
  }
  DecodedReply reply;
  reply.text.assign(content);
  dom::object usage;
  if (doc["usage"].get(usage) == simdjson::SUCCESS) {
    reply.prompt_tokens = TokenCount(usage, "prompt_tokens");
    reply.completion_tokens = TokenCount(usage, "completion_tokens");
  }
  return reply;
}

}  // namespace safeval
