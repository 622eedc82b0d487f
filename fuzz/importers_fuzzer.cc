// The dataset importers (src/dataset/importers.h): AILuminate, XSTest and HarmBench CSV,
// mapped CSV and mapped JSONL. The first byte picks the format and options; the rest is
// the file. Checks: no crash, and every imported prompt is a valid dataset line (the
// importers promise that whatever they write loads with ReadDataset).
#include <cstdint>
#include <sstream>
#include <vector>

#include "dataset/dataset.h"
#include "dataset/importers.h"
#include "fuzz/fuzz_util.h"

using namespace safeval;

namespace {

ImportOptions OptionsFor(uint8_t selector) {
  ImportOptions options;
  const ImportFormat kFormats[] = {ImportFormat::kAiluminate, ImportFormat::kXstest,
                                   ImportFormat::kHarmbench, ImportFormat::kCsv,
                                   ImportFormat::kJsonl};
  options.format = kFormats[selector % 5];
  options.strict = (selector & 0x80) != 0;
  if (options.format == ImportFormat::kCsv || options.format == ImportFormat::kJsonl) {
    for (const char* field : {"id", "text", "category", "intent", "persona", "locale", "tags",
                              "techniques", "parent_id"}) {
      options.mappings.push_back(*ParseFieldMapping(std::string(field) + "=" + field));
    }
    if (selector & 0x40) options.mappings[1] = *ParseFieldMapping("turns=turns");
    if (selector & 0x20) options.default_intent = Intent::kSafe;
  }
  if ((options.format == ImportFormat::kXstest || options.format == ImportFormat::kHarmbench ||
       options.format == ImportFormat::kCsv) &&
      (selector & 0x10)) {
    options.default_category = CategoryPath({"ncr"});
  }
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ImportOptions options = OptionsFor(data[0]);
  std::istringstream in(std::string(fuzz::AsText(data + 1, size - 1)));
  int imported = 0;
  auto sink = [&](const Prompt& prompt) {
    Prompt again;
    std::vector<DatasetProblem> problems;
    FUZZ_CHECK(ParsePromptLine(PromptToJsonLine(prompt), "out.jsonl", 1, fuzz::FuzzTaxonomy(),
                               &again, &problems));
    ++imported;
    return Status::Ok();
  };
  Result<ImportReport> report =
      ImportPrompts(in, "fuzz/source.csv", options, fuzz::FuzzTaxonomy(), sink);
  if (report.ok()) {
    FUZZ_CHECK(report->imported == imported);
    FUZZ_CHECK(report->imported + report->SkippedCount() == report->rows_read);
    (void)FormatImportReport(*report, "source.csv", "out.jsonl");
  }
  return 0;
}
