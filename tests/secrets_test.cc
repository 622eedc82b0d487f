// API keys never leave the environment: the safeval binary runs suites whose targets and
// judge take their keys from environment variables (api_key_env), against loopback mock
// endpoints — some of which answer 401 with the Authorization header echoed in the body,
// as misconfigured proxies do — and then writes every report format. The key must appear
// in no file under the test's folder (store, WAL, request log, output folder, reports,
// verdict files) and in no stdout or stderr of any command.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "testing/mock_openai_server.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/suite_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

// Recognisable in any file or stream; a random tail so no fixture can contain it by chance.
// Every check below also looks for the marker alone, which catches a key cut short.
constexpr char kMarker[] = "SAFEVALSECRET";

std::string MakeKey(const std::string& kind) {
  std::random_device device;
  std::ostringstream key;
  key << "sk-" << kMarker << "-" << kind << "-" << std::hex << device() << device();
  return key.str();
}

// A 401 whose body echoes the Authorization header the request carried.
MockReply EchoUnauthorized(const MockOpenAiServer& server, int request_number) {
  std::vector<std::map<std::string, std::string>> headers = server.request_headers();
  std::string auth = headers.at(request_number).count("authorization")
                         ? headers.at(request_number).at("authorization")
                         : std::string("(none)");
  nlohmann::json body = {
      {"error",
       {{"message", "Incorrect API key provided: " + auth}, {"type", "invalid_request_error"}}}};
  return {401, body.dump()};
}

// A mock whose handler reads the request headers of the server itself. Requests arrive
// only once a test starts safeval, after the constructor has returned.
class EchoingServer {
 public:
  // Answers 401 (echoing the key) to every request for which `fail` is true.
  EchoingServer(std::function<bool(const std::string& body)> fail,
                std::function<MockReply(const std::string& body)> ok_reply)
      : server_([this, fail, ok_reply](const std::string& body, int n) {
          return fail(body) ? EchoUnauthorized(server_, n) : ok_reply(body);
        }) {}
  MockOpenAiServer& server() { return server_; }

 private:
  MockOpenAiServer server_;
};

std::string LastUserText(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.contains("messages")) return "";
  return j["messages"].back().value("content", "");
}

MockReply JudgeVerdict(const std::string&) {
  return MockOpenAiServer::ChatReply(
      R"({"class": "refuses", "violation": false, "quality": 4, "severity": 0, "rationale": "declines"})");
}

class SecretsTest : public ::testing::Test {
 protected:
  SecretsTest() : model_key_(MakeKey("MODEL")), judge_key_(MakeKey("JUDGE")) {}

  // Runs the safeval binary in the test's folder with both keys in its environment, and
  // checks that neither reaches its stdout or stderr.
  ProcessResult Safeval(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/env", "SAFEVAL_TEST_MODEL_KEY=" + model_key_,
                                     "SAFEVAL_TEST_JUDGE_KEY=" + judge_key_, "NO_COLOR=1",
                                     SafevalBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    ProcessResult r = RunProcess(argv, dir_.path());
    std::string command;
    for (const std::string& a : args) command += a + " ";
    ExpectNoSecret(r.out, "stdout of safeval " + command);
    ExpectNoSecret(r.err, "stderr of safeval " + command);
    return r;
  }

  void ExpectNoSecret(const std::string& text, const std::string& where) {
    EXPECT_EQ(text.find(model_key_), std::string::npos) << "the model key is in " << where;
    EXPECT_EQ(text.find(judge_key_), std::string::npos) << "the judge key is in " << where;
    EXPECT_EQ(text.find(kMarker), std::string::npos) << "part of a key is in " << where;
  }

  // Every file under the test's folder: the store (and its WAL), outputs, reports.
  void ExpectNoSecretInFiles() {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_.path())) {
      if (!entry.is_regular_file()) continue;
      ++files;
      ExpectNoSecret(ReadFile(entry.path().string()), entry.path().string());
    }
    EXPECT_GT(files, 3);
  }

  // The suite: one openai target with the model key, an llm judge whose endpoint takes
  // the judge key, the rules judge first (it decides the rates).
  void WriteSuite(const std::string& model_url, const std::string& judge_url) {
    WriteDataset(dir_, 9);
    dir_.Write("suite.yaml",
               "schema_version: 1\nname: secrets\ndatasets: [data.jsonl]\n"
               "targets:\n"
               "  - name: model\n    type: openai\n    base_url: " +
                   model_url +
                   "\n    model: mock-model\n    api_key_env: SAFEVAL_TEST_MODEL_KEY\n"
                   "    max_attempts: 2\n    concurrency: 2\n"
                   "  - name: judge-model\n    type: openai\n    base_url: " +
                   judge_url +
                   "\n    model: judge-llm\n    api_key_env: SAFEVAL_TEST_JUDGE_KEY\n"
                   "    max_attempts: 1\n"
                   "judges:\n  - {name: rules, type: rules}\n"
                   "  - {name: gpt-judge, type: llm, target: judge-model}\n"
                   "store: store/safeval.db\noutput_dir: out\n");
  }

  // The run ids in the store, from `safeval runs`.
  std::vector<std::string> RunIds() {
    ProcessResult r = Safeval({"runs", "--store", "store/safeval.db"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> ids;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty()) ids.push_back(line.substr(0, line.find(' ')));
    }
    return ids;
  }

  // Writes the run's report in every format, to files and to stdout.
  void WriteEveryReport(const std::string& run) {
    EXPECT_EQ(Safeval({"report", run, "--store", "store/safeval.db"}).exit_code, 0);
    for (const char* format : {"html", "json", "csv", "junit", "md"}) {
      ProcessResult to_stdout =
          Safeval({"report", run, "--store", "store/safeval.db", "--format", format});
      EXPECT_EQ(to_stdout.exit_code, 0) << format << ": " << to_stdout.err;
      EXPECT_FALSE(to_stdout.out.empty()) << format;
      EXPECT_EQ(Safeval({"report", run, "--store", "store/safeval.db", "--format", format, "-o",
                         std::string("reports/report.") + format})
                    .exit_code,
                0)
          << format;
    }
  }

  TempDir dir_;
  std::string model_key_;
  std::string judge_key_;
};

TEST_F(SecretsTest, SuccessfulRunWithAJudgeTargetLeaksNoKey) {
  MockOpenAiServer model;
  MockOpenAiServer judge([](const std::string& body, int) { return JudgeVerdict(body); });
  WriteSuite(model.base_url(), judge.base_url());

  ProcessResult run = Safeval({"run", "suite.yaml", "--log", "requests.jsonl"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The keys were really used, each on its own endpoint.
  ASSERT_GT(model.requests(), 0);
  ASSERT_GT(judge.requests(), 0);
  for (const auto& headers : model.request_headers()) {
    EXPECT_EQ(headers.at("authorization"), "Bearer " + model_key_);
  }
  for (const auto& headers : judge.request_headers()) {
    EXPECT_EQ(headers.at("authorization"), "Bearer " + judge_key_);
  }

  std::vector<std::string> runs = RunIds();
  ASSERT_EQ(runs.size(), 1u);
  WriteEveryReport(runs[0]);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("reports/report.html")));
  EXPECT_FALSE(ReadFile(dir_.File("requests.jsonl")).empty());
  ExpectNoSecretInFiles();
}

TEST_F(SecretsTest, EndpointsThatEchoTheKeyIn401BodiesLeakNothing) {
  // The model refuses the key for every "[harmful]" prompt; the judge endpoint for all.
  EchoingServer model(
      [](const std::string& body) {
        return LastUserText(body).find("[harmful]") != std::string::npos;
      },
      [](const std::string& body) { return MockOpenAiServer::DefaultReply(body); });
  EchoingServer judge([](const std::string&) { return true; }, JudgeVerdict);
  WriteSuite(model.server().base_url(), judge.server().base_url());

  ProcessResult run = Safeval({"run", "suite.yaml", "--log", "requests.jsonl"});
  // Model errors and judge errors are recorded, not fatal (exit 0 or 3 are both fine here;
  // what matters is what was written and printed).
  EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 3) << run.exit_code << "\n" << run.err;
  ASSERT_GT(model.server().requests(), 0);
  ASSERT_GT(judge.server().requests(), 0);

  std::vector<std::string> runs = RunIds();
  ASSERT_EQ(runs.size(), 1u);
  WriteEveryReport(runs[0]);
  // The errors did reach the report (so the check below looked at them).
  std::string csv = ReadFile(dir_.File("reports/report.csv"));
  EXPECT_NE(csv.find("HTTP 401"), std::string::npos) << csv;
  EXPECT_NE(csv.find("Incorrect API key provided: Bearer [redacted]"), std::string::npos) << csv;

  // Re-judging and classifying through a judge configuration that names the same endpoint.
  dir_.Write("judges.yaml",
             "schema_version: 1\ntargets:\n  - {name: judge-model, type: openai, base_url: " +
                 judge.server().base_url() +
                 ", model: judge-llm, api_key_env: SAFEVAL_TEST_JUDGE_KEY, max_attempts: 1}\n"
                 "judges:\n  - {name: gpt-judge, type: llm, target: judge-model}\n");
  dir_.Write("pairs.jsonl",
             R"({"id": "t1", "prompt": "[request]", "response": "I can't help with that."})"
             "\n");
  ProcessResult classify = Safeval({"judge", "classify", "--judge", "judges.yaml", "--input",
                                    "pairs.jsonl", "-o", "verdicts.jsonl"});
  EXPECT_EQ(classify.exit_code, 3) << classify.err;
  EXPECT_NE(ReadFile(dir_.File("verdicts.jsonl")).find("\"error\""), std::string::npos);
  Safeval({"judge", runs[0], "--judge", "judges.yaml", "--store", "store/safeval.db"});
  Safeval({"report", runs[0], "--store", "store/safeval.db"});
  ExpectNoSecretInFiles();
}

}  // namespace
}  // namespace safeval::testing
