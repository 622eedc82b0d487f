// safeval dataset import --format ailuminate|xstest|harmbench|csv|jsonl SOURCE -o OUT.jsonl
//                        [--map COLUMN=FIELD]... [--default-intent I] [--default-category C]
//                        [--taxonomy SPEC] [--strict]
// Converts SOURCE into a dataset JSONL file (written whole or not at all) and prints what was
// read, imported and skipped (by reason, with line numbers) to stderr. Exit 0, also when rows
// were skipped (unless --strict); 2 on bad input, with file:line and what was expected.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/dataset_command.h"
#include "core/terminal_text.h"
#include "dataset/importers.h"

namespace safeval {
namespace {

struct ImportFlags {
  std::string format;
  std::string source;
  std::string out;
  std::vector<std::string> maps;
  std::string default_intent;
  std::string default_category;
  std::string taxonomy;  // empty: ResolveImportTaxonomy's default
  bool strict = false;
};

Result<ImportOptions> ParseOptions(const ImportFlags& flags) {
  ImportOptions options;
  std::optional<ImportFormat> format = ParseImportFormat(flags.format);
  if (!format) {
    return Status::InvalidArgument("--format '" + flags.format +
                                   "': expected one of ailuminate, xstest, harmbench, csv, jsonl");
  }
  options.format = *format;
  for (const std::string& spec : flags.maps) {
    SV_ASSIGN_OR_RETURN(FieldMapping mapping, ParseFieldMapping(spec));
    options.mappings.push_back(std::move(mapping));
  }
  if (!flags.default_intent.empty()) {
    options.default_intent = ParseIntent(flags.default_intent);
    if (!options.default_intent) {
      return Status::InvalidArgument("--default-intent '" + flags.default_intent +
                                     "': expected one of safe, harmful, adversarial");
    }
  }
  if (!flags.default_category.empty()) {
    Result<CategoryPath> category = CategoryPath::Parse(flags.default_category);
    if (!category.ok()) return category.status().WithContext("--default-category");
    options.default_category = std::move(category).value();
  }
  options.strict = flags.strict;
  return options;
}

Status Import(const ImportFlags& flags, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(ImportOptions options, ParseOptions(flags));
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, ResolveImportTaxonomy(flags.taxonomy));
  SV_ASSIGN_OR_RETURN(ImportReport report, ImportFile(flags.source, flags.out, options, taxonomy));
  err << TerminalText(FormatImportReport(report, flags.source, flags.out), LineBreaks::kKeep)
      << "\n";
  return Status::Ok();
}

}  // namespace

void SetupDatasetImportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ImportFlags>();
  sub.add_option("source", flags->source, "The file to import")->required();
  sub.add_option("--format", flags->format, "ailuminate, xstest, harmbench, csv or jsonl")
      ->required();
  sub.add_option("-o,--out", flags->out, "The dataset file to write (.jsonl)")->required();
  sub.add_option("--map", flags->maps,
                 "csv/jsonl: COLUMN=FIELD, FIELD one of id, text, turns, category, intent, "
                 "persona, locale, tags, techniques, parent_id (repeatable)")
      ->allow_extra_args(false);  // one value per --map, so SOURCE after it stays positional
  sub.add_option("--default-intent", flags->default_intent,
                 "Intent of rows that give none (safe, harmful, adversarial)");
  sub.add_option("--default-category", flags->default_category,
                 "Category of rows the format cannot place, e.g. ncr/fraud");
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1 (default), builtin:ailuminate-v1 or a taxonomy.yaml path");
  sub.add_flag("--strict", flags->strict, "Fail instead of skipping rows that cannot be imported");
  sub.callback([flags, &context] {
    Status status = Import(*flags, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
