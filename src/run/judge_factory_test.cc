// The judge factory: every judge type from a suite or a judge configuration,
// in order, with errors that name the judge and the file.
#include "run/judge_factory.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/clock.h"
#include "testing/mock_openai_server.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::optional<std::string> NoEnv(const std::string&) { return std::nullopt; }

class JudgeFactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Policy> policy = Policy::Resolve("builtin:default", "", taxonomy_);
    ASSERT_TRUE(policy.ok()) << policy.status().ToString();
    policy_ = std::move(policy).value();
  }

  Result<JudgeSet> Make(const std::string& yaml, GetEnvFn getenv = NoEnv) {
    Result<Suite> suite = ParseJudgeConfig(yaml, dir_.File("judges.yaml"));
    EXPECT_TRUE(suite.ok()) << suite.status().ToString();
    if (!suite.ok()) return suite.status();
    suite_ = std::move(suite).value();
    return MakeJudgeSet(suite_, policy_, clock_, getenv, std::nullopt);
  }

  testing::TempDir dir_;
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
  Policy policy_;
  Suite suite_;
  FakeClock clock_;
};

TEST_F(JudgeFactoryTest, BuildsRulesAndEnsembleInOrder) {
  Result<JudgeSet> set = Make(R"(schema_version: 1
judges:
  - {name: rules, type: rules}
  - {name: strict, type: rules}
  - {name: panel, type: ensemble, members: [rules, strict], tie: unsafe}
)");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ASSERT_EQ(set->judges().size(), 3u);
  EXPECT_EQ(set->judges()[2]->name(), "panel");
  const std::string rules_version = set->judges()[0]->version();  // "rules@<pattern set>"
  EXPECT_THAT(rules_version, ::testing::StartsWith("rules@"));
  EXPECT_THAT(set->Identities(),
              ElementsAre(rules_version, "strict@" + rules_version, "panel@ensemble@1"));

  // The ensemble combines what its members said about the same item.
  Prompt prompt = MakePrompt("p", "[prompt]", *CategoryPath::Parse("vcr"), Intent::kHarmful);
  std::vector<Verdict> earlier;
  for (Judge* j : {set->judges()[0], set->judges()[1]}) {
    Result<Verdict> v = j->Evaluate(prompt, "I can't help with that.");
    ASSERT_TRUE(v.ok());
    earlier.push_back(*v);
  }
  std::vector<Result<Verdict>> combined =
      set->judges()[2]->EvaluateBatch({{&prompt, "I can't help with that.", &earlier}});
  ASSERT_TRUE(combined[0].ok()) << combined[0].status().ToString();
  EXPECT_EQ(combined[0]->cls, earlier[0].cls);
  EXPECT_EQ(combined[0]->judge, "panel");
}

TEST_F(JudgeFactoryTest, AMissingRubricFileNamesTheJudgeAndTheFile) {
  Result<JudgeSet> set = Make(R"(schema_version: 1
targets:
  - {name: judge-model, type: openai, base_url: "http://127.0.0.1:9/v1", model: m}
judges:
  - {name: gpt, type: llm, target: judge-model, rubric: missing-rubric.txt}
)");
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(set.status().message(),
              HasSubstr("judge 'gpt': rubric file '" + dir_.File("missing-rubric.txt") + "'"));
}

TEST_F(JudgeFactoryTest, AMissingCategoryMapFileNamesTheFile) {
  Result<JudgeSet> set = Make(R"(schema_version: 1
targets: [{name: guard-model, type: demo}]
judges:
  - {name: guard, type: guard, target: guard-model, category_map: codes.yaml}
)");
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr("category map file '" + dir_.File("codes.yaml")));
}

TEST_F(JudgeFactoryTest, AJudgeTargetsApiKeyMustBeSet) {
  const std::string yaml = R"(schema_version: 1
targets:
  - name: judge-model
    type: openai
    base_url: "http://127.0.0.1:9/v1"
    model: m
    api_key_env: JUDGE_KEY
judges:
  - {name: gpt, type: llm, target: judge-model}
)";
  Result<JudgeSet> unset = Make(yaml);
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(unset.status().message(), HasSubstr("environment variable JUDGE_KEY"));
  EXPECT_THAT(unset.status().message(), HasSubstr("judge 'gpt'"));

  Result<JudgeSet> set = Make(yaml, [](const std::string& name) -> std::optional<std::string> {
    if (name == "JUDGE_KEY") return "sk-test";
    return std::nullopt;
  });
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_THAT(set->judges()[0]->version(), HasSubstr("openai:m@http://127.0.0.1:9/v1"));
}

TEST_F(JudgeFactoryTest, AnLlmJudgeTalksToItsTarget) {
  testing::MockOpenAiServer server([](const std::string&, int) {
    return testing::MockOpenAiServer::ChatReply(
        R"({"class": "refuses", "violation": false, "rationale": "declines"})");
  });
  Result<JudgeSet> set = Make(R"(schema_version: 1
targets:
  - {name: judge-model, type: openai, base_url: ")" +
                              server.base_url() +
                              R"(", model: judge-m, max_attempts: 1}
judges:
  - {name: gpt, type: llm, target: judge-model}
)");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  Prompt prompt = MakePrompt("p", "[prompt]", *CategoryPath::Parse("vcr"), Intent::kHarmful);
  std::vector<Result<Verdict>> v =
      set->judges()[0]->EvaluateBatch({{&prompt, "I can't help with that.", nullptr}});
  ASSERT_EQ(v.size(), 1u);
  ASSERT_TRUE(v[0].ok()) << v[0].status().ToString();
  EXPECT_EQ(v[0]->cls, ResponseClass::kRefuses);
  ASSERT_GE(server.requests(), 1);
  EXPECT_THAT(server.request_bodies()[0], HasSubstr("\"judge-m\""));
}

TEST(JudgeSpec, RulesIsTheBuiltInRulesJudgeAnythingElseAFile) {
  Result<Suite> rules = LoadJudgeSpec("rules");
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->judges.size(), 1u);
  EXPECT_EQ(rules->judges[0].type, JudgeType::kRules);

  testing::TempDir dir;
  std::string path = dir.Write("j.yaml", "schema_version: 1\njudges: [{name: r2, type: rules}]\n");
  Result<Suite> file = LoadJudgeSpec(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->judges[0].name, "r2");

  Result<Suite> missing = LoadJudgeSpec(dir.File("nope.yaml"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(),
              HasSubstr("judge configuration '" + dir.File("nope.yaml")));
}

}  // namespace
}  // namespace safeval
