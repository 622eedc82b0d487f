// Parsing every target type of a suite (openai, anthropic, http, exec, images), errors
// that name file, line and field, and the target snapshot that keys the response cache.
#include "run/target_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "run/suite.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;

// The target's lines start at line 5 of the suite.
Result<TargetConfig> Parse(const std::string& target) {
  std::string yaml = "schema_version: 1\nname: x\ndatasets: [d.jsonl]\ntargets:\n" + target;
  Result<Suite> suite = ParseSuite(yaml, "suite.yaml");
  if (!suite.ok()) return suite.status();
  return suite->targets.at(0);
}

TargetConfig MustParse(const std::string& target) {
  Result<TargetConfig> t = Parse(target);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : TargetConfig{};
}

void ExpectError(const std::string& target, const std::string& fragment) {
  Result<TargetConfig> t = Parse(target);
  ASSERT_FALSE(t.ok()) << "expected an error containing: " << fragment;
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr(fragment));
}

TEST(TargetConfig, OpenAiTakesSamplingLimitsTimeoutsAndPrices) {
  TargetConfig t = MustParse(R"(  - name: o
    type: openai
    base_url: http://127.0.0.1:8000/v1
    model: m
    params: {temperature: 0.7, top_p: 0.9, max_tokens: 100, stop: ["###", "END"]}
    requests_per_minute: 600
    tokens_per_minute: 90000
    circuit_breaker: 0
    timeout_s: 0.5
    connect_timeout_s: 2.5
    max_attempts: 3
    price: {input_per_mtok: 0.15, output_per_mtok: 0.6}
    x-notes: anything
)");
  EXPECT_EQ(t.type, TargetType::kOpenAi);
  EXPECT_DOUBLE_EQ(*t.top_p, 0.9);
  EXPECT_EQ(t.stop, (std::vector<std::string>{"###", "END"}));
  EXPECT_EQ(*t.requests_per_minute, 600);
  EXPECT_EQ(*t.tokens_per_minute, 90000);
  EXPECT_EQ(t.circuit_breaker_failures, 0);
  EXPECT_EQ(t.timeout_ms, 500);
  EXPECT_EQ(t.connect_timeout_ms, 2500);
  EXPECT_EQ(t.max_attempts, 3);
  EXPECT_DOUBLE_EQ(*t.input_usd_per_mtok, 0.15);
  EXPECT_DOUBLE_EQ(*t.output_usd_per_mtok, 0.6);
  TargetConfig single = MustParse(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, params: {stop: '###'}}\n");
  EXPECT_EQ(single.stop, std::vector<std::string>{"###"});
  EXPECT_EQ(single.circuit_breaker_failures, 10);  // the default
  EXPECT_FALSE(single.tokens_per_minute.has_value());
}

TEST(TargetConfig, OpenAiErrorsNameTheField) {
  ExpectError(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, params: {top_k: 5}}\n",
      "suite.yaml:5: field 'top_k': unknown key");
  ExpectError(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, params: {top_p: 2}}\n",
      "field 'top_p': expected a number from 0 to 1");
  ExpectError(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, params: {stop: [a, '']}}\n",
      "field 'stop': expected non-empty strings");
  ExpectError("  - {name: o, type: openai, base_url: 'http://u:p@h/v1', model: m}\n",
              "field 'base_url': base_url must not contain credentials");
  ExpectError("  - {name: o, type: openai, base_url: 'http://h/v1', model: m, price: {input: 1}}\n",
              "field 'input': unknown key");
  ExpectError(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, circuit_breaker: -1}\n",
      "field 'circuit_breaker': expected an integer from 0");
  ExpectError(
      "  - {name: o, type: openai, base_url: 'http://h/v1', model: m, headers: {'A B': x}}\n",
      "field 'headers': invalid header name \"A B\"");
}

TEST(TargetConfig, AnthropicDefaultsToTheHostedApi) {
  TargetConfig t = MustParse(R"(  - name: claude
    type: anthropic
    model: claude-3-5-haiku-20241022
    api_key_env: ANTHROPIC_API_KEY
    system_prompt: Be careful.
    params: {temperature: 0.3, max_tokens: 512, stop: ["\n\nHuman:"]}
    headers: {anthropic-beta: x}
)");
  EXPECT_EQ(t.type, TargetType::kAnthropic);
  EXPECT_EQ(t.base_url, "https://api.anthropic.com/v1");
  EXPECT_EQ(t.api_key_env, "ANTHROPIC_API_KEY");
  EXPECT_EQ(*t.max_tokens, 512);
  EXPECT_EQ(t.stop, std::vector<std::string>{"\n\nHuman:"});
  EXPECT_EQ(
      MustParse("  - {name: c, type: anthropic, model: m, base_url: 'http://p:8/v1'}\n").base_url,
      "http://p:8/v1");
  ExpectError("  - {name: c, type: anthropic, model: m, params: {temperature: 1.5}}\n",
              "field 'temperature': expected a number from 0 to 1");
  ExpectError("  - {name: c, type: anthropic}\n", "suite.yaml:5: field 'model': required");
}

TEST(TargetConfig, HttpTakesATemplateAndResponsePaths) {
  TargetConfig t = MustParse(R"(  - name: api
    type: http
    url: https://models.example.com/v1/generate
    method: put
    headers: {Authorization: "Bearer {{api_key}}", X-Team: safety}
    api_key_env: MY_KEY
    body: '{"input": "{{prompt}}", "history": {{messages_json}}, "app": "{{var.app}}"}'
    response_path: [/output/text, /choices/0/text]
    variables: {app: assistant}
    ok_status: [200, 400]
    system_prompt: Be safe.
    concurrency: 8
    requests_per_minute: 60
)");
  EXPECT_EQ(t.type, TargetType::kHttp);
  EXPECT_EQ(t.url, "https://models.example.com/v1/generate");
  EXPECT_EQ(t.method, "PUT");
  EXPECT_EQ(t.headers.at("Authorization"), "Bearer {{api_key}}");
  EXPECT_EQ(t.response_paths, (std::vector<std::string>{"/output/text", "/choices/0/text"}));
  EXPECT_EQ(t.variables.at("app"), "assistant");
  EXPECT_EQ(t.ok_statuses, (std::vector<int>{200, 400}));
  EXPECT_EQ(t.concurrency, 8);
  TargetConfig single = MustParse(R"(  - name: api
    type: http
    url: http://127.0.0.1:9/x
    body: '{"q": "{{prompt}}"}'
    response_path: /answer
    ok_status: 201
)");
  EXPECT_EQ(single.method, "POST");
  EXPECT_EQ(single.response_paths, std::vector<std::string>{"/answer"});
  EXPECT_EQ(single.ok_statuses, std::vector<int>{201});
}

TEST(TargetConfig, HttpTemplateMistakesAreReportedAtTheirLine) {
  const std::string head = "  - name: api\n    type: http\n    url: http://h/x\n";
  ExpectError(head + "    body: '{\"q\": \"{{promt}}\"}'\n    response_path: /a\n",
              "suite.yaml:8: field 'body': unknown placeholder {{promt}}");
  ExpectError(head +
                  "    body: '{\"q\": \"{{prompt}}\", \"m\": \"{{var.model}}\"}'\n"
                  "    response_path: /a\n",
              "suite.yaml:8: field 'body': unknown variable 'model'");
  ExpectError(head + "    body: '{\"q\": {{prompt}}}'\n    response_path: /a\n",
              "suite.yaml:8: field 'body': not valid JSON");
  ExpectError(head + "    body: '{\"q\": \"{{prompt}}\"}'\n",
              "suite.yaml:5: field 'response_path': required");
  ExpectError(head + "    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: output\n",
              "suite.yaml:9: field 'response_path': \"output\" is not a JSON pointer");
  ExpectError(
      head + "    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: /a\n    ok_status: [700]\n",
      "suite.yaml:10: field 'ok_status': 700 is not an HTTP status");
  ExpectError(head +
                  "    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: /a\n"
                  "    headers: {Authorization: 'Bearer {{api_key}}'}\n",
              "suite.yaml:10: field 'headers': a header uses {{api_key}}; set api_key_env");
  ExpectError(
      head + "    method: GET\n    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: /a\n",
      "field 'body': a GET request sends no body");
  ExpectError(
      head + "    method: PATCH\n    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: /a\n",
      "field 'method': method must be POST, PUT or GET");
  ExpectError(head + "    body: '{\"q\": \"{{prompt}}\"}'\n    response_path: /a\n    model: m\n",
              "suite.yaml:10: field 'model': unknown key");
  ExpectError(
      "  - {name: api, type: http, url: 'h/x', body: '{\"q\": \"{{prompt}}\"}', response_path: "
      "/a}\n",
      "field 'url': url must start with http:// or https://");
}

TEST(TargetConfig, HttpTakesAToolCallsPointer) {
  const std::string head =
      "  - name: api\n    type: http\n    url: http://h/x\n"
      "    body: '{\"q\": \"{{prompt}}\", \"tools\": {{tools_json}}}'\n    response_path: /a\n";
  TargetConfig t = MustParse(head + "    tool_calls_pointer: /reply/calls\n");
  EXPECT_EQ(t.tool_calls_pointer, "/reply/calls");
  EXPECT_EQ(MustParse(head).tool_calls_pointer, "");
  ExpectError(head + "    tool_calls_pointer: calls\n",
              "suite.yaml:10: field 'tool_calls_pointer': \"calls\" is not a JSON pointer");
  // In the snapshot (and so the cache key) only when set: earlier snapshots are unchanged.
  EXPECT_THAT(TargetSnapshotJson(t), HasSubstr(R"("tool_calls_pointer":"/reply/calls")"));
  EXPECT_THAT(TargetSnapshotJson(MustParse(head)), ::testing::Not(HasSubstr("tool_calls")));
}

TEST(TargetConfig, ExecTakesACommandListOrString) {
  TargetConfig t = MustParse(R"(  - name: local
    type: exec
    command: [python3, model.py, --temperature, "0"]
    system_prompt: Be safe.
    timeout_s: 30
)");
  EXPECT_EQ(t.type, TargetType::kExec);
  EXPECT_EQ(t.command, (std::vector<std::string>{"python3", "model.py", "--temperature", "0"}));
  EXPECT_EQ(t.timeout_ms, 30000);
  EXPECT_EQ(t.concurrency, 4);   // exec's default
  EXPECT_EQ(t.max_attempts, 1);  // exec's default
  EXPECT_EQ(MustParse("  - {name: l, type: exec, command: '  ./run.sh  --fast '}\n").command,
            (std::vector<std::string>{"./run.sh", "--fast"}));
  ExpectError("  - {name: l, type: exec}\n", "suite.yaml:5: field 'command': required");
  ExpectError("  - {name: l, type: exec, command: '   '}\n", "field 'command': required");
  ExpectError("  - {name: l, type: exec, command: [a], concurrency: 300}\n",
              "field 'concurrency': expected an integer from 1 to 256");
  ExpectError("  - {name: l, type: exec, command: [a], base_url: 'http://h'}\n",
              "field 'base_url': unknown key");
}

TEST(TargetConfig, ImagesTakesSizeAndResponseFormat) {
  TargetConfig t = MustParse(R"(  - name: painter
    type: images
    base_url: http://127.0.0.1:8000/v1
    model: sdxl
    api_key_env: IMG_KEY
    size: 512x512
    response_format: b64_json
    headers: {X-Team: safety}
)");
  EXPECT_EQ(t.type, TargetType::kImages);
  EXPECT_EQ(t.image_size, "512x512");
  EXPECT_EQ(t.response_format, "b64_json");
  EXPECT_EQ(t.concurrency, 4);
  EXPECT_EQ(t.timeout_ms, 120000);
  ExpectError(
      "  - {name: p, type: images, base_url: 'http://h/v1', model: m, response_format: png}\n",
      "field 'response_format': expected b64_json or url, got 'png'");
  ExpectError("  - {name: p, type: images, base_url: 'http://h/v1', model: m, params: {}}\n",
              "field 'params': unknown key");
}

std::string Snapshot(const std::string& target) { return TargetSnapshotJson(MustParse(target)); }

TEST(TargetSnapshot, OpenAiSnapshotsOfEarlierSuitesAreUnchanged) {
  EXPECT_EQ(Snapshot("  - {name: o, type: openai, base_url: 'http://h/v1', model: m, "
                     "api_key_env: K, system_prompt: S, params: {temperature: 0.5, max_tokens: 9}, "
                     "headers: {X-A: secret-value}, concurrency: 3, timeout_s: 30}\n"),
            R"({"type":"openai","base_url":"http://h/v1","model":"m","api_key_env":"K",)"
            R"("system_prompt":"S","temperature":0.5,"max_tokens":9,"header_names":["X-A"],)"
            R"("timeout_ms":30000,"max_attempts":5})");
}

TEST(TargetSnapshot, EveryTypeRecordsWhatDecidesItsAnswersButNoSecretsOrLimits) {
  struct Case {
    std::string fields;  // inside the flow mapping
    std::string expected;
    bool headers;  // the type takes headers
  };
  const Case cases[] = {
      {"type: openai, base_url: 'http://h/v1', model: m, params: {top_p: 0.5, stop: x}",
       R"("top_p":0.5,"stop":["x"])", true},
      {"type: anthropic, model: claude, params: {max_tokens: 10}",
       R"("base_url":"https://api.anthropic.com/v1","model":"claude")", true},
      {"type: http, url: 'http://h/x', body: '{\"q\": \"{{prompt}}\"}', response_path: /a, "
       "variables: {v: w}, ok_status: 200",
       R"("response_paths":["/a"],"variables":{"v":"w"},"ok_statuses":[200])", true},
      {"type: exec, command: [python3, m.py], system_prompt: S",
       R"({"type":"exec","command":["python3","m.py"],"system_prompt":"S")", false},
      {"type: images, base_url: 'http://h/v1', model: sdxl, size: 64x64",
       R"("size":"64x64","response_format":"")", true},
  };
  for (const Case& c : cases) {
    std::string extra = ", concurrency: 2, requests_per_minute: 5";
    if (c.headers) extra += ", headers: {Authorization: tok-value}";
    std::string snap = Snapshot("  - {name: t, " + c.fields + extra + "}\n");
    EXPECT_THAT(snap, HasSubstr(c.expected));
    EXPECT_EQ(snap.find("concurrency"), std::string::npos) << snap;
    EXPECT_EQ(snap.find("requests_per_minute"), std::string::npos) << snap;
    EXPECT_EQ(snap.find("tok-value"), std::string::npos) << "a header value leaked: " << snap;
    EXPECT_EQ(snap.find("\"name\""), std::string::npos) << snap;
  }
}

TEST(TargetSnapshot, SamplingParametersChangeTheKeyButConcurrencyDoesNot) {
  const std::string base = "  - {name: o, type: openai, base_url: 'http://h/v1', model: m";
  std::string plain = Snapshot(base + "}\n");
  EXPECT_NE(plain, Snapshot(base + ", params: {top_p: 0.5}}\n"));
  EXPECT_NE(plain, Snapshot(base + ", params: {stop: END}}\n"));
  EXPECT_EQ(plain, Snapshot(base + ", concurrency: 99, requests_per_minute: 10, "
                                   "tokens_per_minute: 1000, circuit_breaker: 3, "
                                   "price: {input_per_mtok: 1}}\n"));
  const std::string http = "  - {name: h, type: http, url: 'http://h/x', response_path: /a, body: ";
  EXPECT_NE(Snapshot(http + "'{\"q\": \"{{prompt}}\"}'}\n"),
            Snapshot(http + "'{\"input\": \"{{prompt}}\"}'}\n"));
}

}  // namespace
}  // namespace safeval
