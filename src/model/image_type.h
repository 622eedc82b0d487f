// The media type of an image from its first bytes (magic numbers), for generated images
// whose endpoint does not say (base64 payloads) or may say wrongly. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace safeval {

// "image/png", "image/jpeg", "image/webp" or "image/gif"; "application/octet-stream" for
// anything else (including empty input).
std::string SniffImageMimeType(std::string_view bytes);

}  // namespace safeval
