// Tests of base64: RFC 4648 test vectors, round trips of every byte value and length,
// what decoding tolerates (whitespace, missing padding) and what it rejects.
#include "core/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace safeval {
namespace {

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(Base64, DecodesRfc4648Vectors) {
  for (const char* plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    Result<std::string> decoded = Base64Decode(Base64Encode(plain));
    ASSERT_TRUE(decoded.ok()) << plain << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, RoundTripsEveryByteAtEveryLength) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    std::string part = bytes.substr(bytes.size() - n);
    Result<std::string> decoded = Base64Decode(Base64Encode(part));
    ASSERT_TRUE(decoded.ok()) << n;
    ASSERT_EQ(*decoded, part) << n;
  }
}

TEST(Base64, ToleratesWhitespaceAndMissingPadding) {
  EXPECT_EQ(*Base64Decode("Zm9v\r\nYmE=\n"), "fooba");
  EXPECT_EQ(*Base64Decode("  Zm 9v\tYg == "), "foob");
  EXPECT_EQ(*Base64Decode("Zm9vYg"), "foob");
  EXPECT_EQ(*Base64Decode("Zm9vYmE"), "fooba");
}

TEST(Base64, RejectsMalformedTextNamingTheOffset) {
  struct Case {
    const char* text;
    const char* message;
  };
  for (const Case& c : {
           Case{"Zm9v!mFy", "invalid base64: unexpected character at offset 4"},
           Case{"Zm9v-_Fy", "invalid base64: unexpected character at offset 4"},
           Case{"Zm=v", "invalid base64: data after padding at offset 3"},
           Case{"Z===", "invalid base64: misplaced '=' at offset 1"},
           Case{"Zm9v=", "invalid base64: misplaced '=' at offset 4"},
           Case{"Zg===", "invalid base64: misplaced '=' at offset 4"},
           Case{"Zm9vY", "invalid base64: truncated group at offset 4"},
           Case{"Zg=", "invalid base64: incomplete padding at offset 2"},
           Case{"Zg==Zg==", "invalid base64: data after padding at offset 4"},
       }) {
    Result<std::string> decoded = Base64Decode(c.text);
    ASSERT_FALSE(decoded.ok()) << c.text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(decoded.status().message(), c.message) << c.text;
  }
}

}  // namespace
}  // namespace safeval
