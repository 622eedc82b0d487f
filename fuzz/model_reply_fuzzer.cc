// Model API replies: the bodies endpoints send back, decoded by each adapter — OpenAI chat
// completions (openai_client.h), Anthropic messages (anthropic_client.h), the templated
// HTTP target with JSON-pointer response paths (http_target_client.h) — and base64 image
// payloads (core/base64.h). The first byte picks the decoder. Checks: no crash; decoded
// text is valid UTF-8 (the ModelReply contract); base64 decoding round-trips.
#include <cstdint>

#include "core/base64.h"
#include "core/utf8.h"
#include "fuzz/fuzz_util.h"
#include "model/anthropic_client.h"
#include "model/http_target_client.h"
#include "model/openai_client.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // CurlRunner hands decoders valid UTF-8 (it replaces bad bytes first); raw bytes are
  // tried as well, since a decoder must not crash on them either.
  std::string body(fuzz::AsText(data + 1, size - 1));
  if (data[0] & 0x80) body = SanitizeUtf8(body);
  Result<DecodedReply> reply = Status::InvalidArgument("unused");
  switch (data[0] & 0x3) {
    case 0:
      reply = openai_wire::DecodeReply(body);
      break;
    case 1:
      reply = anthropic_wire::DecodeReply(body);
      break;
    case 2:
      reply = DecodeHttpTargetReply(body, {"/choices/0/message/content", "/output", "", "/a~1b/0"});
      break;
    default: {
      Result<std::string> bytes = Base64Decode(body);
      if (bytes.ok()) {
        Result<std::string> again = Base64Decode(Base64Encode(*bytes));
        FUZZ_CHECK(again.ok() && *again == *bytes);
      }
      return 0;
    }
  }
  if (reply.ok() && (data[0] & 0x80)) FUZZ_CHECK(IsValidUtf8(reply->text));
  return 0;
}
