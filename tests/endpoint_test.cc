// A whole suite against an in-process mock OpenAI-compatible server on loopback,
// including 429 and 500 answers: outcomes, retries, reports and secrets.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli/run_report.h"
#include "core/clock.h"
#include "run/evaluation.h"
#include "store/store.h"
#include "testing/mock_openai_server.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"

namespace safeval::testing {
namespace {

constexpr char kSecret[] = "sk-test-0123456789-very-secret";

std::string LastUserText(const std::string& body) {
  auto j = nlohmann::json::parse(body);
  return j["messages"].back()["content"].get<std::string>();
}

// Refuses "[harmful]" prompts, complies with prompt 4, rate-limits the first attempt of
// prompts 1 and 2, and always fails prompt 7 with HTTP 500. The 429s go to two prompts, not to
// the first two requests to arrive: those can be one prompt's attempt and its retry, when the
// retry overtakes the other first attempts (it did under ASan), and that prompt then fails.
struct Script {
  std::mutex mutex;
  std::set<std::string> limited;  // prompts already answered 429 once

  MockReply operator()(const std::string& body);
};

MockReply Script::operator()(const std::string& body) {
  std::string text = LastUserText(body);
  for (const char* prefix : {"prompt 1 ", "prompt 2 "}) {
    if (text.rfind(prefix, 0) != 0) continue;
    std::lock_guard lock(mutex);
    if (limited.insert(prefix).second) {
      return {429, R"({"error":"slow down"})", {{"Retry-After", "0"}}};
    }
  }
  if (text.rfind("prompt 7 ", 0) == 0) return {500, R"({"error":"boom"})"};
  if (text.rfind("prompt 4 ", 0) == 0) {
    return MockOpenAiServer::ChatReply("Sure! Here is how:\n1. [step-by-step method]\n2. [exact quantities]");
  }
  if (text.find("[harmful]") != std::string::npos) return MockOpenAiServer::ChatReply("I can't help with that.");
  return MockOpenAiServer::ChatReply("Here's an overview: it depends on the context, and here are the main points.");
}

TEST(Endpoint, WholeSuiteAgainstMockServerWith429And500) {
  Script script;
  MockOpenAiServer server([&script](const std::string& body, int) { return script(body); });
  TempDir dir;
  WriteDataset(dir, 12);
  std::string suite = WriteOpenAiSuite(dir, server.base_url(),
                                       "    api_key_env: E2E_KEY\n    max_attempts: 2\n    concurrency: 4\n");
  SystemClock clock;
  std::ostringstream out, err;
  EvaluationEnv env;
  env.clock = &clock;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    if (name == "E2E_KEY") return std::string(kSecret);
    return std::nullopt;
  };
  env.out = &out;
  env.err = &err;
  env.write_report = [&out](Store& store, const RunRecord& run, const Taxonomy& taxonomy,
                            const Policy& policy) {
    return WriteRunReport(store, run, taxonomy, policy.name(), run.output_dir, out, false);
  };
  EvaluationRequest request;
  request.suite_path = suite;
  request.store = dir.File("store/safeval.db");
  request.output_dir = dir.File("out");

  auto runs = RunEvaluation(request, env);
  ASSERT_TRUE(runs.ok()) << runs.status().ToString() << "\n" << err.str();
  ASSERT_EQ(runs->size(), 1u);
  const CompletedRun& run = runs->front();
  EXPECT_EQ(run.status, "finished");
  EXPECT_EQ(run.totals.items, 12);
  EXPECT_EQ(run.totals.model_error, 1);  // prompt 7: 500 on both attempts
  EXPECT_EQ(run.totals.judged, 11);
  // 12 prompts + 2 rate-limited attempts retried + 1 retry of the 500.
  EXPECT_EQ(server.requests(), 15);
  for (const auto& headers : server.request_headers()) {
    EXPECT_EQ(headers.at("authorization"), std::string("Bearer ") + kSecret);
  }

  std::string json = ReadFile(run.output_dir + "/results.json");
  std::string html = ReadFile(run.output_dir + "/report.html");
  ASSERT_FALSE(json.empty());
  ASSERT_FALSE(html.empty());
  auto results = nlohmann::json::parse(json);
  EXPECT_EQ(results["totals"]["model_error"], 1);
  EXPECT_EQ(results["run"]["demo"], false);
  bool found_violation = false;
  for (const auto& row : results["metrics"]) {
    if (row["metric"] == "violation_rate" && row["group_by"].empty()) {
      EXPECT_EQ(row["n"], 7);  // 8 unsafe prompts minus prompt 7 (an error, not a verdict)
      EXPECT_EQ(row["count"], 1);  // prompt 4 complied
      found_violation = true;
    }
  }
  EXPECT_TRUE(found_violation);

  // The key never reaches the store, the reports or the output.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
    if (!entry.is_regular_file()) continue;
    EXPECT_EQ(ReadFile(entry.path().string()).find(kSecret), std::string::npos) << entry.path();
  }
  EXPECT_EQ(out.str().find(kSecret), std::string::npos);
  EXPECT_EQ(err.str().find(kSecret), std::string::npos);
}

TEST(Endpoint, MissingKeyVariableFailsBeforeAnyRequest) {
  MockOpenAiServer server;
  TempDir dir;
  WriteDataset(dir, 3);
  std::string suite = WriteOpenAiSuite(dir, server.base_url(), "    api_key_env: NOT_SET_ANYWHERE\n");
  SystemClock clock;
  std::ostringstream out, err;
  EvaluationEnv env{&clock, [](const std::string&) { return std::optional<std::string>(); }, &out, &err};
  EvaluationRequest request;
  request.suite_path = suite;
  request.store = dir.File("store/safeval.db");
  auto runs = RunEvaluation(request, env);
  ASSERT_FALSE(runs.ok());
  EXPECT_EQ(runs.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(runs.status().message().find("NOT_SET_ANYWHERE"), std::string::npos);
  EXPECT_EQ(server.requests(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir.File("store/safeval.db")));
}

}  // namespace
}  // namespace safeval::testing
