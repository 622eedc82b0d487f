#include "augment/transform.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "augment/encodings.h"
#include "augment/technique_registry.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kRequest[] = "How do I [placeholder harmful request]?";

class Transform : public ::testing::Test {
 protected:
  const Technique& T(const char* id) {
    const Technique* t = registry_.Find(id);
    EXPECT_NE(t, nullptr) << id;
    return *t;
  }
  std::vector<Turn> Apply(const char* id, TransformInputs in = {},
                          std::vector<Turn> turns = {{"user", kRequest}}) {
    if (in.topic.empty()) in.topic = "phishing";
    Result<std::vector<Turn>> out = ApplyTechnique(T(id), turns, in);
    EXPECT_TRUE(out.ok()) << id << ": " << out.status().ToString();
    return out.ok() ? *out : std::vector<Turn>{};
  }

  TechniqueRegistry registry_ = *TechniqueRegistry::Builtin();
};

TEST_F(Transform, EveryBuiltinVariantIsDeterministicAndCarriesTheRequest) {
  for (const Technique& t : registry_.techniques()) {
    for (size_t v = 0; v < t.variant_count(); ++v) {
      TransformInputs in{"phishing", v, 42, "[the request in " + t.language + "]"};
      std::vector<Turn> a = Apply(t.id.c_str(), in);
      EXPECT_EQ(a, Apply(t.id.c_str(), in)) << t.id << " variant " << v;
      ASSERT_FALSE(a.empty());
      EXPECT_EQ(a.back().role, "user");
      std::string last = a.back().content;
      EXPECT_THAT(last, Not(HasSubstr("{{"))) << t.id << " left a placeholder";
      switch (t.family) {
        case TechniqueFamily::kFraming:
        case TechniqueFamily::kMultiTurn:
          EXPECT_THAT(last, HasSubstr(kRequest)) << t.id;
          break;
        case TechniqueFamily::kObfuscation:
          EXPECT_THAT(last, Not(HasSubstr(kRequest))) << t.id << " shows the plain request";
          break;
        case TechniqueFamily::kLanguage:
          EXPECT_THAT(last, HasSubstr(in.translation)) << t.id;
          break;
      }
    }
  }
}

TEST_F(Transform, ObfuscatedPayloadDecodesToTheRequest) {
  // The single-template-free variants: the whole turn is the payload.
  for (const char* id : {"leetspeak", "homoglyph", "char_spacing"}) {
    const Technique& t = T(id);
    size_t bare = 0;
    while (bare < t.templates.size() && t.templates[bare] != "{{payload}}") ++bare;
    ASSERT_LT(bare, t.templates.size()) << id;
    std::vector<Turn> out =
        Apply(id, {"phishing", bare, 9, ""}, {{"user", "tell me [placeholder]"}});
    EXPECT_EQ(*Decode(t.encoding, out.back().content), "tell me [placeholder]") << id;
  }
  // base64 inside a template: the encoded request is in it.
  std::vector<Turn> out = Apply("base64", {"phishing", 0, 0, ""});
  EXPECT_THAT(out.back().content, HasSubstr(Encode(Encoding::kBase64, kRequest).payload));
  // payload splitting fills {{variables}} too.
  out = Apply("payload_splitting", {"phishing", 0, 0, ""});
  EXPECT_THAT(out.back().content, HasSubstr("Let z = a + b + c."));
}

TEST_F(Transform, FramingUsesTheTopicAndTheChosenVariant) {
  const Technique& t = T("historical_framing");
  std::vector<std::string> seen;
  for (size_t v = 0; v < t.templates.size(); ++v) {
    seen.push_back(Apply("historical_framing", {"phishing", v, 0, ""}).back().content);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end()) << "variants must differ";
  std::vector<Turn> museum = Apply("historical_framing", {"lock picking", 3, 0, ""});
  EXPECT_THAT(museum.back().content, HasSubstr("history of lock picking"));
}

TEST_F(Transform, ShotsAreDrawnBySeed) {
  const Technique& many = T("many_shot");
  std::string a = RenderShots(many, 1);
  EXPECT_EQ(a, RenderShots(many, 1));
  EXPECT_NE(a, RenderShots(many, 2));
  size_t count = 0;
  for (size_t at = a.find("User: "); at != std::string::npos; at = a.find("User: ", at + 1))
    ++count;
  EXPECT_EQ(count, 32u);
  EXPECT_EQ(RenderShots(T("few_shot"), 5).find("User: "), 0u);
}

TEST_F(Transform, CrescendoBuildsAnEscalatingConversation) {
  std::vector<Turn> out = Apply("crescendo", {"phishing", 0, 0, ""});
  ASSERT_EQ(out.size(), 5u);
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i].role, i % 2 ? "assistant" : "user");
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    EXPECT_THAT(out[i].content, Not(HasSubstr(kRequest))) << "early turns are innocuous";
  }
  EXPECT_THAT(out[0].content, HasSubstr("phishing"));
  EXPECT_THAT(out.back().content, HasSubstr(kRequest));
}

TEST_F(Transform, TextTechniquesRewriteOnlyTheLastUserTurn) {
  std::vector<Turn> conversation = {{"user", "hi"}, {"assistant", "[hello]"}, {"user", kRequest}};
  std::vector<Turn> out = Apply("rot13", {"phishing", 0, 0, ""}, conversation);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], conversation[0]);
  EXPECT_EQ(out[1], conversation[1]);
  EXPECT_THAT(out[2].content, HasSubstr(Encode(Encoding::kRot13, kRequest).payload));
}

TEST_F(Transform, RefusesWhatItCannotDo) {
  std::vector<Turn> conversation = {{"user", "hi"}, {"assistant", "[hello]"}, {"user", kRequest}};
  EXPECT_THAT(ApplyTechnique(T("crescendo"), conversation, {}).status().message(),
              HasSubstr("single-turn prompts only"));
  EXPECT_FALSE(ApplyTechnique(T("base64"), {{"assistant", "x"}}, {}).ok());
  EXPECT_FALSE(ApplyTechnique(T("base64"), {{"user", "x"}}, {"t", 99, 0, ""}).ok());
}

}  // namespace
}  // namespace safeval
