#include "augment/augment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "augment/encodings.h"
#include "augment/technique_registry.h"
#include "augment/translator.h"
#include "testing/fake_model_client.h"

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

// Translates by wrapping: "[fr: text]", back as "[en: text]". Fails texts containing "FAIL".
class FakeTranslator : public Translator {
 public:
  Result<std::vector<Result<Translation>>> Translate(const std::vector<std::string>& texts,
                                                     const std::string& language) override {
    ++calls;
    if (unreachable) return Status::Unavailable("cannot connect");
    std::vector<Result<Translation>> out;
    for (const std::string& t : texts) {
      requested.push_back(t);
      if (t.find("FAIL") != std::string::npos) {
        out.push_back(Status::InvalidArgument("the generator's answer is empty"));
      } else {
        out.push_back(Translation{"[" + language + ": " + t + "]", "[en; " + t + "]"});
      }
    }
    return out;
  }
  int calls = 0;
  bool unreachable = false;
  std::vector<std::string> requested;
};

Prompt P(const std::string& id, Intent intent, const std::string& text = "[placeholder request]") {
  Prompt p = MakePrompt(id, text, *CategoryPath::Parse("ncr/fraud/phishing"), intent);
  p.persona = Persona::kSkilled;
  p.tags = {"seed"};
  return p;
}

class AugmentTest : public ::testing::Test {
 protected:
  AugmentOptions Options(const char* names, int chain = 1, int per_prompt = 1, uint64_t seed = 0) {
    AugmentOptions o;
    o.techniques = *registry_.ResolveList(names);
    o.chain_length = chain;
    o.per_prompt = per_prompt;
    o.seed = seed;
    return o;
  }
  Result<AugmentResult> Run(const std::vector<Prompt>& inputs, const AugmentOptions& options) {
    return Augment(inputs, options, nullptr, &translator_);
  }
  std::vector<std::string> Ids(const AugmentResult& r) {
    std::vector<std::string> ids;
    for (const Prompt& p : r.prompts) ids.push_back(p.id);
    return ids;
  }

  TechniqueRegistry registry_ = *TechniqueRegistry::Builtin();
  FakeTranslator translator_;
};

TEST_F(AugmentTest, EachTechniqueGivesOneVariantWithProvenance) {
  Result<AugmentResult> r = Run({P("h1", Intent::kHarmful)}, Options("historical,roleplay,base64"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(Ids(*r), ElementsAre("h1-historical_framing", "h1-fiction_roleplay", "h1-base64"));
  for (const Prompt& p : r->prompts) {
    EXPECT_EQ(p.parent_id, "h1");
    EXPECT_EQ(p.intent, Intent::kAdversarial);
    EXPECT_EQ(p.category.str(), "ncr/fraud/phishing");
    EXPECT_EQ(p.persona, Persona::kSkilled);
    EXPECT_EQ(p.tags, std::vector<std::string>{"seed"});
    ASSERT_EQ(p.techniques.size(), 1u);
  }
  EXPECT_EQ(r->prompts[2].techniques[0], "base64");
  EXPECT_EQ(r->augmented, 1u);
  EXPECT_THAT(r->per_technique, ElementsAre(Pair("base64", 1), Pair("fiction_roleplay", 1),
                                            Pair("historical_framing", 1)));
}

TEST_F(AugmentTest, VariantsKeepTheAgentFieldsOfTheirParent) {
  Prompt source = P("l1", Intent::kHarmful, "[ask for the system prompt]");
  source.system = "[bank bot rules] ZEBRA-7731-QUILL";
  source.canary = "ZEBRA-7731-QUILL";
  source.tools_json = R"([{"function":{"name":"transfer_funds"},"type":"function"}])";
  source.group = "women";
  source.pair_id = "cf-03";
  source.expect.no_leak = true;
  source.expect.no_tool_call = {"transfer_funds"};
  Result<AugmentResult> r = Run({source}, Options("historical,base64"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->prompts.size(), 2u);
  for (const Prompt& p : r->prompts) {
    EXPECT_EQ(p.system, source.system);
    EXPECT_EQ(p.canary, source.canary);
    EXPECT_EQ(p.tools_json, source.tools_json);
    EXPECT_EQ(p.group, source.group);
    EXPECT_EQ(p.pair_id, source.pair_id);
    EXPECT_EQ(p.expect, source.expect);
  }
}

TEST_F(AugmentTest, SameSeedSameOutputOtherSeedOtherTemplates) {
  std::vector<Prompt> inputs;
  for (int i = 0; i < 8; ++i) inputs.push_back(P("h" + std::to_string(i), Intent::kHarmful));
  AugmentResult a = *Run(inputs, Options("historical,homoglyph,many_shot", 1, 1, 7));
  AugmentResult b = *Run(inputs, Options("historical,homoglyph,many_shot", 1, 1, 7));
  AugmentResult c = *Run(inputs, Options("historical,homoglyph,many_shot", 1, 1, 8));
  ASSERT_EQ(a.prompts.size(), 24u);
  bool differs = false;
  for (size_t i = 0; i < a.prompts.size(); ++i) {
    EXPECT_EQ(a.prompts[i].turns, b.prompts[i].turns) << a.prompts[i].id;
    differs |= a.prompts[i].turns != c.prompts[i].turns;
  }
  EXPECT_TRUE(differs);
}

TEST_F(AugmentTest, AVariantDependsOnlyOnItsOwnPromptAndChain) {
  AugmentResult alone = *Run({P("h2", Intent::kHarmful)}, Options("historical", 1, 1, 3));
  AugmentResult with_others = *Run({P("h1", Intent::kHarmful), P("h2", Intent::kHarmful)},
                                   Options("base64,historical", 1, 1, 3));
  EXPECT_EQ(alone.prompts[0].turns, with_others.prompts.back().turns);
  EXPECT_EQ(with_others.prompts.back().id, "h2-historical_framing");
}

TEST_F(AugmentTest, ChainsComposeInOrderAndRecordTheChain) {
  Result<AugmentResult> r = Run({P("h1", Intent::kHarmful)}, Options("historical,base64", 2));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(Ids(*r), ElementsAre("h1-historical_framing-base64", "h1-base64-historical_framing"));
  const Prompt& framed_then_encoded = r->prompts[0];
  EXPECT_THAT(framed_then_encoded.techniques, ElementsAre("historical_framing", "base64"));
  // The base64 payload decodes to the historical framing of the request.
  std::string text = framed_then_encoded.LastUserText();
  std::string payload = text.substr(text.find_last_of("\n: ") + 1);
  Result<std::string> decoded = Decode(Encoding::kBase64, payload);
  ASSERT_TRUE(decoded.ok()) << text;
  EXPECT_THAT(*decoded, HasSubstr("[placeholder request]"));
  EXPECT_THAT(r->prompts[1].LastUserText(),
              HasSubstr(Encode(Encoding::kBase64, "[placeholder request]").payload));
}

TEST_F(AugmentTest, MultiTurnOnlyEndsAChain) {
  std::vector<std::vector<const Technique*>> chains =
      EnumerateChains(*registry_.ResolveList("crescendo,base64,historical"), 2);
  std::vector<std::string> keys;
  for (const auto& c : chains) keys.push_back(c[0]->id + ">" + c[1]->id);
  EXPECT_THAT(keys, ElementsAre("base64>crescendo", "base64>historical_framing",
                                "historical_framing>crescendo", "historical_framing>base64"));
  EXPECT_THAT(Run({P("h1", Intent::kHarmful)}, Options("crescendo", 2)).status().message(),
              HasSubstr("no chain of 2 different techniques"));
  Result<AugmentResult> r = Run({P("h1", Intent::kHarmful)}, Options("base64,crescendo", 2));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->prompts.size(), 1u);
  EXPECT_EQ(r->prompts[0].turns.size(), 5u);
  EXPECT_THAT(r->prompts[0].LastUserText(),
              HasSubstr(Encode(Encoding::kBase64, "[placeholder request]").payload));
}

TEST_F(AugmentTest, PerPromptGivesDistinctNumberedVariantsAndDropsRepeats) {
  Result<AugmentResult> r = Run({P("h1", Intent::kHarmful)}, Options("historical", 1, 4));
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Ids(*r), ElementsAre("h1-historical_framing-1", "h1-historical_framing-2",
                                   "h1-historical_framing-3", "h1-historical_framing-4"));
  std::set<std::string> texts;
  for (const Prompt& p : r->prompts) texts.insert(p.LastUserText());
  EXPECT_EQ(texts.size(), 4u);
  // rot13 has 2 templates: a third variant repeats one and is left out.
  r = Run({P("h1", Intent::kHarmful)}, Options("rot13", 1, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->prompts.size(), 2u);
  EXPECT_EQ(r->left_out.begin()->second, 1u);
  EXPECT_THAT(r->left_out.begin()->first, HasSubstr("identical variant"));
}

TEST_F(AugmentTest, SafePromptsOnlyWhenAskedAndTheyStaySafe) {
  std::vector<Prompt> inputs = {P("s1", Intent::kSafe), P("h1", Intent::kHarmful),
                                P("a1", Intent::kAdversarial)};
  AugmentResult r = *Run(inputs, Options("hypothetical"));
  EXPECT_THAT(Ids(r), ElementsAre("h1-hypothetical"));
  EXPECT_EQ(r.left_out.size(), 2u);
  AugmentOptions with_safe = Options("hypothetical");
  with_safe.include_safe = true;
  r = *Run(inputs, with_safe);
  ASSERT_THAT(Ids(r), ElementsAre("s1-hypothetical", "h1-hypothetical"));
  EXPECT_EQ(r.prompts[0].intent, Intent::kSafe);
  EXPECT_EQ(r.prompts[1].intent, Intent::kAdversarial);
}

TEST_F(AugmentTest, LanguageStepsTranslateInOneBatchAndKeepTheBackTranslation) {
  std::vector<Prompt> inputs = {P("h1", Intent::kHarmful, "[request one]"),
                                P("h2", Intent::kHarmful, "[request one]"),
                                P("h3", Intent::kHarmful, "[request FAIL]")};
  Result<AugmentResult> r = Run(inputs, Options("french"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(translator_.calls, 1);
  EXPECT_THAT(translator_.requested, ElementsAre("[request one]", "[request FAIL]"));  // once each
  ASSERT_THAT(Ids(*r), ElementsAre("h1-translate_fr", "h2-translate_fr"));
  const Prompt& p = r->prompts[0];
  EXPECT_EQ(p.LastUserText(), "[French: [request one]]");
  EXPECT_EQ(p.locale, "fr_FR");
  EXPECT_THAT(p.tags, ElementsAre("seed", "back_translation:[en, [request one]]"));
  EXPECT_THAT(r->left_out.begin()->first, HasSubstr("translation failed (translate_fr)"));
}

TEST_F(AugmentTest, LanguageTechniquesNeedAWorkingTranslator) {
  EXPECT_THAT(
      Augment({P("h1", Intent::kHarmful)}, Options("french"), nullptr, nullptr).status().message(),
      HasSubstr("--generator"));
  translator_.unreachable = true;
  EXPECT_EQ(Run({P("h1", Intent::kHarmful)}, Options("french")).status().code(),
            StatusCode::kUnavailable);
}

TEST_F(AugmentTest, RejectsIdCollisionsAndBadOptions) {
  std::vector<Prompt> inputs = {P("h1", Intent::kHarmful), P("h1-base64", Intent::kSafe)};
  EXPECT_THAT(Run(inputs, Options("base64")).status().message(),
              HasSubstr("variant id 'h1-base64' of prompt 'h1' is already taken"));
  EXPECT_FALSE(Run(inputs, Options("base64", 5)).ok());
  EXPECT_FALSE(Run(inputs, Options("base64", 1, 0)).ok());
}

TEST_F(AugmentTest, TopicComesFromTheTaxonomy) {
  Taxonomy t = Taxonomy::AiluminateV1();
  EXPECT_EQ(TopicOf(*CategoryPath::Parse("vcr"), &t), "violent crimes");
  EXPECT_EQ(TopicOf(*CategoryPath::Parse("iwp"), &t), "indiscriminate weapons (CBRNE)");
  EXPECT_EQ(TopicOf(*CategoryPath::Parse("ncr/fraud/phishing"), nullptr), "phishing");
  EXPECT_EQ(TopicOf(*CategoryPath::Parse("x/self_harm"), &t), "self harm");
}

TEST_F(AugmentTest, ModelTranslatorAsksTwiceAndReadsTheAnswers) {
  testing::FakeModelClient client([](const std::vector<Turn>& conversation) {
    ModelReply reply;
    reply.ok = true;
    const std::string& ask = conversation.back().content;
    if (ask.find("into English") != std::string::npos)
      reply.text = "\"[back in English]\"";
    else if (ask.find("[untranslatable]") != std::string::npos)
      reply.text = "  ";
    else
      reply.text = "```\n[en zoulou]\n```";
    return reply;
  });
  ModelTranslator translator(client);
  std::vector<Result<Translation>> out = *translator.Translate({"[a]", "[untranslatable]"}, "Zulu");
  ASSERT_EQ(out.size(), 2u);
  ASSERT_TRUE(out[0].ok());
  EXPECT_EQ(out[0]->text, "[en zoulou]");
  EXPECT_EQ(out[0]->back_translation, "[back in English]");
  EXPECT_FALSE(out[1].ok());
  ASSERT_EQ(client.requests().size(), 3u);
  EXPECT_THAT(client.requests()[0][0].content, HasSubstr("into Zulu"));
  EXPECT_THAT(client.requests()[0][0].content, HasSubstr("<<<\n[a]\n>>>"));
  EXPECT_FALSE(ReadTranslation("[a]", "[a]").ok());
}

}  // namespace
}  // namespace safeval
