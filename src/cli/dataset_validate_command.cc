// safeval dataset validate FILE... [--taxonomy SPEC]
// Prints every problem of the dataset, one per line ("file:line: field 'x': ..."), then a
// summary; exits 2 when there is any problem, 0 with "N prompts OK" otherwise.
// One streamed pass (DatasetStream): memory holds one line and a 64-bit hash per id, never the
// prompts, so a dataset of any size validates (bench/dataset/README.md measures 2 GB). It does
// no near-duplicate detection: exact duplicate ids are problems; `safeval dataset dedup` finds
// near duplicates.
#include <CLI/CLI.hpp>
#include <memory>
#include <set>

#include "cli/dataset_command.h"
#include "core/terminal_text.h"
#include "dataset/dataset.h"

namespace safeval {
namespace {

struct ValidateFlags {
  std::vector<std::string> files;
  std::string taxonomy = "builtin:safeval-v1";
};

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string ProblemSummary(const DatasetStream& stream) {
  std::set<std::string> files;
  for (const DatasetProblem& problem : stream.problems()) files.insert(problem.file);
  return Plural(stream.problems().size(), "problem", "problems") + " in " +
         Plural(files.size(), "file", "files") + "; " +
         Plural(static_cast<size_t>(stream.count()), "prompt", "prompts") +
         " without problems (lines with problems are left out)";
}

void Execute(const ValidateFlags& flags, CliContext& context) {
  Result<Taxonomy> taxonomy = Taxonomy::Resolve(flags.taxonomy, "");
  if (!taxonomy.ok()) {
    context.Fail(taxonomy.status());
    return;
  }
  DatasetStream stream(flags.files, *taxonomy);
  // The problems are what this command is asked for, so they go to stdout (one per line, for
  // grep and editors' file:line jumping), each as soon as it is found.
  size_t printed = 0;
  auto print_new_problems = [&] {
    for (; printed < stream.problems().size(); ++printed) {
      *context.out << TerminalText(stream.problems()[printed].ToString()) << "\n";
    }
  };
  while (stream.Next()) print_new_problems();
  print_new_problems();
  if (!stream.problems().empty()) {
    *context.out << ProblemSummary(stream) << "\n";
    context.exit_code = kExitBadInput;
    return;
  }
  *context.out << Plural(static_cast<size_t>(stream.count()), "prompt", "prompts")
               << " OK (taxonomy " << taxonomy->id() << ", content hash "
               << stream.content_hash() << ")\n";
}

}  // namespace

void SetupDatasetValidateCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ValidateFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
