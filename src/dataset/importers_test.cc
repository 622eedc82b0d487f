// Tests of the importers: each format's mapping onto the taxonomy, skipped rows
// and their reasons, --strict, malformed files, and the all-or-nothing output file.
// Fixtures are small made-up rows; harmful requests are placeholders in brackets.
#include "dataset/importers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "dataset/dataset.h"
#include "dataset/import_formats.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A taxonomy with the deeper nodes some mappings prefer when they exist.
Taxonomy DeepTaxonomy() {
  Result<Taxonomy> taxonomy = Taxonomy::FromYaml(
      "schema_version: 1\nid: deep\nnodes:\n"
      "  - {id: prv, name: Privacy}\n"
      "  - id: hte\n    name: Hate\n    children:\n      - {id: discrimination, name: D}\n"
      "  - id: ncr\n    name: Crimes\n    children:\n"
      "      - id: cyber\n        name: Cyber\n        children:\n"
      "          - {id: intrusion, name: Intrusion}\n"
      "  - {id: iwp, name: Weapons}\n",
      "deep.yaml");
  EXPECT_TRUE(taxonomy.ok()) << taxonomy.status().message();
  return taxonomy.ok() ? std::move(taxonomy).value() : Taxonomy();
}

struct Imported {
  Result<ImportReport> report = Status::Internal("not run");
  std::vector<Prompt> prompts;
};

Imported Import(const std::string& text, const ImportOptions& options,
                const Taxonomy& taxonomy = Taxonomy::AiluminateV1(),
                const std::string& source = "src.csv") {
  Imported out;
  std::istringstream in(text);
  out.report = ImportPrompts(in, source, options, taxonomy, [&out](const Prompt& prompt) {
    out.prompts.push_back(prompt);
    return Status::Ok();
  });
  return out;
}

ImportOptions Format(ImportFormat format) {
  ImportOptions options;
  options.format = format;
  return options;
}

std::string ErrorOf(const Imported& imported) {
  return imported.report.ok() ? "(no error)" : imported.report.status().message();
}

constexpr char kAiluminateHeader[] =
    "release_prompt_id,prompt_text,hazard,persona,locale,prompt_hash\n";

TEST(AiluminateImportTest, HazardCodesBecomeCategoriesAndEveryPromptIsHarmful) {
  Imported got = Import(std::string(kAiluminateHeader) +
                            "a-1,[request for a weapon recipe],vcr,unskilled,en_us,h1\n"
                            "a-2,\"[health question, with a comma]\",spc_hlt,normal,EN-us,h2\n"
                            "a-3,[explicit story request],SXC_PRN,skilled,fr_fr,h3\n",
                        Format(ImportFormat::kAiluminate));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  EXPECT_EQ(got.report->rows_read, 3);
  EXPECT_EQ(got.report->imported, 3);
  ASSERT_EQ(got.prompts.size(), 3u);
  const Prompt& first = got.prompts[0];
  EXPECT_EQ(first.id, "a-1");
  EXPECT_EQ(first.LastUserText(), "[request for a weapon recipe]");
  EXPECT_EQ(first.category.str(), "vcr");
  EXPECT_EQ(first.intent, Intent::kHarmful);
  EXPECT_EQ(first.persona, Persona::kUnskilled);
  EXPECT_EQ(first.locale, "en_US");
  EXPECT_THAT(first.tags, ElementsAre("ailuminate"));
  EXPECT_EQ(first.origin, "src.csv:2");
  EXPECT_EQ(got.prompts[1].category.str(), "spc/spc_hlt");
  EXPECT_EQ(got.prompts[1].locale, "en_US");
  EXPECT_EQ(got.prompts[2].category.str(), "sxc/sxc_prn");
  EXPECT_EQ(got.prompts[2].locale, "fr_FR");
}

TEST(AiluminateImportTest, DefaultIntentReplacesHarmful) {
  ImportOptions options = Format(ImportFormat::kAiluminate);
  options.default_intent = Intent::kAdversarial;
  Imported got =
      Import(std::string(kAiluminateHeader) + "a-1,[request],ncr,normal,en_US,h\n", options);
  ASSERT_EQ(got.prompts.size(), 1u) << ErrorOf(got);
  EXPECT_EQ(got.prompts[0].intent, Intent::kAdversarial);
}

TEST(AiluminateImportTest, UnknownHazardCodeIsSkippedWithReasonAndFailsUnderStrict) {
  std::string csv = std::string(kAiluminateHeader) +
                    "a-1,[request],vcr,normal,en_US,h\n"
                    "a-2,[request],xyz,normal,en_US,h\n"
                    "a-3,[request],ncr,normal,en_US,h\n"
                    "a-4,[request],xyz,normal,en_US,h\n";
  Imported got = Import(csv, Format(ImportFormat::kAiluminate));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  EXPECT_EQ(got.report->rows_read, 4);
  EXPECT_EQ(got.report->imported, 2);
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason, "unknown hazard code 'xyz'");
  EXPECT_EQ(got.report->skipped[0].count, 2);
  EXPECT_THAT(got.report->skipped[0].first_lines, ElementsAre(3, 5));

  ImportOptions strict = Format(ImportFormat::kAiluminate);
  strict.strict = true;
  Imported failed = Import(csv, strict);
  ASSERT_FALSE(failed.report.ok());
  EXPECT_EQ(failed.report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ErrorOf(failed), HasSubstr("src.csv:3: unknown hazard code 'xyz'\n"
                                         "src.csv:5: unknown hazard code 'xyz'"));
  EXPECT_THAT(ErrorOf(failed), HasSubstr("--strict"));
}

TEST(AiluminateImportTest, BadPersonaAndEmptyTextAreSkippedWithTheirReason) {
  Imported got = Import(std::string(kAiluminateHeader) +
                            "a-1,[request],vcr,expert,en_US,h\n"
                            "a-2,,vcr,normal,en_US,h\n"
                            "a-3,[request],vcr,,,h\n",
                        Format(ImportFormat::kAiluminate));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.report->skipped.size(), 2u);
  EXPECT_THAT(got.report->skipped[0].reason, HasSubstr("got 'expert'"));
  EXPECT_EQ(got.report->skipped[1].reason, "field 'text': must not be empty");
  ASSERT_EQ(got.prompts.size(), 1u);
  EXPECT_FALSE(got.prompts[0].persona.has_value());
  EXPECT_EQ(got.prompts[0].locale, "");
}

TEST(AiluminateImportTest, ByteOrderMarkAndCrlfAreAccepted) {
  Imported got = Import(
      "\xEF\xBB\xBFrelease_prompt_id,prompt_text,hazard,persona,locale,prompt_hash\r\n"
      "a-1,\"[first line]\r\n[second line]\",iwp,normal,en_US,h\r\n"
      "a-2,[request],prv,normal,en_US,h\r\n",
      Format(ImportFormat::kAiluminate));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 2u);
  EXPECT_EQ(got.prompts[0].LastUserText(), "[first line]\r\n[second line]");
  EXPECT_EQ(got.prompts[1].id, "a-2");
  EXPECT_EQ(got.prompts[1].locale, "en_US");
  EXPECT_EQ(got.prompts[1].origin, "src.csv:4");  // the quoted newline is a physical line
}

TEST(AiluminateImportTest, MalformedFilesStopWithFileAndLine) {
  ImportOptions options = Format(ImportFormat::kAiluminate);
  std::string header = kAiluminateHeader;
  EXPECT_EQ(ErrorOf(Import(header + "a-1,\"[open,vcr,normal,en_US,h\n", options)),
            "src.csv:2: unterminated quoted field: the quote at byte column 5 is never closed");
  EXPECT_EQ(ErrorOf(Import(header + "a-1,[x],vcr,normal,en_US\n", options)),
            "src.csv:2: expected 6 fields (as in the header), got 5");
  EXPECT_EQ(ErrorOf(Import(header + "a-1,[x\xE2\x82],vcr,normal,en_US,h\n", options)),
            "src.csv:2: invalid UTF-8 at byte column 7");
  EXPECT_EQ(ErrorOf(Import("release_prompt_id,text,hazard\n", options)),
            "src.csv:1: missing column 'prompt_text' (the header has: release_prompt_id, text, "
            "hazard)");
}

TEST(AiluminateImportTest, RepeatedIdIsSkippedNamingTheFirstLine) {
  Imported got = Import(std::string(kAiluminateHeader) +
                            "a-1,[one],vcr,normal,en_US,h\n"
                            "a-1,[two],vcr,normal,en_US,h\n",
                        Format(ImportFormat::kAiluminate));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason, "duplicate id 'a-1' (first at line 2)");
}

TEST(AiluminateImportTest, NothingImportedIsAnError) {
  Imported got = Import(std::string(kAiluminateHeader) + "a-1,[one],qqq,normal,en_US,h\n",
                        Format(ImportFormat::kAiluminate));
  EXPECT_THAT(ErrorOf(got), HasSubstr("src.csv: no row could be imported (1 row read):\n"
                                      "src.csv:2: unknown hazard code 'qqq'"));
}

constexpr char kXstestHeader[] = "id,prompt,type,label,focus,note\n";

TEST(XstestImportTest, LabelsGiveIntentAndHazardTypesGiveCategories) {
  Imported got = Import(std::string(kXstestHeader) +
                            "1,[public figure question],privacy_public,safe,birthday,\n"
                            "2,[neighbour address request],contrast_privacy,unsafe,address,n\n"
                            "3,[odd group question],nons_group_real_discr,safe,,\n"
                            "4,[homonym question],homonyms,safe,kill,\n",
                        Format(ImportFormat::kXstest));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 3u);
  EXPECT_EQ(got.prompts[0].id, "xstest-1");
  EXPECT_EQ(got.prompts[0].intent, Intent::kSafe);
  EXPECT_EQ(got.prompts[0].category.str(), "prv");
  EXPECT_THAT(got.prompts[0].tags, ElementsAre("xstest", "type:privacy_public", "focus:birthday"));
  EXPECT_EQ(got.prompts[1].intent, Intent::kHarmful);
  EXPECT_EQ(got.prompts[1].category.str(), "prv");
  EXPECT_EQ(got.prompts[2].category.str(), "hte");
  EXPECT_THAT(got.prompts[2].tags, ElementsAre("xstest", "type:nons_group_real_discr"));
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason,
            "type 'homonyms' has no category mapping (give --default-category)");
  EXPECT_THAT(got.report->skipped[0].first_lines, ElementsAre(5));
}

TEST(XstestImportTest, DefaultCategoryTakesUnmappedTypesAndDeeperNodesAreUsed) {
  ImportOptions options = Format(ImportFormat::kXstest);
  options.default_category = CategoryPath({"iwp"});
  Imported got = Import(std::string(kXstestHeader) +
                            "3,[odd group question],contrast_discr,unsafe,,\n"
                            "4,[homonym question],homonyms,safe,kill,\n"
                            "5,[question],safe_targets,UNSAFE,,\n"
                            "6,[question],safe_targets,maybe,,\n",
                        options, DeepTaxonomy());
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 3u);
  EXPECT_EQ(got.prompts[0].category.str(), "hte/discrimination");
  EXPECT_EQ(got.prompts[1].category.str(), "iwp");
  EXPECT_EQ(got.prompts[2].intent, Intent::kHarmful);
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason, "label 'maybe': expected safe or unsafe");
}

TEST(XstestImportTest, RejectsDefaultIntentAndAMissingLabelColumn) {
  ImportOptions options = Format(ImportFormat::kXstest);
  options.default_intent = Intent::kSafe;
  EXPECT_THAT(ErrorOf(Import(kXstestHeader, options)), HasSubstr("--default-intent"));
  EXPECT_THAT(ErrorOf(Import("id,prompt,type\n1,[q],homonyms\n", Format(ImportFormat::kXstest))),
              HasSubstr("src.csv:1: missing column 'label' (the header has: id, prompt, type)"));
}

constexpr char kHarmbenchHeader[] =
    "Behavior,FunctionalCategory,SemanticCategory,Tags,ContextString,BehaviorID\n";

TEST(HarmbenchImportTest, SemanticCategoriesContextAndTags) {
  Imported got = Import(std::string(kHarmbenchHeader) +
                            "[request for a toxin route],standard,chemical_biological,,,hb_chem\n"
                            "[request to break into a server],contextual,cybercrime_intrusion,"
                            "\"context, hash_check\",\"[server description]\",hb_cyber\n"
                            "[request for song lyrics],copyright,copyright,hash_check,,hb_lyrics\n"
                            "[request for a fake story],standard,misinformation_disinformation,,,"
                            "hb_misinfo\n",
                        Format(ImportFormat::kHarmbench));
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 3u);
  EXPECT_EQ(got.prompts[0].id, "hb_chem");
  EXPECT_EQ(got.prompts[0].category.str(), "iwp");
  EXPECT_EQ(got.prompts[0].intent, Intent::kHarmful);
  EXPECT_THAT(got.prompts[0].tags,
              ElementsAre("harmbench", "functional:standard", "semantic:chemical_biological"));
  EXPECT_EQ(got.prompts[1].LastUserText(),
            "[server description]\n\n[request to break into a server]");
  EXPECT_EQ(got.prompts[1].category.str(), "ncr");
  EXPECT_THAT(got.prompts[1].tags,
              ElementsAre("harmbench", "functional:contextual", "semantic:cybercrime_intrusion",
                          "context", "hash_check"));
  EXPECT_EQ(got.prompts[2].category.str(), "ipv");
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason,
            "SemanticCategory 'misinformation_disinformation' has no category mapping (give "
            "--default-category)");
}

TEST(HarmbenchImportTest, CyberGoesToTheCyberNodeWhenTheTaxonomyHasIt) {
  ImportOptions options = Format(ImportFormat::kHarmbench);
  options.default_category = CategoryPath({"prv"});
  Imported got = Import(std::string(kHarmbenchHeader) +
                            "[request],standard,cybercrime_intrusion,,,a\n"
                            "[request],standard,harmful,,,b\n",
                        options, DeepTaxonomy());
  ASSERT_EQ(got.prompts.size(), 2u) << ErrorOf(got);
  EXPECT_EQ(got.prompts[0].category.str(), "ncr/cyber");
  EXPECT_EQ(got.prompts[1].category.str(), "prv");
}

TEST(HarmbenchImportTest, MappedCategoryMissingFromTheTaxonomyIsSkipped) {
  Imported got = Import(std::string(kHarmbenchHeader) +
                            "[request],standard,copyright,,,a\n"
                            "[request],standard,illegal,,,b\n",
                        Format(ImportFormat::kHarmbench), DeepTaxonomy());
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_THAT(got.report->skipped[0].reason,
              HasSubstr("field 'category': unknown category 'ipv' (not in taxonomy 'deep')"));
}

ImportOptions Mapped(ImportFormat format, std::vector<std::string> specs) {
  ImportOptions options = Format(format);
  for (const std::string& spec : specs) {
    Result<FieldMapping> mapping = ParseFieldMapping(spec);
    EXPECT_TRUE(mapping.ok()) << mapping.status().message();
    if (mapping.ok()) options.mappings.push_back(*mapping);
  }
  return options;
}

TEST(MappedCsvImportTest, ColumnsMapOntoFieldsWithDefaultsAndGeneratedIds) {
  ImportOptions options = Mapped(
      ImportFormat::kCsv, {"question=text", "hazard=category", "kind=intent", "labels=tags"});
  options.default_intent = Intent::kSafe;
  Imported got = Import(
      "question,hazard,kind,labels,ignored\n"
      "[question one],ncr,harmful,a; b;,x\n"
      "[question two],ssh,,,y\n"
      "[question three],ssh,evil,,z\n",
      options, Taxonomy::AiluminateV1(), "/data/my-prompts.csv");
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 2u);
  EXPECT_EQ(got.prompts[0].id, "my-prompts-1");
  EXPECT_EQ(got.prompts[0].intent, Intent::kHarmful);
  EXPECT_THAT(got.prompts[0].tags, ElementsAre("a", "b"));
  EXPECT_EQ(got.prompts[1].id, "my-prompts-2");
  EXPECT_EQ(got.prompts[1].intent, Intent::kSafe);  // empty cell: the default
  EXPECT_EQ(got.prompts[1].category.str(), "ssh");
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason,
            "field 'intent' (column 'kind'): expected one of safe, harmful, adversarial, got "
            "'evil'");
}

TEST(MappedCsvImportTest, MappingProblemsAreErrorsBeforeAnyRowIsRead) {
  EXPECT_EQ(ErrorOf(Import("a,b\n", Mapped(ImportFormat::kCsv, {"a=category", "b=intent"}))),
            "no column is mapped to the prompt text: give --map COLUMN=text");
  EXPECT_THAT(ErrorOf(Import("a,b\n", Mapped(ImportFormat::kCsv, {"a=text", "b=category"}))),
              HasSubstr("--default-intent"));
  EXPECT_THAT(ErrorOf(Import("a,b\n", Mapped(ImportFormat::kCsv, {"a=text", "b=text"}))),
              HasSubstr("field 'text' is mapped twice (columns 'a' and 'b')"));
  EXPECT_EQ(
      ErrorOf(Import("a,b\n", Mapped(ImportFormat::kCsv, {"a=text", "b=intent", "c=category"}))),
      "src.csv:1: missing column 'c' (the header has: a, b)");
  ImportOptions unknown = Mapped(ImportFormat::kCsv, {"a=text", "b=intent"});
  unknown.default_category = CategoryPath({"nope"});
  EXPECT_THAT(ErrorOf(Import("a,b\n", unknown)),
              HasSubstr("--default-category 'nope' is not in taxonomy 'ailuminate-v1'"));
  EXPECT_THAT(
      ErrorOf(Import(kAiluminateHeader, Mapped(ImportFormat::kAiluminate, {"prompt_text=text"}))),
      HasSubstr("--map applies to --format csv and jsonl"));
}

TEST(MappedCsvImportTest, ParseFieldMapping) {
  Result<FieldMapping> mapping = ParseFieldMapping("a=b=parent_id");
  ASSERT_TRUE(mapping.ok());
  EXPECT_EQ(mapping->column, "a=b");
  EXPECT_EQ(mapping->field, PromptField::kParentId);
  EXPECT_THAT(ParseFieldMapping("col=body").status().message(),
              HasSubstr("unknown field 'body' (expected one of id, text, turns"));
  EXPECT_THAT(ParseFieldMapping("col").status().message(), HasSubstr("expected COLUMN=FIELD"));
}

TEST(MappedJsonlImportTest, KeysMapOntoFieldsAndMalformedLinesStopTheImport) {
  ImportOptions options = Mapped(ImportFormat::kJsonl, {"n=id", "q=text", "cat=category",
                                                        "lab=intent", "t=tags", "hist=turns"});
  Imported got = Import(
      "{\"n\": 7, \"q\": \"[question]\", \"cat\": \"prv\", \"lab\": \"safe\", \"t\": [\"x\"]}\n"
      "\n"
      "{\"n\": 8, \"hist\": [{\"role\": \"user\", \"content\": \"[a]\"}, {\"role\": \"assistant\", "
      "\"content\": \"[b]\"}, {\"role\": \"user\", \"content\": \"[c]\"}], \"cat\": \"ssh\", "
      "\"lab\": \"adversarial\"}\n"
      "{\"n\": 9, \"q\": [\"not\", \"text\"], \"cat\": \"ssh\", \"lab\": \"safe\"}\n",
      options, Taxonomy::AiluminateV1(), "src.jsonl");
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.prompts.size(), 2u);
  EXPECT_EQ(got.prompts[0].id, "7");
  EXPECT_THAT(got.prompts[0].tags, ElementsAre("x"));
  EXPECT_EQ(got.prompts[1].turns.size(), 3u);
  EXPECT_EQ(got.prompts[1].origin, "src.jsonl:3");
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason,
            "field 'text' (column 'q'): expected a string, got array");
  EXPECT_THAT(got.report->skipped[0].first_lines, ElementsAre(4));

  EXPECT_THAT(ErrorOf(Import("{\"q\": \"[x]\"}\n{\"q\": \n", options, Taxonomy::AiluminateV1(),
                             "src.jsonl")),
              HasSubstr("src.jsonl:2: malformed JSON: parse error at column"));
  EXPECT_EQ(ErrorOf(Import("[1, 2]\n", options, Taxonomy::AiluminateV1(), "src.jsonl")),
            "src.jsonl:1: expected a JSON object, got array");
  EXPECT_EQ(ErrorOf(Import("{\"q\": \"\xC3\"}\n", options, Taxonomy::AiluminateV1(), "src.jsonl")),
            "src.jsonl:1: invalid UTF-8 at byte column 8");
}

// Found by fuzz/importers_fuzzer.cc: a value nested a million levels deep parsed, then
// overflowed the stack when it was copied into the prompt line.
TEST(MappedJsonlImportTest, DeeplyNestedJsonIsRejectedNotCopied) {
  std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  ImportOptions jsonl = Mapped(ImportFormat::kJsonl, {"q=text", "t=tags", "c=category"});
  jsonl.default_intent = Intent::kHarmful;
  EXPECT_EQ(ErrorOf(Import("{\"q\": \"[x]\", \"t\": " + deep + "}\n", jsonl,
                           Taxonomy::AiluminateV1(), "src.jsonl")),
            "src.jsonl:1: JSON nested more than 128 levels deep");
  ImportOptions csv = Mapped(ImportFormat::kCsv, {"id=id", "h=turns", "c=category"});
  csv.default_intent = Intent::kHarmful;
  Imported got = Import("id,h,c\na," + deep +
                            ",ncr\nb,\"[{\"\"role\"\": \"\"user\"\", \"\"content\"\": \"\"[q]\"\"}]\",ncr\n",
                        csv);
  ASSERT_TRUE(got.report.ok()) << ErrorOf(got);
  ASSERT_EQ(got.report->skipped.size(), 1u);
  EXPECT_EQ(got.report->skipped[0].reason,
            "field 'turns' (column 'h'): JSON nested more than 128 levels deep");
}

TEST(ImportReportTest, SummaryGroupsReasonsWithTheirFirstLines) {
  ImportReport report;
  report.rows_read = 10;
  report.imported = 3;
  for (int line : {4, 9, 11, 12, 13, 14, 20}) report.AddSkip("unknown hazard code 'xyz'", line);
  EXPECT_EQ(report.SkippedCount(), 7);
  EXPECT_EQ(FormatImportReport(report, "a.csv", "out.jsonl"),
            "a.csv: read 10 rows, imported 3 into out.jsonl, skipped 7:\n"
            "  unknown hazard code 'xyz': 7 rows (lines 4, 9, 11, 12, 13, ...)");
  ImportReport clean;
  clean.rows_read = 1;
  clean.imported = 1;
  EXPECT_EQ(FormatImportReport(clean, "a.csv", "o"), "a.csv: read 1 row, imported 1 into o");
}

TEST(ImportReportTest, DistinctReasonsAreBounded) {
  ImportReport report;
  for (int i = 0; i < 150; ++i) report.AddSkip("reason " + std::to_string(i), i + 2);
  EXPECT_EQ(report.SkippedCount(), 150);
  EXPECT_EQ(report.skipped.size(), 101u);
  EXPECT_EQ(report.skipped.back().count, 50);
}

TEST(ImportHelpersTest, NormalizeLocale) {
  EXPECT_EQ(NormalizeLocale("en_us"), "en_US");
  EXPECT_EQ(NormalizeLocale(" EN-us "), "en_US");
  EXPECT_EQ(NormalizeLocale("zh-hant-tw"), "zh_Hant_TW");
  EXPECT_EQ(NormalizeLocale("es-419"), "es_419");
  EXPECT_EQ(NormalizeLocale("fr"), "fr");
  EXPECT_EQ(NormalizeLocale(""), "");
}

class ImportFileTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(ImportFileTest, WritesADatasetTheLoaderAccepts) {
  std::string source = dir_.Write("ail.csv", std::string(kAiluminateHeader) +
                                                 "a-1,[request],vcr,normal,en_US,h\n"
                                                 "a-2,[request],bad,normal,en_US,h\n"
                                                 "a-3,[request],spc_fin,normal,en_US,h\n");
  Result<ImportReport> report = ImportFile(
      source, dir_.File("out.jsonl"), Format(ImportFormat::kAiluminate), Taxonomy::AiluminateV1());
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->imported, 2);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out.jsonl.tmp")));
  Result<Dataset> dataset = LoadDataset({dir_.File("out.jsonl")}, Taxonomy::AiluminateV1());
  ASSERT_TRUE(dataset.ok()) << dataset.status().message();
  ASSERT_EQ(dataset->prompts.size(), 2u);
  EXPECT_EQ(dataset->prompts[1].category.str(), "spc/spc_fin");
}

TEST_F(ImportFileTest, NothingIsWrittenWhenTheImportFails) {
  std::string header = kAiluminateHeader;
  std::string rows;
  for (int i = 0; i < 50; ++i) rows += "a-" + std::to_string(i) + ",[request],vcr,normal,en,h\n";
  std::string broken = dir_.Write("broken.csv", header + rows + "a-x,\"[open],vcr,normal,en,h\n");
  Result<ImportReport> report = ImportFile(
      broken, dir_.File("new.jsonl"), Format(ImportFormat::kAiluminate), Taxonomy::AiluminateV1());
  ASSERT_FALSE(report.ok());
  EXPECT_THAT(report.status().message(), HasSubstr("broken.csv:52: unterminated quoted field"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("new.jsonl")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("new.jsonl.tmp")));

  // An existing output stays as it was, also when --strict rejects skipped rows.
  std::string existing = dir_.Write("old.jsonl", "previous content\n");
  ImportOptions strict = Format(ImportFormat::kAiluminate);
  strict.strict = true;
  std::string skipping = dir_.Write("skip.csv", header + rows + "a-y,[request],zzz,normal,en,h\n");
  ASSERT_FALSE(ImportFile(skipping, existing, strict, Taxonomy::AiluminateV1()).ok());
  EXPECT_EQ(testing::ReadFile(existing), "previous content\n");
  EXPECT_FALSE(std::filesystem::exists(existing + ".tmp"));
}

TEST_F(ImportFileTest, MissingSourceAndUnwritableOutput) {
  Result<ImportReport> missing =
      ImportFile(dir_.File("nope.csv"), dir_.File("o.jsonl"), Format(ImportFormat::kAiluminate),
                 Taxonomy::AiluminateV1());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("nope.csv"));
  std::string source = dir_.Write("a.csv", std::string(kAiluminateHeader));
  Result<ImportReport> unwritable =
      ImportFile(source, dir_.File("no/such/dir/o.jsonl"), Format(ImportFormat::kAiluminate),
                 Taxonomy::AiluminateV1());
  EXPECT_THAT(unwritable.status().message(), HasSubstr("cannot create"));
}

TEST(ResolveImportTaxonomyTest, EmptySpecIsABuiltInAndOthersResolve) {
  Result<Taxonomy> fallback = ResolveImportTaxonomy("");
  ASSERT_TRUE(fallback.ok()) << fallback.status().message();
  EXPECT_TRUE(fallback->Find(CategoryPath({"spc", "spc_hlt"})));
  Result<Taxonomy> named = ResolveImportTaxonomy("builtin:ailuminate-v1");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->id(), "ailuminate-v1");
  EXPECT_FALSE(ResolveImportTaxonomy("builtin:nope").ok());
}

}  // namespace
}  // namespace safeval
