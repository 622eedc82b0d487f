#include "cli/dataset_command.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <ostream>
#include <vector>

#include "dataset/atomic_output_file.h"
#include "dataset/dataset.h"

namespace safeval {

void SetupDatasetCommand(CLI::App& sub, CliContext& context) {
  static const std::vector<Command> kSubcommands = {
      // {"name", "help", SetupDatasetNameCommand},   (one row per subcommand, in help order)
      {"validate", "Check dataset files and report every problem", SetupDatasetValidateCommand},
      {"stats", "Counts, leaf x intent coverage gaps and intent mix", SetupDatasetStatsCommand},
      {"dedup", "Find exact and near-duplicate prompts", SetupDatasetDedupCommand},
      {"sample", "Draw a reproducible stratified sample", SetupDatasetSampleCommand},
      {"import", "Import AILuminate, XSTest, HarmBench, CSV or JSONL", SetupDatasetImportCommand},
      {"export", "Write a dataset as CSV or canonical JSONL", SetupDatasetExportCommand},
      {"techniques", "List the adversarial techniques (built-in and from files)",
       SetupDatasetTechniquesCommand},
      {"augment", "Derive adversarial variants of prompts by chains of techniques",
       SetupDatasetAugmentCommand},
      {"generate", "Generate prompts per taxonomy leaf x intent with a generator model",
       SetupDatasetGenerateCommand},
      {"counterfactual", "Expand bias templates into one prompt per template x group",
       SetupDatasetCounterfactualCommand},
  };
  sub.require_subcommand(1);
  for (const Command& command : kSubcommands) {
    command.setup(*sub.add_subcommand(command.name, command.help), context);
  }
}

Status WritePromptLines(const std::vector<Prompt>& prompts, const std::string& path,
                        std::ostream& out) {
  if (path.empty()) {
    for (const Prompt& p : prompts) out << PromptToJsonLine(p) << '\n';
    return Status::Ok();
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  for (const Prompt& p : prompts) file->stream() << PromptToJsonLine(p) << '\n';
  return file->Commit();
}

}  // namespace safeval
