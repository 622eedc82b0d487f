// `safeval dataset validate` and `dataset stats` read their input in one streamed pass
// (DatasetStream): these tests check that what they aggregate over several files and a folder
// equals a naive count made here, line by line, of the same generated data. (Their memory on a
// 2 GB file is measured by bench/dataset/run.sh, not asserted here.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

using ::testing::HasSubstr;

// A taxonomy with three levels, so roll-ups from leaves and internal nodes both show.
constexpr char kTaxonomy[] = R"(schema_version: 1
id: stream-test
nodes:
  - id: ncr
    name: Non-violent crimes
    children:
      - id: fraud
        name: Fraud
        children:
          - {id: phishing, name: Phishing}
          - {id: scams, name: Scams}
      - {id: theft, name: Theft}
  - {id: ssh, name: Self-harm}
  - {id: hte, name: Hate}
)";

// Categories used, including an internal node (ncr/fraud) and a top-level one (ncr).
const std::vector<std::string> kCategories = {"ncr/fraud/phishing", "ncr/fraud/scams", "ncr/theft",
                                              "ssh", "hte", "ncr/fraud", "ncr"};
const std::vector<std::string> kNodes = {"ncr",       "ncr/fraud", "ncr/fraud/phishing",
                                         "ncr/fraud/scams", "ncr/theft", "ssh", "hte"};
const std::vector<std::string> kIntents = {"safe", "harmful", "adversarial"};
const std::vector<std::string> kPersonas = {"normal", "unskilled", "skilled"};
const std::vector<std::string> kLocales = {"en_US", "fr_FR", "de_DE", "ja_JP", "pt_BR"};
const std::vector<std::string> kTechniques = {"fiction_roleplay", "historical_framing",
                                              "payload_splitting", "base64"};

// The naive reference: counts kept while the lines are generated.
struct Expected {
  int64_t prompts = 0;
  std::map<std::string, int64_t> by_intent, by_persona, by_technique, by_locale;
  int64_t without_persona = 0, without_technique = 0, without_locale = 0;
  std::map<std::string, int64_t> node_total;                        // node and below
  std::map<std::string, std::map<std::string, int64_t>> node_intent;  // node and below
};

bool Under(const std::string& category, const std::string& node) {
  return category == node || category.rfind(node + "/", 0) == 0;
}

// Prompt i of the generated data; the mixes use different moduli so the axes vary
// independently. Adversarial prompts carry a chain of 1-3 techniques (sometimes repeating one,
// which counts once).
std::string GenerateLine(int i, Expected& e) {
  const std::string& category = kCategories[i % kCategories.size()];
  const std::string& intent = kIntents[(i / 7) % kIntents.size()];
  nlohmann::json line = {{"id", "s" + std::to_string(i)},
                         {"text", "[placeholder request " + std::to_string(i) + "]"},
                         {"category", category},
                         {"intent", intent}};
  ++e.prompts;
  ++e.by_intent[intent];
  if (i % 4 == 3) {
    ++e.without_persona;
  } else {
    const std::string& persona = kPersonas[i % 4 % kPersonas.size()];
    line["persona"] = persona;
    ++e.by_persona[persona];
  }
  if (i % 6 == 0) {
    ++e.without_locale;
  } else {
    const std::string& locale = kLocales[i % kLocales.size()];
    line["locale"] = locale;
    ++e.by_locale[locale];
  }
  if (intent == "adversarial") {
    std::vector<std::string> chain;
    for (int k = 0; k <= i % 3; ++k) chain.push_back(kTechniques[(i + k * (i % 2)) % kTechniques.size()]);
    line["techniques"] = chain;
    for (const std::string& t : std::set<std::string>(chain.begin(), chain.end())) ++e.by_technique[t];
  } else {
    ++e.without_technique;
  }
  for (const std::string& node : kNodes) {
    if (!Under(category, node)) continue;
    ++e.node_total[node];
    ++e.node_intent[node][intent];
  }
  return line.dump() + "\n";
}

class DatasetStreamCli : public ::testing::Test {
 protected:
  DatasetStreamCli() : taxonomy_(tmp_.Write("taxonomy.yaml", kTaxonomy)) {
    // Three files in a folder (read in name order) and one more file given after it; blank
    // lines and CRLF endings on the way. The concatenation, in the same order, is all.jsonl.
    std::string all;
    int i = 0;
    for (const auto& [name, count] : std::vector<std::pair<std::string, int>>{
             {"folder/a.jsonl", 1200}, {"folder/b.jsonl", 1}, {"folder/c.jsonl", 2500},
             {"last.jsonl", 900}}) {
      std::string text;
      for (int n = 0; n < count; ++n) {
        std::string line = GenerateLine(i++, expected_);
        all += line;
        if (n % 100 == 50) line.insert(line.size() - 1, "\r");
        text += line;
        if (n % 333 == 7) text += "\n   \n";
      }
      tmp_.Write(name, text);
    }
    tmp_.Write("all.jsonl", all);
  }

  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), SafevalBinary());
    args.insert(args.end(), {"--taxonomy", taxonomy_});
    return RunProcess(args, tmp_.path());
  }

  TempDir tmp_;
  std::string taxonomy_;
  Expected expected_;
};

nlohmann::json ToJson(const std::map<std::string, int64_t>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, n] : counts) out[key] = n;
  return out;
}

TEST_F(DatasetStreamCli, StatsOverAFolderAndAFileEqualsANaiveCount) {
  ProcessResult r = Run({"dataset", "stats", "folder", "last.jsonl", "--json", "--mix",
                         "safe=34,harmful=33,adversarial=33", "--tolerance", "50"});
  ASSERT_LE(r.exit_code, 1) << r.err;
  nlohmann::json stats = nlohmann::json::parse(r.out);
  EXPECT_EQ(stats["prompts"], expected_.prompts);
  EXPECT_EQ(stats["prompts"], 4601);
  EXPECT_EQ(stats["by_intent"], ToJson(expected_.by_intent));
  nlohmann::json personas = ToJson(expected_.by_persona);
  EXPECT_EQ(stats["by_persona"], personas);
  EXPECT_EQ(stats["without_persona"], expected_.without_persona);
  EXPECT_EQ(stats["by_technique"], ToJson(expected_.by_technique));
  EXPECT_EQ(stats["without_technique"], expected_.without_technique);
  EXPECT_EQ(stats["by_locale"], ToJson(expected_.by_locale));
  EXPECT_EQ(stats["without_locale"], expected_.without_locale);
  ASSERT_EQ(stats["nodes"].size(), kNodes.size());
  for (const nlohmann::json& node : stats["nodes"]) {
    std::string path = node["path"];
    EXPECT_EQ(node["total"], expected_.node_total[path]) << path;
    for (const std::string& intent : kIntents) {
      EXPECT_EQ(node["by_intent"][intent], expected_.node_intent[path][intent]) << path << intent;
    }
  }
  // ncr/fraud and ncr hold prompts of their own: counted for them, in no leaf cell.
  EXPECT_EQ(stats["coverage"]["internal_node_prompts"].size(), 2u);
  EXPECT_TRUE(stats["coverage"]["gaps"].empty());
}

TEST_F(DatasetStreamCli, ValidateAndStatsAgreeWithTheConcatenatedFile) {
  ProcessResult parts = Run({"dataset", "validate", "folder", "last.jsonl"});
  ProcessResult whole = Run({"dataset", "validate", "all.jsonl"});
  ASSERT_EQ(parts.exit_code, 0) << parts.out << parts.err;
  ASSERT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  EXPECT_THAT(parts.out, HasSubstr("4601 prompts OK (taxonomy stream-test, content hash "));
  // The content hash ignores how the prompts are split into files, blank lines and CRLF.
  EXPECT_EQ(parts.out, whole.out);
  nlohmann::json stats = nlohmann::json::parse(
      Run({"dataset", "stats", "folder", "last.jsonl", "--json", "--tolerance", "100"}).out);
  EXPECT_THAT(parts.out, HasSubstr(stats["content_hash"].get<std::string>()));
}

TEST_F(DatasetStreamCli, ProblemsInLaterFilesAreLocatedAndStopStats) {
  // A duplicate of an id of folder/a.jsonl, and a bad intent, in a file read after the folder.
  tmp_.Write("extra.jsonl",
             "{\"id\": \"x1\", \"text\": \"[placeholder]\", \"category\": \"ssh\", \"intent\": \"safe\"}\n"
             "{\"id\": \"s5\", \"text\": \"[placeholder]\", \"category\": \"ssh\", \"intent\": \"safe\"}\n"
             "{\"id\": \"x3\", \"text\": \"[placeholder]\", \"category\": \"ssh\", \"intent\": \"evil\"}\n");
  ProcessResult v = Run({"dataset", "validate", "folder", "last.jsonl", "extra.jsonl"});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_THAT(v.out, HasSubstr("extra.jsonl:2: field 'id': duplicate id 's5' (first at "));
  EXPECT_THAT(v.out, HasSubstr("folder/a.jsonl:6)"));
  EXPECT_THAT(v.out, HasSubstr("extra.jsonl:3: field 'intent'"));
  EXPECT_THAT(v.out, HasSubstr("2 problems in 1 file; 4602 prompts without problems"));
  ProcessResult s = Run({"dataset", "stats", "folder", "last.jsonl", "extra.jsonl"});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_TRUE(s.out.empty()) << s.out;
  EXPECT_THAT(s.err, HasSubstr("nothing was counted"));
}

}  // namespace
}  // namespace safeval::testing
