// `safeval dataset import` and `dataset export` end to end, through the real binary:
// the report on stderr, exit codes, the CSV round trip, and no output after a failure.
// Fixture rows are made up; harmful requests are bracketed placeholders.
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

constexpr char kAiluminate[] =
    "release_prompt_id,prompt_text,hazard,persona,locale,prompt_hash\r\n"
    "ail-1,[request for a weapon recipe],vcr,unskilled,en_us,h1\r\n"
    "ail-2,\"[question about a medicine,\r\nover two lines]\",spc_hlt,normal,en-US,h2\r\n"
    "ail-3,[request],not_a_hazard,normal,en_US,h3\r\n"
    "ail-4,[request for a fake invoice],ncr,skilled,en_US,h4\r\n";

class DatasetImportCliTest : public ::testing::Test {
 protected:
  ProcessResult Safeval(std::vector<std::string> args) {
    args.insert(args.begin(), {SafevalBinary(), "dataset"});
    return RunProcess(args, dir_.path());
  }
  void ExpectBadInput(const ProcessResult& r, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("what()"), std::string::npos) << r.err;
  }
  bool Exists(const std::string& name) { return std::filesystem::exists(dir_.File(name)); }

  TempDir dir_;
};

TEST_F(DatasetImportCliTest, ImportsReportsSkippedRowsAndRoundTripsThroughCsv) {
  dir_.Write("ail.csv", kAiluminate);
  ProcessResult r = Safeval({"import", "--format", "ailuminate", "ail.csv", "-o", "ail.jsonl",
                             "--taxonomy", "builtin:ailuminate-v1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ail.csv: read 4 rows, imported 3 into ail.jsonl, skipped 1:"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("unknown hazard code 'not_a_hazard': 1 row (line 5)"), std::string::npos)
      << r.err;
  std::string imported = ReadFile(dir_.File("ail.jsonl"));
  EXPECT_NE(imported.find(R"("id":"ail-2")"), std::string::npos) << imported;
  EXPECT_NE(imported.find(R"("category":"spc/spc_hlt")"), std::string::npos) << imported;
  EXPECT_NE(imported.find(R"("locale":"en_US")"), std::string::npos) << imported;

  r = Safeval({"export", "ail.jsonl", "--format", "csv", "-o", "ail-export.csv", "--taxonomy",
               "builtin:ailuminate-v1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("exported 3 prompts to ail-export.csv"), std::string::npos) << r.err;

  std::vector<std::string> args = {"import", "--format",   "csv",        "ail-export.csv",
                                   "-o",     "back.jsonl", "--taxonomy", "builtin:ailuminate-v1"};
  for (const char* field : {"id", "text", "turns", "category", "intent", "persona", "locale",
                            "tags", "techniques", "parent_id"}) {
    args.push_back("--map");
    args.push_back(std::string(field) + "=" + field);
  }
  r = Safeval(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(dir_.File("back.jsonl")), imported);
}

TEST_F(DatasetImportCliTest, StrictTurnsSkippedRowsIntoAnErrorAndWritesNothing) {
  dir_.Write("ail.csv", kAiluminate);
  ProcessResult r =
      Safeval({"import", "--format", "ailuminate", "ail.csv", "-o", "out.jsonl", "--strict"});
  ExpectBadInput(r, "ail.csv:5: unknown hazard code 'not_a_hazard'");
  EXPECT_FALSE(Exists("out.jsonl"));
  EXPECT_FALSE(Exists("out.jsonl.tmp"));
}

TEST_F(DatasetImportCliTest, MalformedCsvStopsWithFileLineAndNoOutput) {
  dir_.Write("xs.csv",
             "id,prompt,type,label,focus,note\n"
             "1,[question],privacy_public,safe,,\n"
             "2,\"[question] \"oops\",homonyms,safe,,\n");
  ProcessResult r = Safeval({"import", "--format", "xstest", "xs.csv", "-o", "out.jsonl"});
  ExpectBadInput(r, "xs.csv:3: unexpected 'o' after a closing quote at byte column 16");
  EXPECT_FALSE(Exists("out.jsonl"));
  EXPECT_FALSE(Exists("out.jsonl.tmp"));

  dir_.Write("hb.csv", "Behavior,SemanticCategory\n[request],illegal\n");
  ExpectBadInput(Safeval({"import", "--format", "harmbench", "hb.csv", "-o", "out.jsonl"}),
                 "hb.csv:1: missing column 'BehaviorID' (the header has: Behavior, "
                 "SemanticCategory)");
}

TEST_F(DatasetImportCliTest, BadFlagsAreRejected) {
  dir_.Write("p.csv", "q\n[question]\n");
  ExpectBadInput(Safeval({"import", "--format", "parquet", "p.csv", "-o", "o.jsonl"}),
                 "--format 'parquet'");
  ExpectBadInput(
      Safeval({"import", "--format", "csv", "p.csv", "-o", "o.jsonl", "--map", "q=body"}),
      "unknown field 'body'");
  ExpectBadInput(Safeval({"import", "--format", "csv", "p.csv", "-o", "o.jsonl", "--map", "q=text",
                          "--default-category", "vcr", "--default-intent", "evil"}),
                 "--default-intent 'evil'");
  ExpectBadInput(Safeval({"import", "--format", "csv", "missing.csv", "-o", "o.jsonl", "--map",
                          "q=text", "--default-category", "vcr", "--default-intent", "safe"}),
                 "missing.csv");
  EXPECT_FALSE(Exists("o.jsonl"));

  // --map takes one value, so the source may follow it.
  ProcessResult ok = Safeval({"import", "--format", "csv", "--map", "q=text", "p.csv", "-o",
                              "o.jsonl", "--default-category", "vcr", "--default-intent", "safe"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ReadFile(dir_.File("o.jsonl")).find(R"("id":"p-1")"), std::string::npos);
}

TEST_F(DatasetImportCliTest, HelpListsTheFlags) {
  ProcessResult h = Safeval({"import", "--help"});
  EXPECT_EQ(h.exit_code, 0);
  for (const char* flag :
       {"--format", "--map", "--default-intent", "--default-category", "--taxonomy", "--strict"}) {
    EXPECT_NE(h.out.find(flag), std::string::npos) << flag;
  }
  ProcessResult e = Safeval({"export", "--help"});
  EXPECT_EQ(e.exit_code, 0);
  EXPECT_NE(e.out.find("--format"), std::string::npos);
}

}  // namespace
}  // namespace safeval::testing
