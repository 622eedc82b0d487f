#include "judge/text_normalizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace safeval {

// Appends normalised bytes while recording where each came from, and collapses
// whitespace runs as it goes (so a run maps back to all of its original bytes).
class NormalizedTextBuilder {
 public:
  // Builds into `out`, emptied first (its buffers' capacity is kept).
  NormalizedTextBuilder(size_t original_size, NormalizedText& out) : out_(out) {
    out_.original_size_ = original_size;
    out_.text_.clear();
    out_.origin_start_.clear();
    out_.origin_end_.clear();
    out_.text_.reserve(original_size);
    out_.origin_start_.reserve(original_size);
    out_.origin_end_.reserve(original_size);
  }

  // Appends `bytes`, all produced by original bytes [start, end).
  void Append(std::string_view bytes, size_t start, size_t end) {
    for (char c : bytes) AppendByte(c, start, end);
  }

  // Appends original bytes [from, to) of `text`, all ASCII and none followed by a
  // combining mark: each maps to itself, lower-cased. The hot loop of the judge, so it
  // writes through raw pointers instead of three push_backs per byte.
  void AppendAscii(std::string_view text, size_t from, size_t to) {
    size_t n = out_.text_.size();
    Resize(n + (to - from));
    char* out = out_.text_.data();
    size_t* starts = out_.origin_start_.data();
    size_t* ends = out_.origin_end_.data();
    for (size_t i = from; i < to; ++i) {
      char c = text[i];
      if (IsSpace(c)) {
        if (n > 0 && IsCollapsedSpace(out[n - 1])) {
          if (c == '\n') out[n - 1] = '\n';
          ends[n - 1] = i + 1;
          continue;
        }
        c = (c == '\n') ? '\n' : ' ';
      } else if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
      out[n] = c;
      starts[n] = i;
      ends[n] = i + 1;
      ++n;
    }
    Resize(n);
  }

 private:
  static bool IsSpace(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
  }
  // The only whitespace normalised text holds.
  static bool IsCollapsedSpace(char c) { return c == ' ' || c == '\n'; }

  void Resize(size_t n) {
    out_.text_.resize(n);
    out_.origin_start_.resize(n);
    out_.origin_end_.resize(n);
  }

  inline void AppendByte(char c, size_t start, size_t end) {
    if (IsSpace(c)) {
      if (!out_.text_.empty() && IsCollapsedSpace(out_.text_.back())) {
        if (c == '\n') out_.text_.back() = '\n';
        out_.origin_end_.back() = end;
        return;
      }
      c = (c == '\n') ? '\n' : ' ';
    }
    out_.text_.push_back(c);
    out_.origin_start_.push_back(start);
    out_.origin_end_.push_back(end);
  }

  NormalizedText& out_;
};

namespace {

constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD

// NFKC + case folding; default-ignorable characters dropped; STABLE keeps the
// mapping the same across Unicode versions for assigned characters.
constexpr utf8proc_option_t kMapOptions = static_cast<utf8proc_option_t>(
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);

// Applied to each code point before decomposition: typographic quotes and
// Unicode line separators, which NFKC leaves alone, become their ASCII forms.
utf8proc_int32_t UnifyCodePoint(utf8proc_int32_t cp, void* /*data*/) {
  switch (cp) {
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:  // ‘ ’ ‚ ‛
    case 0x2032:
    case 0x02BC:
    case 0x00B4:  // prime, modifier apostrophe, acute
      return '\'';
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:  // “ ” „ ‟
    case 0x2033:  // double prime
      return '"';
    case 0x0085:
    case 0x2028:
    case 0x2029:  // next line, line and paragraph separators
      return '\n';
    default:
      return cp;
  }
}

struct CodePoint {
  utf8proc_int32_t value = 0;
  size_t length = 1;  // bytes in the original text
  bool valid = false;
};

CodePoint Decode(std::string_view text, size_t at) {
  CodePoint cp;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + at);
  utf8proc_ssize_t n =
      utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(text.size() - at), &cp.value);
  if (n <= 0) return cp;  // an invalid byte: one byte, not valid
  cp.length = static_cast<size_t>(n);
  cp.valid = true;
  return cp;
}

bool IsStarter(utf8proc_int32_t cp) { return utf8proc_get_property(cp)->combining_class == 0; }

// The end of the segment starting at `at`: a character plus the combining marks
// that follow it. Composition (NFKC's "C") happens only within such a segment.
size_t SegmentEnd(std::string_view text, size_t at, const CodePoint& first) {
  size_t end = at + first.length;
  if (!first.valid) return end;
  while (end < text.size()) {
    CodePoint next = Decode(text, end);
    if (!next.valid || IsStarter(next.value)) break;
    end += next.length;
  }
  return end;
}

// Normalises one segment of valid UTF-8 (falls back to the segment itself if
// utf8proc refuses it, which valid input should never cause).
std::string MapSegment(std::string_view segment) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map_custom(reinterpret_cast<const utf8proc_uint8_t*>(segment.data()),
                          static_cast<utf8proc_ssize_t>(segment.size()), &mapped, kMapOptions,
                          &UnifyCodePoint, nullptr);
  std::string result =
      n < 0 ? std::string(segment)
            : std::string(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return result;
}

// The end of the run of ASCII bytes starting at `at` that can skip Unicode
// processing: the run stops before the first non-ASCII byte, and also gives up
// its last character there, which a combining mark may follow ("e" + U+0301).
size_t AsciiRunEnd(std::string_view text, size_t at) {
  size_t end = at;
  // Eight bytes at a time while none has its high bit set (the test that dominated short texts).
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  for (uint64_t word = 0; end + sizeof word <= text.size(); end += sizeof word) {
    std::memcpy(&word, text.data() + end, sizeof word);
    if (word & kHighBits) break;
  }
  while (end < text.size() && static_cast<unsigned char>(text[end]) < 0x80) ++end;
  return (end < text.size() && end > at) ? end - 1 : end;
}

}  // namespace

ByteSpan NormalizedText::ToOriginal(size_t start, size_t end) const {
  start = std::min(start, text_.size());
  end = std::min(end, text_.size());
  if (start >= end) {
    size_t at = start < text_.size() ? origin_start_[start] : original_size_;
    return {at, at};
  }
  return {origin_start_[start], origin_end_[end - 1]};
}

NormalizedText NormalizeForMatching(std::string_view text) {
  NormalizedText out;
  NormalizeForMatching(text, out);
  return out;
}

void NormalizeForMatching(std::string_view text, NormalizedText& out) {
  NormalizedTextBuilder builder(text.size(), out);
  for (size_t at = 0; at < text.size();) {
    size_t run_end = AsciiRunEnd(text, at);
    builder.AppendAscii(text, at, run_end);  // most responses are mostly ASCII
    at = run_end;
    if (at == text.size()) break;
    CodePoint first = Decode(text, at);
    size_t end = SegmentEnd(text, at, first);
    if (first.valid) {
      builder.Append(MapSegment(text.substr(at, end - at)), at, end);
    } else {
      builder.Append(kReplacementChar, at, end);
    }
    at = end;
  }
}

}  // namespace safeval
