// safeval dataset sample FILE... --n N --by category,intent [--seed S] [-o OUT.jsonl]
//                                [--taxonomy SPEC]
// Writes a stratified random sample as canonical JSONL (to OUT, or stdout) in the original
// file order, and prints the per-stratum counts to stderr. The same inputs and seed give the
// same sample on every platform. Exit 0, or 2 on bad input.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <memory>

#include "cli/dataset_command.h"
#include "core/terminal_text.h"
#include "dataset/atomic_output_file.h"
#include "dataset/dataset.h"
#include "dataset/sample.h"

namespace safeval {
namespace {

struct SampleFlags {
  std::vector<std::string> files;
  std::string taxonomy = "builtin:safeval-v1";
  size_t n = 0;
  std::string by;
  uint64_t seed = 0;
  std::string output;  // empty: stdout
};

void PrintStrata(const Sample& sample, std::ostream& err) {
  size_t width = 7;
  for (const Stratum& s : sample.strata) width = std::max(width, TerminalText(s.label).size());
  err << std::left << std::setw(static_cast<int>(width)) << "stratum" << std::right << std::setw(11)
      << "available" << std::setw(9) << "sampled"
      << "\n";
  for (const Stratum& s : sample.strata) {
    err << std::left << std::setw(static_cast<int>(width)) << TerminalText(s.label) << std::right
        << std::setw(11)
        << s.available << std::setw(9) << s.sampled << "\n";
  }
}

void WriteLines(const std::vector<Prompt>& prompts, const Sample& sample, std::ostream& out) {
  for (size_t i : sample.indices) out << PromptToJsonLine(prompts[i]) << '\n';
}

Status WriteSample(const std::vector<Prompt>& prompts, const Sample& sample,
                   const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  WriteLines(prompts, sample, file->stream());
  return file->Commit();
}

Result<Dataset> Load(const SampleFlags& flags, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(flags.taxonomy, ""));
  DatasetLoad load = ReadDataset(flags.files, taxonomy);
  if (load.problems.empty()) return std::move(load.dataset);
  err << TerminalText(FormatProblems(load.problems), LineBreaks::kKeep) << "\n";
  return Status::InvalidArgument(std::to_string(load.problems.size()) +
                                 " problems in the dataset; nothing sampled (see 'safeval "
                                 "dataset validate')");
}

Status Run(const SampleFlags& flags, CliContext& context) {
  Result<std::vector<StratumKey>> keys = ParseStratumKeys(flags.by);
  if (!keys.ok()) return keys.status().WithContext("--by");
  SV_ASSIGN_OR_RETURN(Dataset dataset, Load(flags, *context.err));
  SV_ASSIGN_OR_RETURN(Sample sample, StratifiedSample(dataset.prompts, flags.n, *keys, flags.seed));
  if (flags.output.empty()) {
    WriteLines(dataset.prompts, sample, *context.out);
  } else {
    SV_RETURN_IF_ERROR(WriteSample(dataset.prompts, sample, flags.output));
  }
  PrintStrata(sample, *context.err);
  *context.err << "sampled " << sample.indices.size() << " of " << dataset.prompts.size()
               << " prompts (seed " << flags.seed << ")"
               << (flags.output.empty() ? "" : " into " + flags.output) << "\n";
  return Status::Ok();
}

}  // namespace

void SetupDatasetSampleCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<SampleFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--n", flags->n, "How many prompts to draw (all when it exceeds the dataset)")
      ->required()
      ->check(CLI::PositiveNumber);
  sub.add_option("--by", flags->by,
                 "Strata: comma-separated category[:DEPTH], intent, persona, technique, locale")
      ->required();
  sub.add_option("--seed", flags->seed, "Random seed; the same seed gives the same sample")
      ->capture_default_str();
  sub.add_option("-o,--output", flags->output, "Output JSONL file (default: stdout)");
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = Run(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
