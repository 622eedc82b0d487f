// UTF-8 checks used wherever text enters safeval (datasets, model replies).
#pragma once

#include <string>
#include <string_view>

namespace safeval {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or bytes past U+10FFFF).
// On failure, *bad_offset (when given) receives the offset of the first bad byte.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

// Replaces each invalid byte with U+FFFD, so text from a model can always be stored and shown.
std::string SanitizeUtf8(std::string_view text);

}  // namespace safeval
