#include "augment/encodings.h"

#include <algorithm>
#include <vector>

#include "core/base64.h"
#include "dataset/sample.h"

namespace safeval {
namespace {

// The code points of UTF-8 text as byte strings; a byte that does not start a valid
// sequence is a code point of its own (so nothing is ever lost).
std::vector<std::string_view> CodePoints(std::string_view text) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 1;
    if (i + len > text.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) len = 1;
    }
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string Rot13(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    else if (c >= 'A' && c <= 'Z')
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
  }
  return out;
}

constexpr std::pair<char, char> kLeet[] = {{'a', '4'}, {'e', '3'}, {'i', '1'},
                                           {'o', '0'}, {'s', '5'}, {'t', '7'}};

std::string Leetspeak(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    for (auto [letter, digit] : kLeet)
      if (lower == letter) c = digit;
  }
  return out;
}

std::string Unleet(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    for (auto [letter, digit] : kLeet)
      if (c == digit) c = letter;
  }
  return out;
}

// Latin letters and the Cyrillic letters that look like them.
constexpr std::pair<char, std::string_view> kHomoglyphs[] = {
    {'a', "\u0430"}, {'c', "\u0441"}, {'e', "\u0435"}, {'i', "\u0456"}, {'j', "\u0458"},
    {'o', "\u043E"}, {'p', "\u0440"}, {'s', "\u0455"}, {'x', "\u0445"}, {'y', "\u0443"},
    {'A', "\u0410"}, {'B', "\u0412"}, {'C', "\u0421"}, {'E', "\u0415"}, {'H', "\u041D"},
    {'K', "\u041A"}, {'M', "\u041C"}, {'O', "\u041E"}, {'P', "\u0420"}, {'T', "\u0422"},
    {'X', "\u0425"}};

std::string_view HomoglyphOf(char c) {
  for (auto [latin, cyrillic] : kHomoglyphs)
    if (latin == c) return cyrillic;
  return {};
}

std::string Homoglyph(std::string_view text, uint64_t seed) {
  std::vector<size_t> candidates;
  for (size_t i = 0; i < text.size(); ++i)
    if (!HomoglyphOf(text[i]).empty()) candidates.push_back(i);
  std::vector<bool> replace(text.size(), false);
  SplitMix64 rng(seed);
  bool any = false;
  for (size_t i : candidates) any |= replace[i] = rng.Below(2) == 1;
  if (!any && !candidates.empty()) replace[candidates[rng.Below(candidates.size())]] = true;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (replace[i])
      out += HomoglyphOf(text[i]);
    else
      out += text[i];
  }
  return out;
}

std::string Unhomoglyph(std::string_view text) {
  std::string out;
  for (std::string_view cp : CodePoints(text)) {
    char latin = 0;
    for (auto [l, cyrillic] : kHomoglyphs)
      if (cyrillic == cp) latin = l;
    if (latin != 0)
      out += latin;
    else
      out += cp;
  }
  return out;
}

std::string CharSpacing(std::string_view text) {
  std::string out;
  for (std::string_view cp : CodePoints(text)) {
    if (!out.empty()) out += ' ';
    out += cp;
  }
  return out;
}

std::string Unspace(std::string_view text) {
  std::vector<std::string_view> cps = CodePoints(text);
  std::string out;
  for (size_t i = 0; i < cps.size(); i += 2) out += cps[i];
  return out;
}

std::string Reversed(std::string_view text) {
  std::vector<std::string_view> cps = CodePoints(text);
  std::string out;
  for (auto it = cps.rbegin(); it != cps.rend(); ++it) out += *it;
  return out;
}

// The pieces payload splitting cuts `text` into: words (each with the spaces after it) when
// there are at least `parts` of them, else code points; at most `parts` groups of nearly
// equal size, earlier groups larger. Concatenated, they are `text`.
std::vector<std::string> SplitParts(std::string_view text, int parts) {
  std::vector<std::string_view> units;
  for (size_t i = 0; i < text.size();) {
    size_t end = text.find_first_of(" \t\n", i);
    end = end == std::string_view::npos ? text.size() : text.find_first_not_of(" \t\n", end);
    if (end == std::string_view::npos) end = text.size();
    units.push_back(text.substr(i, end - i));
    i = end;
  }
  if (units.size() < static_cast<size_t>(parts)) units = CodePoints(text);
  size_t n = std::min(units.size(), static_cast<size_t>(parts));
  std::vector<std::string> out;
  size_t next = 0;
  for (size_t g = 0; g < n; ++g) {
    size_t size = units.size() / n + (g < units.size() % n ? 1 : 0);
    std::string piece;
    for (size_t k = 0; k < size; ++k) piece += units[next++];
    out.push_back(std::move(piece));
  }
  return out;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out + "\"";
}

Encoded PayloadSplit(std::string_view text, int parts) {
  Encoded e;
  std::vector<std::string> pieces = SplitParts(text, std::clamp(parts, 2, 26));
  for (size_t i = 0; i < pieces.size(); ++i) {
    std::string name(1, static_cast<char>('a' + i));
    e.payload += (i ? "\n" : "") + name + " = " + Quote(pieces[i]);
    e.variables += (i ? " + " : "") + name;
  }
  return e;
}

Result<std::string> Unsplit(std::string_view payload) {
  std::string out;
  size_t line_number = 0;
  for (size_t begin = 0; begin <= payload.size();) {
    size_t end = std::min(payload.find('\n', begin), payload.size());
    std::string_view line = payload.substr(begin, end - begin);
    begin = end + 1;
    ++line_number;
    size_t quote = line.find(" = \"");
    if (quote == std::string_view::npos || line.size() < quote + 5 || line.back() != '"') {
      return Status::InvalidArgument("payload line " + std::to_string(line_number) +
                                     ": expected x = \"...\"");
    }
    std::string_view body = line.substr(quote + 4, line.size() - quote - 5);
    for (size_t i = 0; i < body.size(); ++i) {
      if (body[i] != '\\' || i + 1 == body.size()) {
        out += body[i];
        continue;
      }
      char next = body[++i];
      out += next == 'n' ? '\n' : next;
    }
  }
  return out;
}

}  // namespace

Encoded Encode(Encoding encoding, std::string_view text, uint64_t seed, int parts) {
  switch (encoding) {
    case Encoding::kNone:
      return {std::string(text), ""};
    case Encoding::kBase64:
      return {Base64Encode(text), ""};
    case Encoding::kRot13:
      return {Rot13(text), ""};
    case Encoding::kLeetspeak:
      return {Leetspeak(text), ""};
    case Encoding::kHomoglyph:
      return {Homoglyph(text, seed), ""};
    case Encoding::kCharSpacing:
      return {CharSpacing(text), ""};
    case Encoding::kReversed:
      return {Reversed(text), ""};
    case Encoding::kPayloadSplit:
      return PayloadSplit(text, parts);
  }
  return {std::string(text), ""};
}

Result<std::string> Decode(Encoding encoding, std::string_view payload) {
  switch (encoding) {
    case Encoding::kNone:
      return std::string(payload);
    case Encoding::kBase64:
      return Base64Decode(payload);
    case Encoding::kRot13:
      return Rot13(payload);
    case Encoding::kLeetspeak:
      return Unleet(payload);
    case Encoding::kHomoglyph:
      return Unhomoglyph(payload);
    case Encoding::kCharSpacing:
      return Unspace(payload);
    case Encoding::kReversed:
      return Reversed(payload);
    case Encoding::kPayloadSplit:
      return Unsplit(payload);
  }
  return std::string(payload);
}

}  // namespace safeval
