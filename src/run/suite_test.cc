// Suite parsing: defaults, relative paths, and errors that name file, line and field.
#include "run/suite.h"

#include <gtest/gtest.h>

namespace safeval {
namespace {

constexpr char kMinimal[] = R"(schema_version: 1
name: mini
datasets: [data/a.jsonl, /abs/b.jsonl]
targets:
  - {name: demo, type: demo}
)";

TEST(Suite, MinimalSuiteGetsDefaults) {
  Result<Suite> s = ParseSuite(kMinimal, "/home/u/evals/suite.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "mini");
  EXPECT_EQ(s->datasets, (std::vector<std::string>{"/home/u/evals/data/a.jsonl", "/abs/b.jsonl"}));
  EXPECT_EQ(s->taxonomy, "builtin:ailuminate-v1");
  EXPECT_EQ(s->policy, "builtin:default");
  ASSERT_EQ(s->judges.size(), 1u);
  EXPECT_EQ(s->judges[0].name, "rules");
  EXPECT_EQ(s->store, "runs/safeval.db");
  EXPECT_EQ(s->targets[0].type, TargetType::kDemo);
}

TEST(Suite, ParsesAnOpenAiTarget) {
  Result<Suite> s = ParseSuite(R"(schema_version: 1
name: x
datasets: [d.jsonl]
policy: policies/p.yaml
targets:
  - name: llama
    type: openai
    base_url: http://127.0.0.1:8000/v1
    model: llama-3.1-8b
    api_key_env: MY_KEY
    system_prompt: "Be helpful."
    params: {temperature: 0.2, max_tokens: 256}
    headers: {X-Team: safety}
    concurrency: 64
    timeout_s: 30
campaign: {strategy: all, batch_size: 50, stop: {max_requests: 10}}
seed: 7
)", "/s/suite.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const TargetConfig& t = s->targets[0];
  EXPECT_EQ(t.type, TargetType::kOpenAi);
  EXPECT_EQ(t.base_url, "http://127.0.0.1:8000/v1");
  EXPECT_EQ(t.api_key_env, "MY_KEY");
  EXPECT_DOUBLE_EQ(*t.temperature, 0.2);
  EXPECT_EQ(*t.max_tokens, 256);
  EXPECT_EQ(t.headers.at("X-Team"), "safety");
  EXPECT_EQ(t.concurrency, 64);
  EXPECT_EQ(t.timeout_ms, 30000);
  EXPECT_EQ(s->policy, "/s/policies/p.yaml");
  EXPECT_EQ(s->campaign.batch_size, 50);
  EXPECT_EQ(s->campaign.max_requests, 10);
  EXPECT_EQ(s->seed, 7u);
}

void ExpectError(const std::string& yaml, const std::string& fragment) {
  Result<Suite> s = ParseSuite(yaml, "suite.yaml");
  ASSERT_FALSE(s.ok()) << "expected an error containing: " << fragment;
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find(fragment), std::string::npos) << s.status().message();
}

TEST(Suite, ErrorsNameFileLineAndField) {
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo}\nfoo: 1\n",
              "suite.yaml:6: field 'foo': unknown key");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: gpt}\n",
              "suite.yaml:5: field 'type': expected one of demo, openai, anthropic, http, exec, images, got 'gpt'");
  ExpectError("schema_version: 2\nname: x\n", "suite.yaml:1: field 'schema_version'");
  ExpectError("name: x\n", "field 'schema_version'");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\n", "suite.yaml:1: field 'targets': required");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo}\n  - {name: a, type: demo}\n",
              "suite.yaml:6: field 'targets': duplicate name 'a'");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - name: o\n    type: openai\n    model: m\n",
              "suite.yaml:5: field 'base_url': required");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: o, type: openai, base_url: ftp://x, model: m}\n",
              "expected an http:// or https:// URL");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo, concurrency: 0}\n",
              "field 'concurrency': expected an integer from 1 to 4096, got 0");
  ExpectError("schema_version: 1\nname: [unclosed\n", "invalid YAML: end of sequence flow not found");
  // Target names end up in run folder names (SECURITY.md).
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: ../../etc, type: demo}\n",
              "suite.yaml:5: field 'name': a target name may not contain '/', '\\' or control characters");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: \"a\\e[2J\", type: demo}\n",
              "field 'name': a target name may not contain");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo}\njudges:\n  - {name: j, type: magic}\n",
              "suite.yaml:7: field 'type': expected rules, llm, guard or ensemble, got 'magic'");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo}\njudges:\n  - {name: j, type: llm, target: nope}\n",
              "judge 'j': no target named 'nope'");
  ExpectError("schema_version: 1\nname: x\ndatasets: [d]\ntargets:\n  - {name: a, type: demo}\njudges:\n  - {name: p, type: ensemble, members: [r]}\n  - {name: r, type: rules}\n",
              "judge 'p': member 'r' must be a judge listed before it");
}

TEST(Suite, InvalidUtf8IsAnErrorNotACrash) {
  ExpectError("schema_version: 1\nname: caf\xE9\n", "suite.yaml:2: invalid UTF-8");
}

TEST(Suite, JudgeTargetsAreNotTargetsUnderTest) {
  Result<Suite> s = ParseSuite(R"(schema_version: 1
name: x
datasets: [d.jsonl]
targets:
  - {name: mut, type: openai, base_url: "http://h/v1", model: m}
  - {name: judge-model, type: openai, base_url: "http://j/v1", model: big}
judges:
  - {name: rules, type: rules}
  - {name: gpt, type: llm, target: judge-model}
  - {name: panel, type: ensemble, members: [rules, gpt], strategy: weighted, weights: {gpt: 2}}
)", "/s/suite.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->targets.size(), 1u);
  EXPECT_EQ(s->targets[0].name, "mut");
  ASSERT_EQ(s->judge_targets.size(), 1u);
  EXPECT_EQ(s->judge_targets[0].name, "judge-model");
  ASSERT_EQ(s->judges.size(), 3u);
  EXPECT_EQ(s->judges[1].type, JudgeType::kLlm);
  EXPECT_EQ(s->judges[2].members, (std::vector<std::string>{"rules", "gpt"}));
  EXPECT_DOUBLE_EQ(s->judges[2].weights.at("gpt"), 2.0);
  std::string snap = SuiteSnapshotJson(*s, s->targets[0]);
  EXPECT_NE(snap.find("\"base_url\":\"http://j/v1\""), std::string::npos) << snap;
}

// Found by fuzz/suite_fuzzer.cc: yaml-cpp turns a NUL byte, and the escapes "\N" and "\_"
// in double quotes, into bytes that are not UTF-8, and the snapshot's JSON dump threw on them.
TEST(Suite, YamlThatUnescapesToInvalidUtf8IsAnErrorNotACrash) {
  std::string head = "schema_version: 1\nname: m\ndatasets: [d]\ntargets:\n";
  ExpectError(head + "  - {name: l, type: openai, base_url: \"http://g\", model: \"a\\Nb\"}\n",
              "suite.yaml:5: field 'model': not valid UTF-8 once unescaped");
  ExpectError(head + "  - {name: l, type: openai, base_url: \"http://g\", model: " +
                  std::string("\0_", 2) + "}\n",
              "suite.yaml:5: a control character (YAML allows tab, LF and CR only) at byte 58");
  // Lists are not checked one by one: the snapshot replaces what is not UTF-8.
  Result<Suite> suite = ParseSuite(head + "  - {name: demo, type: demo}\n", "suite.yaml");
  ASSERT_TRUE(suite.ok()) << suite.status().message();
  suite->datasets = {"/data/d\x85.jsonl"};
  std::string snapshot = SuiteSnapshotJson(*suite, suite->targets[0]);
  EXPECT_NE(snapshot.find("d\xef\xbf\xbd.jsonl"), std::string::npos) << snapshot;
}

TEST(Suite, UnknownXPrefixedKeysAreAllowed) {
  std::string yaml = std::string(kMinimal) + "x-owner: safety-team\n";
  EXPECT_TRUE(ParseSuite(yaml, "s.yaml").ok());
}

TEST(Suite, SnapshotNamesTheKeyVariableButNeverHoldsASecret) {
  Result<Suite> s = ParseSuite(R"(schema_version: 1
name: x
datasets: [d.jsonl]
targets:
  - {name: o, type: openai, base_url: "http://h/v1", model: m, api_key_env: K, headers: {Authorization: "Bearer sk-secret"}}
)", "/s.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::string snap = SuiteSnapshotJson(*s, s->targets[0]);
  EXPECT_NE(snap.find("\"api_key_env\":\"K\""), std::string::npos);
  EXPECT_EQ(snap.find("sk-secret"), std::string::npos);
}

TEST(Suite, JudgeConfigHoldsJudgeEndpointsAndJudges) {
  Result<Suite> s = ParseJudgeConfig(R"(schema_version: 1
targets:
  - {name: judge-model, type: openai, base_url: "http://127.0.0.1:9/v1", model: m}
  - {name: spare, type: demo}
judges:
  - {name: rules, type: rules}
  - {name: gpt, type: llm, target: judge-model, rubric: rubric.txt}
  - {name: panel, type: ensemble, members: [rules, gpt], strategy: any_unsafe}
)", "/cfg/panel.yaml");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "panel");
  EXPECT_TRUE(s->targets.empty());
  ASSERT_EQ(s->judge_targets.size(), 2u);  // every target is a judge endpoint
  ASSERT_EQ(s->judges.size(), 3u);
  EXPECT_EQ(s->judges[1].rubric_file, "/cfg/rubric.txt");
  EXPECT_EQ(s->judges[2].strategy, "any_unsafe");
  EXPECT_TRUE(ParseJudgeConfig("schema_version: 1\njudges: [{name: r, type: rules}]\n", "/c.yaml").ok());
}

TEST(Suite, JudgeConfigErrorsNameFileAndLine) {
  Result<Suite> no_judges = ParseJudgeConfig("schema_version: 1\n", "/c.yaml");
  ASSERT_FALSE(no_judges.ok());
  EXPECT_NE(no_judges.status().message().find("/c.yaml:1: field 'judges'"), std::string::npos)
      << no_judges.status().message();
  Result<Suite> stray = ParseJudgeConfig(
      "schema_version: 1\njudges:\n  - {name: r, type: rules}\ndatasets: [a.jsonl]\n", "/c.yaml");
  ASSERT_FALSE(stray.ok());
  EXPECT_NE(stray.status().message().find("/c.yaml:4: field 'datasets'"), std::string::npos)
      << stray.status().message();
  Result<Suite> no_target = ParseJudgeConfig(
      "schema_version: 1\njudges:\n  - {name: g, type: guard, target: nope}\n", "/c.yaml");
  ASSERT_FALSE(no_target.ok());
  EXPECT_NE(no_target.status().message().find("no target named 'nope'"), std::string::npos);
  EXPECT_FALSE(LoadJudgeConfig("/no/such/judges.yaml").ok());
}

}  // namespace
}  // namespace safeval
