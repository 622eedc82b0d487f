#include "core/base64.h"

#include <array>
#include <cstdint>

namespace safeval {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int kInvalid = -1;
constexpr int kPad = -2;
constexpr int kSpace = -3;

constexpr std::array<int, 256> MakeDecodeTable() {
  std::array<int, 256> table{};
  for (int& v : table) v = kInvalid;
  for (size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  table['='] = kPad;
  for (unsigned char c : {' ', '\t', '\r', '\n', '\f', '\v'}) table[c] = kSpace;
  return table;
}

constexpr std::array<int, 256> kDecode = MakeDecodeTable();

Status BadAt(size_t offset, const char* what) {
  return Status::InvalidArgument(std::string("invalid base64: ") + what + " at offset " +
                                 std::to_string(offset));
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16 |
                 static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (rest == 2) n |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t group = 0;  // up to four 6-bit values
  int filled = 0;      // values in `group`
  int pads = 0;
  size_t last_offset = 0;  // of the last significant character, for the length error
  for (size_t i = 0; i < text.size(); ++i) {
    int v = kDecode[static_cast<unsigned char>(text[i])];
    if (v == kSpace) continue;
    if (v == kInvalid) return BadAt(i, "unexpected character");
    last_offset = i;
    if (v == kPad) {
      // '=' only completes a group of 2 or 3 values: "xx==" or "xxx=".
      if (filled + pads < 2 || filled + pads >= 4) return BadAt(i, "misplaced '='");
      ++pads;
      continue;
    }
    if (pads > 0) return BadAt(i, "data after padding");
    group = group << 6 | static_cast<uint32_t>(v);
    if (++filled == 4) {
      out += static_cast<char>(group >> 16);
      out += static_cast<char>((group >> 8) & 0xff);
      out += static_cast<char>(group & 0xff);
      group = 0;
      filled = 0;
    }
  }
  if (filled == 1) return BadAt(last_offset, "truncated group");
  if (pads > 0 && filled + pads != 4) return BadAt(last_offset, "incomplete padding");
  if (filled == 2) {
    out += static_cast<char>(group >> 4);
  } else if (filled == 3) {
    out += static_cast<char>(group >> 10);
    out += static_cast<char>((group >> 2) & 0xff);
  }
  return out;
}

}  // namespace safeval
