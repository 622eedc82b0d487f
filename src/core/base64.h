// Base64 (RFC 4648 section 4, the standard alphabet "A-Za-z0-9+/" with '=' padding), for
// binary payloads inside JSON (generated images) and for encoded prompts.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace safeval {

// `bytes` (any binary data) as padded base64, without line breaks.
std::string Base64Encode(std::string_view bytes);

// Decodes base64 text. Accepted: ASCII whitespace anywhere (line-wrapped base64), and
// missing final padding. Rejected with InvalidArgument naming the offset of the first bad
// character: characters outside the alphabet (also the URL-safe '-' and '_'), '=' before
// the end or more than two of them, data after the padding, and a length that cannot be
// base64 (one character left over in the last group).
Result<std::string> Base64Decode(std::string_view text);

}  // namespace safeval
