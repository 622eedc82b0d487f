// `safeval dataset validate`, `safeval dataset stats` and `safeval taxonomy show`, run through
// the real binary on tiny datasets and a tiny taxonomy written to a temporary folder.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kTinyTaxonomy[] = R"(schema_version: 1
id: tiny
nodes:
  - id: ncr
    name: Non-violent crimes
    children:
      - id: fraud
        name: Fraud
        children:
          - {id: phishing, name: Phishing}
      - {id: theft, name: Theft}
  - {id: ssh, name: Self-harm}
)";

std::string Line(const std::string& id, const std::string& category, const std::string& intent) {
  return R"({"id": ")" + id + R"(", "text": "[placeholder request]", "category": ")" + category +
         R"(", "intent": ")" + intent + "\"}\n";
}

// Every leaf of kTinyTaxonomy with 1 safe, 2 harmful and 2 adversarial prompts: no gaps, and
// exactly the default 20/40/40 mix.
std::string CompleteDataset() {
  std::string out;
  int n = 0;
  for (const char* leaf : {"ncr/fraud/phishing", "ncr/theft", "ssh"}) {
    for (const char* intent : {"safe", "harmful", "harmful", "adversarial", "adversarial"}) {
      out += Line("p" + std::to_string(++n), leaf, intent);
    }
  }
  return out;
}

class DatasetCli : public ::testing::Test {
 protected:
  DatasetCli() : taxonomy_(tmp_.Write("tiny.yaml", kTinyTaxonomy)) {}

  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    return RunProcess(args, tmp_.path());
  }

  TempDir tmp_;
  std::string taxonomy_;
};

TEST_F(DatasetCli, ValidateAcceptsAGoodDataset) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset());
  ProcessResult r = Run({"dataset", "validate", data, "--taxonomy", taxonomy_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("15 prompts OK"));
}

TEST_F(DatasetCli, ValidateListsEveryProblemWithFileLineAndField) {
  std::string data =
      tmp_.Write("bad.jsonl", Line("a", "ssh", "safe") + Line("b", "ssh", "evil") +
                                  Line("c", "ncr/nope", "safe") + Line("a", "ssh", "harmful"));
  ProcessResult r = Run({"dataset", "validate", data, "--taxonomy", taxonomy_});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr(data + ":2: field 'intent': "));
  EXPECT_THAT(r.out, HasSubstr(data + ":3: field 'category': "));
  EXPECT_THAT(r.out, HasSubstr(data + ":4: field 'id': "));
  EXPECT_THAT(r.out, HasSubstr("3 problems in 1 file"));
  EXPECT_THAT(r.out, Not(HasSubstr("prompts OK")));
}

TEST_F(DatasetCli, ValidateRejectsAnUnknownTaxonomy) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset());
  ProcessResult r = Run({"dataset", "validate", data, "--taxonomy", "builtin:nope"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("builtin:safeval-v1"));
}

TEST_F(DatasetCli, StatsPassesACompleteDatasetOnTargetMix) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset());
  ProcessResult r = Run({"dataset", "stats", data, "--taxonomy", taxonomy_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Gaps: none"));
  EXPECT_THAT(r.out, HasSubstr("Result: OK"));
}

TEST_F(DatasetCli, StatsFailsWithOneOnGapsAndListsThem) {
  std::string data = tmp_.Write("gaps.jsonl", Line("a", "ncr/fraud/phishing", "safe") +
                                                  Line("b", "ncr/theft", "harmful") +
                                                  Line("c", "ncr", "adversarial"));
  ProcessResult r = Run({"dataset", "stats", data, "--taxonomy", taxonomy_});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("ncr/fraud/phishing: harmful, adversarial"));
  EXPECT_THAT(r.out, HasSubstr("ssh: safe, harmful, adversarial"));
  EXPECT_THAT(r.out, HasSubstr("categorised at an internal node"));
  EXPECT_THAT(r.out, HasSubstr("Result: FAIL (7 gaps"));
}

TEST_F(DatasetCli, StatsFailsWhenTheMixIsOffByMoreThanTheTolerance) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset());
  // 20/40/40 against 30/35/35: safe is 10 points off.
  std::vector<std::string> args = {"dataset",
                                   "stats",
                                   data,
                                   "--taxonomy",
                                   taxonomy_,
                                   "--mix",
                                   "safe=30,harmful=35,adversarial=35"};
  ProcessResult off = Run(args);
  EXPECT_EQ(off.exit_code, 1) << off.out << off.err;
  EXPECT_THAT(off.out, HasSubstr("OFF TARGET"));
  args.insert(args.end(), {"--tolerance", "10"});
  EXPECT_EQ(Run(args).exit_code, 0);
}

TEST_F(DatasetCli, StatsJsonParsesAndCarriesGapsCountsAndMix) {
  std::string data = tmp_.Write("gaps.jsonl", Line("a", "ncr/fraud/phishing", "safe") +
                                                  Line("b", "ncr/theft", "harmful") +
                                                  Line("c", "ssh", "adversarial"));
  ProcessResult r = Run({"dataset", "stats", data, "--taxonomy", taxonomy_, "--json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);  // throws (and fails the test) if not JSON
  EXPECT_EQ(doc["taxonomy"], "tiny");
  EXPECT_EQ(doc["prompts"], 3);
  EXPECT_EQ(doc["content_hash"].get<std::string>().size(), 16u);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["coverage"]["gaps"].size(), 6u);
  EXPECT_EQ(doc["coverage"]["gaps"][0]["leaf"], "ncr/fraud/phishing");
  EXPECT_EQ(doc["coverage"]["gaps"][0]["intent"], "harmful");
  EXPECT_EQ(doc["nodes"][0]["path"], "ncr");
  EXPECT_EQ(doc["nodes"][0]["total"], 2);  // rolled up from two leaves
  EXPECT_EQ(doc["by_intent"]["safe"], 1);
  EXPECT_EQ(doc["mix"]["intents"][0]["intent"], "safe");
  EXPECT_NEAR(doc["mix"]["intents"][0]["deviation_points"].get<double>(), 100.0 / 3 - 20, 1e-9);
}

TEST_F(DatasetCli, StatsDepthLimitsTheNodeList) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset());
  ProcessResult r =
      Run({"dataset", "stats", data, "--taxonomy", taxonomy_, "--json", "--depth", "1"});
  nlohmann::json doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["nodes"].size(), 2u);               // ncr, ssh
  EXPECT_EQ(doc["coverage"]["matrix"].size(), 3u);  // the matrix keeps every leaf
}

TEST_F(DatasetCli, StatsRejectsBadInputWithTwo) {
  std::string good = tmp_.Write("good.jsonl", CompleteDataset());
  ProcessResult sum = Run({"dataset", "stats", good, "--taxonomy", taxonomy_, "--mix",
                           "safe=20,harmful=40,adversarial=30"});
  EXPECT_EQ(sum.exit_code, 2);
  EXPECT_THAT(sum.err, HasSubstr("--mix"));
  EXPECT_THAT(sum.err, HasSubstr("sum to 90, not 100"));
  ProcessResult syntax =
      Run({"dataset", "stats", good, "--taxonomy", taxonomy_, "--mix", "safe:20"});
  EXPECT_EQ(syntax.exit_code, 2);
  EXPECT_THAT(syntax.err, HasSubstr("expected intent=percent"));

  std::string bad = tmp_.Write("bad.jsonl", Line("a", "ssh", "evil"));
  ProcessResult r = Run({"dataset", "stats", bad, "--taxonomy", taxonomy_});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(bad + ":1: field 'intent'"));
}

// The whitespace-separated words of the first line of `text` containing `needle`.
std::vector<std::string> WordsOfLine(const std::string& text, const std::string& needle) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(needle) == std::string::npos) continue;
    std::istringstream words(line);
    return {std::istream_iterator<std::string>(words), std::istream_iterator<std::string>()};
  }
  return {};
}

TEST_F(DatasetCli, TaxonomyShowDrawsTheTreeWithCounts) {
  std::string data = tmp_.Write("good.jsonl", CompleteDataset() + Line("x", "ncr", "safe"));
  ProcessResult r = Run({"taxonomy", "show", "--taxonomy", taxonomy_, "--counts", data});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("├── ncr  Non-violent crimes"));
  EXPECT_THAT(r.out, HasSubstr("│   ├── fraud  Fraud"));
  EXPECT_THAT(r.out, HasSubstr("└── ssh  Self-harm"));
  // total, safe, harmful, adversarial: ncr has its own prompt plus two leaves' five each.
  EXPECT_THAT(WordsOfLine(r.out, "ncr  Non-violent"),
              ::testing::ElementsAre("├──", "ncr", "Non-violent", "crimes", "11", "3", "4", "4"));
  EXPECT_THAT(WordsOfLine(r.out, "phishing  Phishing"),
              ::testing::ElementsAre("│", "│", "└──", "phishing", "Phishing", "5", "1", "2", "2"));
  EXPECT_THAT(r.out, HasSubstr("16 prompts"));
}

TEST_F(DatasetCli, TaxonomyShowDefaultsToSafevalV1) {
  ProcessResult r = Run({"taxonomy", "show"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("safeval-v1"));
  EXPECT_THAT(r.out, HasSubstr("phishing  Phishing"));
  EXPECT_THAT(r.out, HasSubstr("52 leaves"));
  EXPECT_EQ(Run({"taxonomy"}).exit_code, 2);  // a subcommand is required
}

}  // namespace
}  // namespace safeval::testing
