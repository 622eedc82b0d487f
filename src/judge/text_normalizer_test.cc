// Tests of the matching normaliser: NFKC + case folding, quote and whitespace
// unification, and the map from normalised bytes back to original bytes.
#include "judge/text_normalizer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/utf8.h"

namespace safeval {
namespace {

std::string OriginalOf(std::string_view original, const NormalizedText& n, size_t start,
                       size_t end) {
  ByteSpan span = n.ToOriginal(start, end);
  return std::string(original.substr(span.start, span.end - span.start));
}

TEST(TextNormalizer, LowersAsciiAndKeepsOffsetsOneToOne) {
  NormalizedText n = NormalizeForMatching("I Can't HELP");
  EXPECT_EQ(n.text(), "i can't help");
  EXPECT_EQ(n.ToOriginal(2, 7), (ByteSpan{2, 7}));
  EXPECT_EQ(n.original_size(), 12u);
}

TEST(TextNormalizer, UnifiesCurlyQuotes) {
  std::string original = "I can\u2019t say \u201Cno\u201D";
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "i can't say \"no\"");
  size_t apostrophe = n.text().find('\'');
  EXPECT_EQ(OriginalOf(original, n, apostrophe, apostrophe + 1), "\u2019");
  EXPECT_EQ(OriginalOf(original, n, 0, 7), "I can\u2019t");
}

TEST(TextNormalizer, FullWidthLettersMapBackToTheirBytes) {
  std::string original = "\uFF29 \uFF43\uFF41\uFF4E\u2019\uFF54 help";  // Ｉ ｃａｎ’ｔ help
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "i can't help");
  EXPECT_EQ(OriginalOf(original, n, 0, 1), "\uFF29");
  EXPECT_EQ(OriginalOf(original, n, 2, 7), "\uFF43\uFF41\uFF4E\u2019\uFF54");
  EXPECT_EQ(OriginalOf(original, n, 0, n.text().size()), original);
}

TEST(TextNormalizer, CaseFoldingAndLigaturesExpandWithinOneCharacter) {
  std::string original = "Stra\u00DFe \uFB01le";  // Straße ﬁle
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "strasse file");
  // Both s's of "ss" come from the two bytes of ß.
  EXPECT_EQ(OriginalOf(original, n, 4, 5), "\u00DF");
  EXPECT_EQ(OriginalOf(original, n, 5, 6), "\u00DF");
  EXPECT_EQ(OriginalOf(original, n, 8, 10), "\uFB01");
}

TEST(TextNormalizer, ComposesCombiningMarksIntoOneCharacter) {
  std::string original = "cafe\u0301!";  // e + combining acute
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "caf\u00E9!");
  EXPECT_EQ(OriginalOf(original, n, 3, 5), "e\u0301");
  EXPECT_EQ(OriginalOf(original, n, 5, 6), "!");
}

TEST(TextNormalizer, CollapsesWhitespaceRunsKeepingLineBreaks) {
  std::string original = "a \t b\r\n\n  c\u00A0\u3000d";
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "a b\nc d");
  EXPECT_EQ(n.ToOriginal(1, 2), (ByteSpan{1, 4}));  // " \t " is one space
  EXPECT_EQ(OriginalOf(original, n, 3, 4), "\r\n\n  ");
  EXPECT_EQ(OriginalOf(original, n, 5, 6), "\u00A0\u3000");
}

TEST(TextNormalizer, DropsZeroWidthCharacters) {
  std::string original = "can\u200B't";
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_EQ(n.text(), "can't");
  EXPECT_EQ(OriginalOf(original, n, 3, 4), "'");
}

TEST(TextNormalizer, InvalidUtf8BecomesReplacementCharactersMappedToTheBadBytes) {
  std::string original =
      "ab\xFF"
      "cd\xE2\x80";  // a stray byte and a truncated sequence
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_TRUE(IsValidUtf8(n.text()));
  EXPECT_EQ(n.text(), "ab\uFFFDcd\uFFFD\uFFFD");
  EXPECT_EQ(n.ToOriginal(2, 5), (ByteSpan{2, 3}));
  EXPECT_EQ(n.ToOriginal(7, 10), (ByteSpan{5, 6}));
  EXPECT_EQ(n.ToOriginal(10, 13), (ByteSpan{6, 7}));
}

TEST(TextNormalizer, SurrogatesAndOverlongsAreInvalid) {
  std::string original = "\xED\xA0\x80x\xC0\xAF";
  NormalizedText n = NormalizeForMatching(original);
  EXPECT_TRUE(IsValidUtf8(n.text()));
  EXPECT_EQ(n.text().find('x'), 9u);  // three replacement characters before it
}

TEST(TextNormalizer, EmptyAndOutOfRangeSpansStayInBounds) {
  NormalizedText empty = NormalizeForMatching("");
  EXPECT_EQ(empty.text(), "");
  EXPECT_EQ(empty.ToOriginal(0, 5), (ByteSpan{0, 0}));
  NormalizedText n = NormalizeForMatching("\uFF41b");  // ａb
  EXPECT_EQ(n.ToOriginal(1, 1), (ByteSpan{3, 3}));
  EXPECT_EQ(n.ToOriginal(5, 9), (ByteSpan{4, 4}));
  EXPECT_EQ(n.ToOriginal(0, 99), (ByteSpan{0, 4}));
}

// ASCII runs are found eight bytes at a time: a combining mark at every offset around those
// words must still join the letter before it.
TEST(TextNormalizer, ACombiningMarkJoinsItsLetterAtAnyOffset) {
  for (size_t k = 0; k < 20; ++k) {
    std::string original = std::string(k, 'A') + "E\u0301 Z";  // E + combining acute
    NormalizedText n = NormalizeForMatching(original);
    EXPECT_EQ(n.text(), std::string(k, 'a') + "\u00E9 z") << k;
    EXPECT_EQ(n.ToOriginal(k, k + 2), (ByteSpan{k, k + 3})) << k;
    EXPECT_EQ(n.ToOriginal(k + 3, k + 4), (ByteSpan{k + 4, k + 5})) << k;
  }
}

// The classifier normalises each response into the same object: what a longer, Unicode-heavy
// text left in its buffers must not show in the next one.
TEST(TextNormalizer, NormalisingIntoAUsedTextEqualsNormalisingAfresh) {
  std::vector<std::string> texts = {"\uFF29 \uFF43\uFF41\uFF4E\u2019\uFF54   help with THAT\n\n ok",
                                    "Short.", "", "Stra\u00DFe  \t\r\nX",
                                    "ab\xFF"
                                    "cd"};
  NormalizedText reused;
  for (const std::string& text : texts) {
    NormalizeForMatching(text, reused);
    NormalizedText fresh = NormalizeForMatching(text);
    EXPECT_EQ(reused.text(), fresh.text());
    EXPECT_EQ(reused.original_size(), text.size());
    for (size_t start = 0; start <= fresh.text().size(); ++start) {
      for (size_t end = start; end <= fresh.text().size() + 1; ++end) {
        EXPECT_EQ(reused.ToOriginal(start, end), fresh.ToOriginal(start, end)) << text;
      }
    }
  }
}

}  // namespace
}  // namespace safeval
