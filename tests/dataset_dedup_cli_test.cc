// `safeval dataset dedup` and `safeval dataset sample` end to end, through the real binary.
// Fixtures are inline JSONL with placeholder requests only.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

std::string Line(const std::string& id, const std::string& text,
                 const std::string& category = "ncr", const std::string& intent = "harmful") {
  nlohmann::json line = {{"id", id}, {"text", text}, {"category", category}, {"intent", intent}};
  return line.dump() + "\n";
}

const char kLongText[] =
    "For a compliance training module I am writing, describe in general terms how the "
    "[placeholder scheme] usually reaches its victims and which warning signs an employee "
    "should notice before anything is lost";

// a and c are exact duplicates (case and punctuation differ); d is a near duplicate of a
// (one word changed); b and e are unrelated.
std::string DuplicatedFile() {
  std::string near = kLongText;
  near.replace(near.rfind("lost"), 4, "gone");
  return Line("a", kLongText) + Line("b", "Where can I report a suspicious text message?") +
         Line("c", std::string("  ") + kLongText + "!!") + Line("d", near, "vcr") +
         Line("e", "What does a [placeholder] safety data sheet usually contain?", "src", "safe");
}

std::vector<std::string> IdsOf(const std::string& jsonl) {
  std::vector<std::string> ids;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) ids.push_back(nlohmann::json::parse(line)["id"].get<std::string>());
  }
  return ids;
}

ProcessResult Safeval(std::vector<std::string> args, const std::string& cwd = ".") {
  args.insert(args.begin(), SafevalBinary());
  return RunProcess(args, cwd);
}

TEST(DatasetDedupCli, DuplicatesExitOneWithClustersAndDropKeepsFirstOfEach) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", DuplicatedFile());
  ProcessResult r = Safeval({"dataset", "dedup", data, "--drop", tmp.File("kept.jsonl")});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("near cluster 1 (3 prompts): a (kept), c, d"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("a ~ d  jaccard 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5 prompts: 0 exact-duplicate clusters, 1 near-duplicate clusters, "
                       "2 duplicates to drop"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(IdsOf(ReadFile(tmp.File("kept.jsonl"))), (std::vector<std::string>{"a", "b", "e"}));
  EXPECT_FALSE(std::filesystem::exists(tmp.File("kept.jsonl.tmp")));
}

TEST(DatasetDedupCli, ExactOnlyClusterIsLabelledExact) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", Line("x", "How do [placeholder] scams work?") +
                                                 Line("y", "how do [placeholder] scams work") +
                                                 Line("z", "Something unrelated entirely."));
  ProcessResult r = Safeval({"dataset", "dedup", data});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("exact cluster 1 (2 prompts): x (kept), y"), std::string::npos) << r.out;
}

TEST(DatasetDedupCli, CleanFileExitsZero) {
  TempDir tmp;
  std::string data =
      tmp.Write("data.jsonl", Line("a", kLongText) + Line("b", "Where can I report a scam call?"));
  ProcessResult r = Safeval({"dataset", "dedup", data, "--drop", tmp.File("kept.jsonl")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 duplicates to drop"), std::string::npos) << r.out;
  EXPECT_EQ(IdsOf(ReadFile(tmp.File("kept.jsonl"))), (std::vector<std::string>{"a", "b"}));
}

TEST(DatasetDedupCli, JsonReport) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", DuplicatedFile());
  ProcessResult r = Safeval({"dataset", "dedup", data, "--json", "--threshold", "0.7"});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["prompts"], 5);
  EXPECT_EQ(report["duplicates"], 2);
  EXPECT_EQ(report["kept"], 3);
  EXPECT_DOUBLE_EQ(report["threshold"].get<double>(), 0.7);
  ASSERT_EQ(report["clusters"].size(), 1u);
  const nlohmann::json& cluster = report["clusters"][0];
  EXPECT_EQ(cluster["kind"], "near");
  EXPECT_EQ(cluster["keep"], "a");
  EXPECT_EQ(cluster["ids"], nlohmann::json({"a", "c", "d"}));
  ASSERT_EQ(cluster["pairs"].size(), 2u);
  EXPECT_EQ(cluster["pairs"][0]["kind"], "exact");
  EXPECT_EQ(cluster["pairs"][1]["b"], "d");
  double jaccard = cluster["pairs"][1]["jaccard"].get<double>();
  EXPECT_GT(jaccard, 0.7);
  EXPECT_LT(jaccard, 1.0);
}

TEST(DatasetDedupCli, BadInputExitsTwo) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", Line("a", "text") + "{not json}\n");
  EXPECT_EQ(Safeval({"dataset", "dedup", data}).exit_code, 2);
  EXPECT_EQ(Safeval({"dataset", "dedup", tmp.File("missing.jsonl")}).exit_code, 2);
  std::string good = tmp.Write("good.jsonl", Line("a", "text"));
  EXPECT_EQ(Safeval({"dataset", "dedup", good, "--threshold", "1.5"}).exit_code, 2);
  EXPECT_EQ(
      Safeval({"dataset", "dedup", good, "--drop", tmp.File("no/such/dir/x.jsonl")}).exit_code, 2);
}

// 100 prompts: ncr/harmful 40, ncr/safe 20, vcr/harmful 20, vcr/safe 10, ssh/harmful 10,
// interleaved so that file order differs from stratum order.
std::string StratifiedFile() {
  struct Stratum {
    const char* category;
    const char* intent;
    int count;
  };
  const Stratum strata[] = {{"ncr", "harmful", 40},
                            {"ncr", "safe", 20},
                            {"vcr", "harmful", 20},
                            {"vcr", "safe", 10},
                            {"ssh", "harmful", 10}};
  std::string out;
  int left[5] = {40, 20, 20, 10, 10};
  for (int id = 0, s = 0; id < 100; s = (s + 1) % 5) {
    if (left[s] == 0) continue;
    --left[s];
    std::string name = "p" + std::to_string(1000 + id++);
    out += Line(name, "[placeholder request " + name + "]", strata[s].category, strata[s].intent);
  }
  return out;
}

std::map<std::string, int> CountStrata(const std::string& jsonl) {
  std::map<std::string, int> counts;
  std::istringstream in(jsonl);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line);
    ++counts[j["category"].get<std::string>() + "/" + j["intent"].get<std::string>()];
  }
  return counts;
}

TEST(DatasetSampleCli, ReproducibleProportionalAndInFileOrder) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", StratifiedFile());
  auto sample = [&](const std::string& seed, const std::string& out) {
    ProcessResult r = Safeval({"dataset", "sample", data, "--n", "20", "--by", "category,intent",
                               "--seed", seed, "-o", tmp.File(out)});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r;
  };
  ProcessResult first = sample("1", "s1.jsonl");
  sample("1", "s1b.jsonl");
  sample("2", "s2.jsonl");
  std::string s1 = ReadFile(tmp.File("s1.jsonl"));
  EXPECT_EQ(s1, ReadFile(tmp.File("s1b.jsonl")));
  EXPECT_NE(s1, ReadFile(tmp.File("s2.jsonl")));

  std::map<std::string, int> want = {
      {"ncr/harmful", 8}, {"ncr/safe", 4}, {"vcr/harmful", 4}, {"vcr/safe", 2}, {"ssh/harmful", 2}};
  EXPECT_EQ(CountStrata(s1), want);
  EXPECT_EQ(CountStrata(ReadFile(tmp.File("s2.jsonl"))), want);
  std::vector<std::string> ids = IdsOf(s1);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // ids rise in file order
  EXPECT_NE(first.err.find("category=ncr intent=harmful"), std::string::npos) << first.err;
  EXPECT_NE(first.err.find("sampled 20 of 100 prompts (seed 1)"), std::string::npos) << first.err;
}

TEST(DatasetSampleCli, StdoutWhenNoOutputAndBadKeysExitTwo) {
  TempDir tmp;
  std::string data = tmp.Write("data.jsonl", StratifiedFile());
  ProcessResult r = Safeval({"dataset", "sample", data, "--n", "5", "--by", "category:1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(IdsOf(r.out).size(), 5u);
  ProcessResult bad = Safeval({"dataset", "sample", data, "--n", "5", "--by", "colour"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("colour"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace safeval::testing
