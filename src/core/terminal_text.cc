#include "core/terminal_text.h"

#include <cstdint>

#include "core/utf8.h"

namespace safeval {
namespace {

constexpr char kHex[] = "0123456789abcdef";

bool IsBidiControl(uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// The code point starting at text[i] and its length. REQUIRES: valid UTF-8 at i.
uint32_t Decode(std::string_view text, size_t i, size_t* length) {
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(text[k])); };
  uint32_t b = byte(i);
  if (b < 0x80) {
    *length = 1;
    return b;
  }
  if (b < 0xE0) {
    *length = 2;
    return ((b & 0x1F) << 6) | (byte(i + 1) & 0x3F);
  }
  if (b < 0xF0) {
    *length = 3;
    return ((b & 0x0F) << 12) | ((byte(i + 1) & 0x3F) << 6) | (byte(i + 2) & 0x3F);
  }
  *length = 4;
  return ((b & 0x07) << 18) | ((byte(i + 1) & 0x3F) << 12) | ((byte(i + 2) & 0x3F) << 6) |
         (byte(i + 3) & 0x3F);
}

// True when the code point must be shown escaped.
bool NeedsEscape(uint32_t cp, LineBreaks line_breaks) {
  if (cp == '\n' || cp == '\t') return line_breaks == LineBreaks::kEscape;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || IsBidiControl(cp);
}

void AppendEscape(uint32_t cp, std::string* out) {
  switch (cp) {
    case '\n':
      *out += "\\n";
      return;
    case '\t':
      *out += "\\t";
      return;
    case '\r':
      *out += "\\r";
      return;
    default:
      break;
  }
  if (cp <= 0x7F) {
    *out += "\\x";
  } else {
    *out += "\\u";
    *out += kHex[(cp >> 12) & 0xF];
    *out += kHex[(cp >> 8) & 0xF];
  }
  *out += kHex[(cp >> 4) & 0xF];
  *out += kHex[cp & 0xF];
}

}  // namespace

std::string TerminalText(std::string_view text, LineBreaks line_breaks) {
  std::string sanitized;
  if (!IsValidUtf8(text)) text = sanitized = SanitizeUtf8(text);
  std::string out;
  out.reserve(text.size());
  size_t length = 0;
  for (size_t i = 0; i < text.size(); i += length) {
    uint32_t cp = Decode(text, i, &length);
    if (NeedsEscape(cp, line_breaks)) {
      AppendEscape(cp, &out);
    } else {
      out.append(text.substr(i, length));
    }
  }
  return out;
}

}  // namespace safeval
