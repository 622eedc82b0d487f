// Text normalisation for rule matching: a response is folded into a canonical
// form (NFKC, case folding, one kind of quote, collapsed whitespace) so that one
// pattern such as "i can't help with" also matches "I CAN’T  help with" or the
// full-width "Ｉ ｃａｎ’ｔ help with". Every normalised byte remembers which
// original bytes produced it, so a match found in the normalised text is reported
// as a span of the ORIGINAL text.
//
// Thread-safety: free functions without shared state; NormalizedText is a value.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace safeval {

// A byte span [start, end) of some text.
struct ByteSpan {
  size_t start = 0;
  size_t end = 0;
  friend bool operator==(const ByteSpan&, const ByteSpan&) = default;
};

class NormalizedText {
 public:
  // The normalised text: valid UTF-8 whatever the input was.
  const std::string& text() const { return text_; }
  size_t original_size() const { return original_size_; }

  // The span of the original text that produced normalised bytes [start, end).
  // An empty or out-of-range span maps to an empty span at the matching
  // original position; the result always lies within [0, original_size()].
  ByteSpan ToOriginal(size_t start, size_t end) const;

 private:
  friend class NormalizedTextBuilder;
  // An allocator whose resize() leaves new elements uninitialised: the builder writes every
  // offset it adds, so zero-filling them first would only cost time.
  template <typename T>
  struct NoInitAllocator : std::allocator<T> {
    template <typename U>
    struct rebind {
      using other = NoInitAllocator<U>;
    };
    NoInitAllocator() = default;
    template <typename U>
    NoInitAllocator(const NoInitAllocator<U>&) noexcept {}
    template <typename U>
    void construct(U* p) noexcept {
      ::new (static_cast<void*>(p)) U;
    }
    template <typename U, typename... Args>
    void construct(U* p, Args&&... args) {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  };
  using Offsets = std::vector<size_t, NoInitAllocator<size_t>>;

  std::string text_;
  // For normalised byte i: the original bytes [origin_start_[i], origin_end_[i])
  // it came from (a whole character, or a whole run of whitespace).
  Offsets origin_start_;
  Offsets origin_end_;
  size_t original_size_ = 0;
};

// Normalises `text` for matching:
//   - NFKC (compatibility forms such as full-width letters or ligatures become plain ones),
//     then Unicode case folding ("Straße" -> "strasse"), via utf8proc;
//   - default-ignorable characters (zero-width space, soft hyphen, ...) are removed;
//   - curly and typographic quotes become ' or ", so patterns spell only "can't";
//   - each run of whitespace becomes one character: "\n" if the run held a line
//     break (line starts stay visible to patterns such as numbered steps), else " ".
// Invalid UTF-8 never fails: each bad byte becomes U+FFFD, mapped to that byte.
NormalizedText NormalizeForMatching(std::string_view text);
// The same into `out`, replacing its content and reusing its buffers, for a caller that
// normalises text after text (the rules classifier): no allocation once they are large enough.
void NormalizeForMatching(std::string_view text, NormalizedText& out);

}  // namespace safeval
