// safeval dataset export FILE... --format csv|jsonl -o OUT [--taxonomy SPEC]
// Validates the dataset like `dataset validate`, then writes it to OUT (whole or not at all) as
// CSV (columns id,text,category,intent,persona,locale,tags,techniques,parent_id,turns) or as
// canonical JSONL. Exit 0, or 2 on bad input with every problem listed.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/dataset_command.h"
#include "dataset/exporters.h"
#include "dataset/importers.h"

namespace safeval {
namespace {

struct ExportFlags {
  std::vector<std::string> files;
  std::string format;
  std::string out;
  std::string taxonomy;  // empty: ResolveImportTaxonomy's default
};

Status Export(const ExportFlags& flags, std::ostream& err) {
  std::optional<ExportFormat> format = ParseExportFormat(flags.format);
  if (!format) {
    return Status::InvalidArgument("--format '" + flags.format + "': expected csv or jsonl");
  }
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, ResolveImportTaxonomy(flags.taxonomy));
  SV_ASSIGN_OR_RETURN(size_t count, ExportDataset(flags.files, taxonomy, *format, flags.out));
  err << "exported " << count << (count == 1 ? " prompt" : " prompts") << " to " << flags.out
      << " (" << Name(*format) << ")\n";
  return Status::Ok();
}

}  // namespace

void SetupDatasetExportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ExportFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--format", flags->format, "csv or jsonl")->required();
  sub.add_option("-o,--out", flags->out, "The file to write")->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1 (default), builtin:ailuminate-v1 or a taxonomy.yaml path");
  sub.callback([flags, &context] {
    Status status = Export(*flags, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
