// safeval dataset augment FILE... --techniques LIST [--per-prompt N] [--chain L] [--seed S]
//                         [--include-safe] [--techniques-file F]... [--generator FILE:TARGET]
//                         [--taxonomy SPEC] [-o OUT.jsonl]
// Writes adversarial variants of the dataset's harmful prompts (and safe ones with
// --include-safe) as canonical JSONL — to OUT (complete or not at all) or stdout — and prints
// the variants per technique and what was left out to stderr. Only the variants are written,
// not the source prompts. Exit 0; 2 on bad input; 3 when the generator cannot be reached.
#include <CLI/CLI.hpp>
#include <memory>

#include "augment/augment.h"
#include "cli/dataset_command.h"
#include "cli/generator_target.h"
#include "cli/technique_files.h"
#include "cli/text_table.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "dataset/dataset.h"

namespace safeval {
namespace {

struct AugmentFlags {
  std::vector<std::string> files;
  std::string techniques;
  int per_prompt = 1;
  int chain = 1;
  uint64_t seed = 0;
  bool include_safe = false;
  std::vector<std::string> technique_files;
  std::string generator;
  std::string taxonomy = "builtin:safeval-v1";
  std::string output;  // empty: stdout
};

void PrintSummary(const AugmentFlags& flags, const AugmentOptions& options,
                  const AugmentResult& result, size_t inputs, std::ostream& err) {
  TextTable table({"technique", "variants"});
  for (const Technique* t : options.techniques) {
    auto it = result.per_technique.find(t->id);
    table.AddRow(
        {TerminalText(t->id), std::to_string(it == result.per_technique.end() ? 0 : it->second)});
  }
  err << table.Render();
  err << "augmented " << result.augmented << " of " << inputs << " prompts into "
      << result.prompts.size() << " variants (chains of " << options.chain_length << ", "
      << options.per_prompt << " per prompt and chain, seed " << options.seed << ")"
      << (flags.output.empty() ? "" : " in " + flags.output) << "\n";
  for (const auto& [reason, count] : result.left_out) {
    err << "left out " << count << ": " << TerminalText(reason) << "\n";
  }
}

Result<Dataset> Load(const AugmentFlags& flags, const Taxonomy& taxonomy, std::ostream& err) {
  DatasetLoad load = ReadDataset(flags.files, taxonomy);
  if (load.problems.empty()) return std::move(load.dataset);
  err << TerminalText(FormatProblems(load.problems), LineBreaks::kKeep) << "\n";
  return Status::InvalidArgument(std::to_string(load.problems.size()) +
                                 " problems in the dataset; nothing augmented (see 'safeval "
                                 "dataset validate')");
}

bool NeedsTranslator(const std::vector<const Technique*>& techniques) {
  for (const Technique* t : techniques)
    if (t->family == TechniqueFamily::kLanguage) return true;
  return false;
}

Status Run(const AugmentFlags& flags, CliContext& context) {
  SV_ASSIGN_OR_RETURN(TechniqueRegistry registry, LoadTechniqueRegistry(flags.technique_files));
  AugmentOptions options;
  Result<std::vector<const Technique*>> techniques = registry.ResolveList(flags.techniques);
  if (!techniques.ok()) return techniques.status().WithContext("--techniques");
  options.techniques = std::move(*techniques);
  options.chain_length = flags.chain;
  options.per_prompt = flags.per_prompt;
  options.seed = flags.seed;
  options.include_safe = flags.include_safe;

  SystemClock clock;
  std::unique_ptr<ModelClient> generator;
  std::unique_ptr<Translator> translator;
  if (!flags.generator.empty()) {
    SV_ASSIGN_OR_RETURN(generator, MakeGeneratorClient(flags.generator, clock));
    translator = std::make_unique<ModelTranslator>(*generator);
  } else if (NeedsTranslator(options.techniques)) {
    return Status::InvalidArgument(
        "--techniques: a language technique translates through a "
        "generator model: add --generator FILE:TARGET");
  }
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(flags.taxonomy, ""));
  SV_ASSIGN_OR_RETURN(Dataset dataset, Load(flags, taxonomy, *context.err));
  SV_ASSIGN_OR_RETURN(AugmentResult result,
                      Augment(dataset.prompts, options, &taxonomy, translator.get()));
  SV_RETURN_IF_ERROR(WritePromptLines(result.prompts, flags.output, *context.out));
  PrintSummary(flags, options, result, dataset.prompts.size(), *context.err);
  return Status::Ok();
}

}  // namespace

void SetupDatasetAugmentCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<AugmentFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--techniques", flags->techniques,
                 "Comma-separated technique ids or aliases, e.g. historical,roleplay,base64 "
                 "(see 'safeval dataset techniques')")
      ->required();
  sub.add_option("--per-prompt", flags->per_prompt,
                 "Variants of each chain per prompt (1-100), each with other templates")
      ->capture_default_str();
  sub.add_option("--chain", flags->chain,
                 "Techniques per chain (1-4): every ordered choice of that many listed techniques")
      ->capture_default_str();
  sub.add_option("--seed", flags->seed, "Random seed; the same seed gives the same variants")
      ->capture_default_str();
  sub.add_flag("--include-safe", flags->include_safe,
               "Augment safe prompts too (they stay safe: over-deflection under the same framing)");
  sub.add_option("--techniques-file", flags->technique_files,
                 "More techniques: a YAML template file (docs/techniques.md); repeatable");
  sub.add_option("--generator", flags->generator,
                 "FILE:TARGET, a target of a suite or judge configuration file that translates "
                 "(needed by language techniques)");
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("-o,--output", flags->output, "Output JSONL file (default: stdout)");
  sub.callback([flags, &context] {
    Status status = Run(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
