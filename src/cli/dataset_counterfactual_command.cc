// safeval dataset counterfactual TEMPLATE.yaml [-o OUT.jsonl] [--taxonomy SPEC]
// Expands a counterfactual template file (docs/agents.md) into one prompt per template x
// group, written as canonical JSONL to OUT (complete or not at all) or stdout, and prints a
// summary to stderr. Exit 0; 2 on a bad template file (the error names file and line).
#include <CLI/CLI.hpp>

#include "cli/dataset_command.h"
#include "core/terminal_text.h"
#include "dataset/counterfactual.h"
#include "dataset/dataset.h"

namespace safeval {
namespace {

struct CounterfactualFlags {
  std::string file;
  std::string taxonomy = "builtin:safeval-v1";
  std::string output;  // empty: stdout
};

Status Run(const CounterfactualFlags& flags, CliContext& context) {
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(flags.taxonomy, ""));
  SV_ASSIGN_OR_RETURN(CounterfactualSet set, ExpandCounterfactualFile(flags.file, &taxonomy));
  SV_RETURN_IF_ERROR(WritePromptLines(set.prompts, flags.output, *context.out));
  std::string groups;
  for (const std::string& g : set.groups) groups += (groups.empty() ? "" : ", ") + g;
  *context.err << "expanded " << set.templates << " templates x " << set.groups.size()
               << " groups (" << TerminalText(groups) << ") into " << set.prompts.size()
               << " prompts" << (flags.output.empty() ? "" : " in " + TerminalText(flags.output))
               << "\n";
  return Status::Ok();
}

}  // namespace

void SetupDatasetCounterfactualCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<CounterfactualFlags>();
  sub.add_option("template", flags->file, "Counterfactual template file (.yaml)")->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path (templates' "
                 "categories must be in it)")
      ->capture_default_str();
  sub.add_option("-o,--output", flags->output, "Output JSONL file (default: stdout)");
  sub.callback([flags, &context] {
    Status status = Run(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
