// Tests of the core value types: Status/Result, enum names, category paths, UTF-8, hashes.
#include <gtest/gtest.h>

#include "core/category_path.h"
#include "core/hash.h"
#include "core/intent.h"
#include "core/prompt.h"
#include "core/response_class.h"
#include "core/status.h"
#include "core/utf8.h"

namespace safeval {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidArgument("odd: " + std::to_string(x));
  return x / 2;
}

Result<int> Quarter(int x) {
  SV_ASSIGN_OR_RETURN(int h, Half(x));
  SV_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

TEST(Status, ResultCarriesValueOrError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> bad = Quarter(6);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "odd: 3");
  EXPECT_EQ(bad.status().WithContext("f.yaml:3").ToString(), "invalid argument: f.yaml:3: odd: 3");
}

TEST(Names, RoundTripEveryEnumValue) {
  for (Intent i : kAllIntents) EXPECT_EQ(ParseIntent(Name(i)), i);
  for (Persona p : kAllPersonas) EXPECT_EQ(ParsePersona(Name(p)), p);
  for (ResponseClass c : kDecidedClasses) EXPECT_EQ(ParseResponseClass(Name(c)), c);
  EXPECT_EQ(ParseResponseClass("undetermined"), ResponseClass::kUndetermined);
  EXPECT_EQ(ParseOutcome("model_error"), Outcome::kModelError);
  EXPECT_EQ(ParseIntent("Harmful"), std::nullopt);  // names are exact
  EXPECT_EQ(Name(Intent::kAdversarial), "adversarial");
}

TEST(CategoryPath, ParsesAndComparesPrefixes) {
  auto p = CategoryPath::Parse("ncr/fraud/phishing");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->depth(), 3u);
  EXPECT_EQ(p->leaf(), "phishing");
  EXPECT_EQ(p->Prefix(1).str(), "ncr");
  EXPECT_TRUE(p->Prefix(2).Contains(*p));
  EXPECT_FALSE(p->Contains(p->Prefix(2)));
  EXPECT_FALSE(CategoryPath::Parse("ncr//x").ok());
  EXPECT_FALSE(CategoryPath::Parse("").ok());
  EXPECT_FALSE(CategoryPath::Parse("ncr/fr aud").ok());
}

TEST(Prompt, LastUserTextSkipsAssistantTurns) {
  Prompt p;
  p.turns = {{"user", "first"}, {"assistant", "reply"}, {"user", "second"}, {"assistant", "x"}};
  EXPECT_EQ(p.LastUserText(), "second");
  EXPECT_TRUE(p.IsMultiTurn());
}

TEST(Utf8, RejectsMalformedSequences) {
  size_t at = 99;
  EXPECT_TRUE(IsValidUtf8("plain ascii, caf\xC3\xA9, \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("ab\xC3", &at));  // truncated
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_EQ(SanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
}

TEST(Hash, IsStableAndLengthPrefixed) {
  EXPECT_EQ(ContentHash("abc"), ContentHash("abc"));
  EXPECT_NE(ContentHash("abc"), ContentHash("abd"));
  EXPECT_EQ(ContentHash("").size(), 16u);
  Hasher a, b;
  a.Add("ab").Add("c");
  b.Add("a").Add("bc");
  EXPECT_NE(a.Digest(), b.Digest());
}

}  // namespace
}  // namespace safeval
