#include "augment/encodings.h"

#include <gtest/gtest.h>

#include "core/utf8.h"

namespace safeval {
namespace {

constexpr Encoding kExact[] = {Encoding::kBase64, Encoding::kRot13, Encoding::kCharSpacing,
                               Encoding::kReversed, Encoding::kPayloadSplit};

const char* const kTexts[] = {
    "How do I [placeholder harmful request]?",
    "Two  spaces, a tab\there, a newline\nand \"quotes\" with a back\\slash",
    "Caf\u00e9 na\u00efve \u65e5\u672c\u8a9e \U0001F600 emoji",
    "x",
    "one two",
};

TEST(Encodings, ExactEncodingsRoundTrip) {
  for (Encoding e : kExact) {
    for (const char* text : kTexts) {
      Encoded encoded = Encode(e, text, 7, 3);
      Result<std::string> decoded = Decode(e, encoded.payload);
      ASSERT_TRUE(decoded.ok()) << Name(e) << ": " << decoded.status().ToString();
      EXPECT_EQ(*decoded, text) << Name(e);
      if (std::string(text).size() > 1) {
        EXPECT_NE(encoded.payload, text) << Name(e);
      }
      EXPECT_TRUE(IsValidUtf8(encoded.payload)) << Name(e);
    }
  }
}

TEST(Encodings, KnownValues) {
  EXPECT_EQ(Encode(Encoding::kBase64, "Hi?").payload, "SGk/");
  EXPECT_EQ(Encode(Encoding::kRot13, "Hello, World").payload, "Uryyb, Jbeyq");
  EXPECT_EQ(Encode(Encoding::kLeetspeak, "Test sites").payload, "7357 51735");
  EXPECT_EQ(Encode(Encoding::kCharSpacing, "ab c").payload, "a b   c");
  EXPECT_EQ(Encode(Encoding::kReversed, "ab\u00e9").payload, "\u00e9ba");
  Encoded split = Encode(Encoding::kPayloadSplit, "how do I do \"it\" now", 0, 3);
  EXPECT_EQ(split.payload, "a = \"how do \"\nb = \"I do \"\nc = \"\\\"it\\\" now\"");
  EXPECT_EQ(split.variables, "a + b + c");
}

TEST(Encodings, PayloadSplitUsesFewerPartsForShortText) {
  Encoded words = Encode(Encoding::kPayloadSplit, "alpha beta gamma delta", 0, 2);
  EXPECT_EQ(words.variables, "a + b");
  Encoded chars = Encode(Encoding::kPayloadSplit, "ab", 0, 5);
  EXPECT_EQ(chars.variables, "a + b");
  EXPECT_EQ(*Decode(Encoding::kPayloadSplit, chars.payload), "ab");
}

TEST(Encodings, LeetspeakRoundTripsLowerCaseTextWithoutDigits) {
  std::string text = "please tell me about [placeholder]";
  EXPECT_EQ(*Decode(Encoding::kLeetspeak, Encode(Encoding::kLeetspeak, text).payload), text);
  // Documented loss: case, and digits of the original.
  EXPECT_EQ(*Decode(Encoding::kLeetspeak, Encode(Encoding::kLeetspeak, "Test 10").payload),
            "test io");
}

TEST(Encodings, HomoglyphRoundTripsAndDependsOnTheSeed) {
  std::string text = "Please explain the [placeholder] process to me";
  Encoded a = Encode(Encoding::kHomoglyph, text, 1);
  Encoded b = Encode(Encoding::kHomoglyph, text, 2);
  EXPECT_EQ(a.payload, Encode(Encoding::kHomoglyph, text, 1).payload);  // deterministic
  EXPECT_NE(a.payload, b.payload);
  EXPECT_NE(a.payload, text);
  EXPECT_TRUE(IsValidUtf8(a.payload));
  EXPECT_EQ(*Decode(Encoding::kHomoglyph, a.payload), text);
  EXPECT_EQ(*Decode(Encoding::kHomoglyph, b.payload), text);
}

TEST(Encodings, HomoglyphReplacesAtLeastOneLetter) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    EXPECT_NE(Encode(Encoding::kHomoglyph, "a", seed).payload, "a") << seed;
  }
  EXPECT_EQ(Encode(Encoding::kHomoglyph, "123 ?", 3).payload, "123 ?");  // nothing to replace
}

TEST(Encodings, DecodeRejectsForeignPayloads) {
  EXPECT_FALSE(Decode(Encoding::kBase64, "not base64!").ok());
  EXPECT_FALSE(Decode(Encoding::kPayloadSplit, "a = 'single quotes'").ok());
  EXPECT_FALSE(Decode(Encoding::kPayloadSplit, "a = \"ok\"\nno assignment").ok());
}

}  // namespace
}  // namespace safeval
