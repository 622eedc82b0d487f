// Tests of export: the CSV layout, quoting, the CSV → import round trip, and
// the all-or-nothing output file.
#include "dataset/exporters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "dataset/dataset.h"
#include "dataset/importers.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;

std::vector<Prompt> SamplePrompts() {
  Prompt plain = MakePrompt("p1", "[question, with \"quotes\"]\nand a second line",
                            CategoryPath({"spc", "spc_hlt"}), Intent::kSafe);
  plain.persona = Persona::kUnskilled;
  plain.locale = "en_US";
  plain.tags = {"seed", "v1"};
  Prompt derived =
      MakePrompt("p2", "[reframed request]", CategoryPath({"ncr"}), Intent::kAdversarial);
  derived.parent_id = "p1";
  derived.techniques = {"historical_framing", "role_play"};
  Prompt chat;
  chat.id = "p3";
  chat.turns = {{"system", "Be brief."},
                {"user", "[opening]"},
                {"assistant", "[reply]"},
                {"user", "[escalating request]"}};
  chat.category = CategoryPath({"ssh"});
  chat.intent = Intent::kAdversarial;
  return {plain, derived, chat};
}

std::string ExportText(const std::vector<Prompt>& prompts, ExportFormat format) {
  std::ostringstream out;
  PromptExporter exporter(out, format);
  for (const Prompt& prompt : prompts) EXPECT_TRUE(exporter.Write(prompt).ok());
  return out.str();
}

TEST(ExportTest, CsvHasOneQuotedRecordPerPromptAndTurnsAsJson) {
  std::string csv = ExportText(SamplePrompts(), ExportFormat::kCsv);
  EXPECT_EQ(csv,
            "id,text,category,intent,persona,locale,tags,techniques,parent_id,turns\n"
            "p1,\"[question, with \"\"quotes\"\"]\nand a second line\",spc/spc_hlt,safe,unskilled,"
            "en_US,seed;v1,,,\n"
            "p2,[reframed request],ncr,adversarial,,,,historical_framing;role_play,p1,\n"
            "p3,,ssh,adversarial,,,,,,\"[{\"\"role\"\":\"\"system\"\",\"\"content\"\":\"\"Be "
            "brief.\"\"},{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"[opening]\"\"},"
            "{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"[reply]\"\"},{\"\"role\"\":"
            "\"\"user\"\",\"\"content\"\":\"\"[escalating request]\"\"}]\"\n");
}

TEST(ExportTest, JsonlIsTheCanonicalLine) {
  std::vector<Prompt> prompts = SamplePrompts();
  EXPECT_EQ(ExportText({prompts[1]}, ExportFormat::kJsonl), PromptToJsonLine(prompts[1]) + "\n");
}

TEST(ExportTest, CsvRefusesATagThatWouldNotSurviveTheRoundTrip) {
  Prompt prompt = MakePrompt("p9", "[q]", CategoryPath({"ncr"}), Intent::kSafe);
  prompt.origin = "d.jsonl:4";
  prompt.tags = {"a;b"};
  std::ostringstream out;
  PromptExporter exporter(out, ExportFormat::kCsv);
  Status status = exporter.Write(prompt);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("d.jsonl:4: prompt 'p9': tag 'a;b' contains ';'"));
}

TEST(ExportTest, CsvRefusesAgentFieldsItHasNoColumnFor) {
  Prompt prompt = MakePrompt("p9", "[q]", CategoryPath({"prv"}), Intent::kAdversarial);
  prompt.origin = "d.jsonl:5";
  prompt.group = "women";
  std::ostringstream out;
  PromptExporter exporter(out, ExportFormat::kCsv);
  Status status = exporter.Write(prompt);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("d.jsonl:5: prompt 'p9' has 'group', which CSV export "
                                          "has no column for (export as jsonl instead)"));
  prompt.group.clear();
  prompt.turns.push_back({"assistant", "", {{"c1", "read_email", "{}"}}});
  prompt.turns.push_back({"tool", "[document]", {}, "c1"});
  EXPECT_THAT(exporter.Write(prompt).message(), HasSubstr("has 'tool_calls'"));
  // JSONL keeps them.
  EXPECT_EQ(ExportText({prompt}, ExportFormat::kJsonl), PromptToJsonLine(prompt) + "\n");
}

TEST(ExportTest, CsvExportImportsBackToTheSamePrompts) {
  testing::TempDir dir;
  std::string dataset = dir.Write("in.jsonl", [] {
    std::string text;
    for (const Prompt& prompt : SamplePrompts()) text += PromptToJsonLine(prompt) + "\n";
    return text;
  }());
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  Result<size_t> exported =
      ExportDataset({dataset}, taxonomy, ExportFormat::kCsv, dir.File("out.csv"));
  ASSERT_TRUE(exported.ok()) << exported.status().message();
  EXPECT_EQ(*exported, 3u);

  ImportOptions options;
  options.format = ImportFormat::kCsv;
  for (const char* name : {"id", "text", "turns", "category", "intent", "persona", "locale", "tags",
                           "techniques", "parent_id"}) {
    options.mappings.push_back(*ParseFieldMapping(std::string(name) + "=" + name));
  }
  Result<ImportReport> report =
      ImportFile(dir.File("out.csv"), dir.File("back.jsonl"), options, taxonomy);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(testing::ReadFile(dir.File("back.jsonl")), testing::ReadFile(dataset));
}

TEST(ExportTest, CsvGuardsFormulasAndTheImportRemovesTheGuard) {
  Prompt formula = MakePrompt("=1+1", "=HYPERLINK(\"http://x.test\",\"click\")",
                              CategoryPath({"ncr"}), Intent::kHarmful);
  formula.tags = {"-tag", "b"};
  Prompt quoted = MakePrompt("q1", "'tis a [question]", CategoryPath({"ncr"}), Intent::kSafe);
  Prompt minus = MakePrompt("q2", "-5 degrees? [question]", CategoryPath({"ncr"}), Intent::kSafe);
  minus.locale = "@x";
  std::string csv = ExportText({formula, quoted, minus}, ExportFormat::kCsv);
  EXPECT_THAT(csv, HasSubstr("\n'=1+1,\"'=HYPERLINK(\"\"http://x.test\"\",\"\"click\"\")\",ncr,"
                             "harmful,,,'-tag;b,,,\n"));
  EXPECT_THAT(csv, HasSubstr("\nq1,''tis a [question],ncr,safe,"));
  EXPECT_THAT(csv, HasSubstr("\nq2,'-5 degrees? [question],ncr,safe,,'@x,"));

  testing::TempDir dir;
  std::string original;
  for (const Prompt& prompt : {formula, quoted, minus}) original += PromptToJsonLine(prompt) + "\n";
  std::string dataset = dir.Write("in.jsonl", original);
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  ASSERT_TRUE(ExportDataset({dataset}, taxonomy, ExportFormat::kCsv, dir.File("out.csv")).ok());
  ImportOptions options;
  options.format = ImportFormat::kCsv;
  for (const char* name : {"id", "text", "turns", "category", "intent", "persona", "locale", "tags",
                           "techniques", "parent_id"}) {
    options.mappings.push_back(*ParseFieldMapping(std::string(name) + "=" + name));
  }
  Result<ImportReport> report =
      ImportFile(dir.File("out.csv"), dir.File("back.jsonl"), options, taxonomy);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->imported, 3);
  EXPECT_EQ(testing::ReadFile(dir.File("back.jsonl")), original);
}

TEST(ExportTest, InvalidDatasetWritesNothing) {
  testing::TempDir dir;
  std::string dataset = dir.Write("bad.jsonl",
                                  "{\"id\": \"a\", \"text\": \"[q]\", \"category\": \"nope\", "
                                  "\"intent\": \"safe\"}\n");
  Result<size_t> exported =
      ExportDataset({dataset}, Taxonomy::AiluminateV1(), ExportFormat::kCsv, dir.File("out.csv"));
  ASSERT_FALSE(exported.ok());
  EXPECT_THAT(exported.status().message(), HasSubstr("bad.jsonl:1: field 'category'"));
  EXPECT_FALSE(std::filesystem::exists(dir.File("out.csv")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("out.csv.tmp")));
}

TEST(ExportTest, FormatNames) {
  EXPECT_EQ(ParseExportFormat("csv"), ExportFormat::kCsv);
  EXPECT_EQ(ParseExportFormat("jsonl"), ExportFormat::kJsonl);
  EXPECT_EQ(ParseExportFormat("xlsx"), std::nullopt);
  EXPECT_EQ(Name(ExportFormat::kJsonl), "jsonl");
}

}  // namespace
}  // namespace safeval
