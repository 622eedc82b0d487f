#include "core/json_string.h"

#include <array>
#include <cstdint>

namespace safeval {
namespace {

// How a byte starts in a JSON string: copied, escaped, or the lead of a UTF-8 sequence to check.
enum ByteClass : uint8_t { kPlain, kEscape, kMultiByte };

constexpr std::array<ByteClass, 256> MakeByteClasses() {
  std::array<ByteClass, 256> classes{};
  for (int b = 0; b < 256; ++b) {
    classes[b] = b < 0x20 || b == '"' || b == '\\' ? kEscape : b < 0x80 ? kPlain : kMultiByte;
  }
  return classes;
}
constexpr std::array<ByteClass, 256> kByteClasses = MakeByteClasses();

// The length of the well-formed UTF-8 sequence at text[i] (a byte >= 0x80), or 0 when it is
// not one (Unicode's table 3-7: no overlongs, surrogates or code points past U+10FFFF; the
// set nlohmann's decoder accepts).
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto at = [&](size_t k) { return static_cast<uint8_t>(k < text.size() ? text[k] : 0); };
  auto in = [](uint8_t b, uint8_t lo, uint8_t hi) { return b >= lo && b <= hi; };
  uint8_t b0 = at(i), b1 = at(i + 1);
  if (in(b0, 0xC2, 0xDF)) return in(b1, 0x80, 0xBF) ? 2 : 0;
  if (in(b0, 0xE0, 0xEF)) {
    uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    return in(b1, lo, hi) && in(at(i + 2), 0x80, 0xBF) ? 3 : 0;
  }
  if (in(b0, 0xF0, 0xF4)) {
    uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return in(b1, lo, hi) && in(at(i + 2), 0x80, 0xBF) && in(at(i + 3), 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

}  // namespace

bool AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the bytes not appended yet
  for (size_t i = 0; i < text.size();) {
    ByteClass cls = kByteClasses[static_cast<uint8_t>(text[i])];
    if (cls == kPlain) {
      ++i;
      continue;
    }
    if (cls == kMultiByte) {
      size_t length = Utf8SequenceLength(text, i);
      if (length == 0) return false;
      i += length;
      continue;
    }
    out->append(text.data() + run, i - run);
    char c = text[i];
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[(c >> 4) & 0xF]);
        out->push_back(kHex[c & 0xF]);
    }
    run = ++i;
  }
  out->append(text.data() + run, text.size() - run);
  out->push_back('"');
  return true;
}

}  // namespace safeval
