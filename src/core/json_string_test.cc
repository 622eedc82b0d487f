// AppendJsonString writes what nlohmann::json's dump() writes, and declines exactly the text
// nlohmann's decoder does not take as UTF-8.
#include "core/json_string.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

namespace safeval {
namespace {

// What AppendJsonString appended, or "(declined)".
std::string Written(std::string_view text) {
  std::string out = "x";  // appends: what was there stays
  if (!AppendJsonString(text, &out)) return "(declined)";
  EXPECT_EQ(out[0], 'x');
  return out.substr(1);
}

// nlohmann's strict dump, or "(declined)" where it throws on text that is not UTF-8.
std::string Dumped(std::string_view text) {
  try {
    return nlohmann::json(std::string(text)).dump();
  } catch (const nlohmann::json::exception&) {
    return "(declined)";
  }
}

TEST(JsonString, EveryAsciiByteAsNlohmannDumpsIt) {
  for (int c = 0; c < 0x80; ++c) {
    std::string text = "a" + std::string(1, static_cast<char>(c)) + "b";
    EXPECT_EQ(Written(text), Dumped(text)) << "byte " << c;
  }
}

TEST(JsonString, KnownEscapesAndDeclines) {
  EXPECT_EQ(Written(""), "\"\"");
  EXPECT_EQ(Written("say \"hi\"\\\n\t\x01\x1f\x7f"),
            "\"say \\\"hi\\\"\\\\\\n\\t\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Written("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
            "\"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80\"");
  EXPECT_EQ(Written("bad \xff"), "(declined)");
  EXPECT_EQ(Written("overlong \xc0\xaf"), "(declined)");
  EXPECT_EQ(Written("surrogate \xed\xa0\x80"), "(declined)");
  EXPECT_EQ(Written("cut \xe2\x9c"), "(declined)");
}

// Every 1- and 2-byte string, 3-byte strings of every 2-byte start, 4-byte strings of every
// lead byte, the later bytes at the edges of the ranges that matter.
TEST(JsonString, DeclinesExactlyWhatNlohmannDoesNotTakeAsUtf8) {
  const std::vector<int> edges = {0x00, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90,
                                  0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xF4, 0xFF};
  int compared = 0;
  auto check = [&](std::string text) {
    ASSERT_EQ(Written(text), Dumped(text)) << ::testing::PrintToString(text);
    ++compared;
  };
  for (int a = 0; a < 256; ++a) {
    check(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      check({static_cast<char>(a), static_cast<char>(b)});
      if (a < 0xE0) continue;
      for (int c : edges) {
        check({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
        if (a < 0xF0 || std::find(edges.begin(), edges.end(), b) == edges.end()) continue;
        for (int d : edges) {
          check({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                 static_cast<char>(d)});
        }
      }
    }
  }
  EXPECT_GT(compared, 65536);
}

TEST(JsonString, RandomTextAsNlohmannDumpsIt) {
  const std::string pieces[] = {
      "a",    "Z",       " ",        "\"",           "\\",           "/",
      "\n",   "\r",      "\t",       "\b",           "\f",           std::string(1, '\0'),
      "\x1b", "\x7f",    "\xc3\xa9", "\xe2\x80\x94", "\xef\xbf\xbd", "\xf0\x9f\x98\x80",
      "{}",   "\\u0041", "\xe2",     "\x80"};
  std::mt19937 rng(11);
  for (int round = 0; round < 5000; ++round) {
    std::string text;
    int length = static_cast<int>(rng() % 40);
    for (int i = 0; i < length; ++i) text += pieces[rng() % std::size(pieces)];
    ASSERT_EQ(Written(text), Dumped(text)) << "round " << round;
  }
}

}  // namespace
}  // namespace safeval
