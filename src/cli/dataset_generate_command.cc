// safeval dataset generate --generator FILE:TARGET --per-cell N [--taxonomy SPEC]
//                          [--intent LIST] [--persona LIST] [--against FILE]...
//                          [--max-rounds R] [--id-prefix P] [--rejects REJECTS.jsonl] -o OUT.jsonl
// Asks a generator model for N prompts per taxonomy leaf x intent (x persona), keeps the valid
// ones that duplicate neither the --against dataset nor each other, and writes them as
// canonical JSONL (complete or not at all). Rejects are counted by kind on stderr and, with
// --rejects, written one JSON object per line: {"cell", "kind", "reason", "text"}.
// Exit 0 (also when some cells got fewer than N: the summary says which); 2 on bad input;
// 3 when the generator cannot be reached.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "augment/generation.h"
#include "cli/dataset_command.h"
#include "cli/generator_target.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "dataset/atomic_output_file.h"
#include "dataset/dataset.h"

namespace safeval {
namespace {

struct GenerateFlags {
  std::string generator;
  std::string taxonomy = "builtin:safeval-v1";
  int per_cell = 0;
  std::string intents = "safe,harmful,adversarial";
  std::string personas;  // empty: no persona
  std::vector<std::string> against;
  int max_rounds = 2;
  std::string id_prefix = "gen";
  std::string rejects;
  std::string output;
};

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t begin = 0;
  while (begin <= text.size()) {
    size_t end = std::min(text.find(',', begin), text.size());
    std::string item = text.substr(begin, end - begin);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    begin = end + 1;
  }
  return out;
}

Result<std::vector<Intent>> ParseIntents(const std::string& text) {
  std::vector<Intent> out;
  for (const std::string& name : SplitList(text)) {
    std::optional<Intent> intent = ParseIntent(name);
    if (!intent) {
      return Status::InvalidArgument("--intent: expected safe, harmful or adversarial, got '" +
                                     name + "'");
    }
    if (std::find(out.begin(), out.end(), *intent) == out.end()) out.push_back(*intent);
  }
  if (out.empty()) return Status::InvalidArgument("--intent: no intent given");
  return out;
}

Result<std::vector<Persona>> ParsePersonas(const std::string& text) {
  std::vector<Persona> out;
  for (const std::string& name : SplitList(text)) {
    std::optional<Persona> persona = ParsePersona(name);
    if (!persona) {
      return Status::InvalidArgument("--persona: expected normal, unskilled or skilled, got '" +
                                     name + "'");
    }
    if (std::find(out.begin(), out.end(), *persona) == out.end()) out.push_back(*persona);
  }
  return out;
}

Result<std::vector<Prompt>> LoadAgainst(const GenerateFlags& flags, const Taxonomy& taxonomy,
                                        std::ostream& err) {
  if (flags.against.empty()) return std::vector<Prompt>{};
  DatasetLoad load = ReadDataset(flags.against, taxonomy);
  if (load.problems.empty()) return std::move(load.dataset.prompts);
  err << TerminalText(FormatProblems(load.problems), LineBreaks::kKeep) << "\n";
  return Status::InvalidArgument(std::to_string(load.problems.size()) +
                                 " problems in the --against dataset; nothing generated (see "
                                 "'safeval dataset validate')");
}

Status WritePrompts(const std::vector<Prompt>& prompts, const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  for (const Prompt& p : prompts) file->stream() << PromptToJsonLine(p) << '\n';
  return file->Commit();
}

Status WriteRejects(const std::vector<GenerationReject>& rejects, const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  for (const GenerationReject& r : rejects) {
    nlohmann::json line = {
        {"cell", r.cell}, {"kind", r.kind}, {"reason", r.reason}, {"text", r.text}};
    file->stream() << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  return file->Commit();
}

void PrintSummary(const GenerateFlags& flags, size_t cells, const GenerationResult& result,
                  std::ostream& err) {
  err << "generated " << result.prompts.size() << " prompts for " << cells << " cells ("
      << flags.per_cell << " per cell) with " << result.requests << " requests into "
      << flags.output << "\n";
  if (result.short_cells > 0) {
    err << result.short_cells << " cells got fewer than " << flags.per_cell << " prompts\n";
  }
  std::map<std::string, size_t> by_kind;
  for (const GenerationReject& r : result.rejects) ++by_kind[r.kind];
  if (!result.rejects.empty()) {
    err << "rejected " << result.rejects.size() << ":";
    for (const auto& [kind, count] : by_kind) err << " " << kind << " " << count;
    err << (flags.rejects.empty() ? " (--rejects FILE lists them)"
                                  : " (listed in " + flags.rejects + ")")
        << "\n";
  }
}

Status Run(const GenerateFlags& flags, CliContext& context) {
  SV_ASSIGN_OR_RETURN(std::vector<Intent> intents, ParseIntents(flags.intents));
  SV_ASSIGN_OR_RETURN(std::vector<Persona> personas, ParsePersonas(flags.personas));
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(flags.taxonomy, ""));
  SV_ASSIGN_OR_RETURN(std::vector<Prompt> existing, LoadAgainst(flags, taxonomy, *context.err));
  SystemClock clock;
  SV_ASSIGN_OR_RETURN(std::unique_ptr<ModelClient> generator,
                      MakeGeneratorClient(flags.generator, clock));
  GenerationOptions options;
  options.per_cell = flags.per_cell;
  options.max_rounds = flags.max_rounds;
  options.id_prefix = flags.id_prefix;
  std::vector<GenerationCell> cells = MakeCells(taxonomy, intents, personas, existing);
  SV_ASSIGN_OR_RETURN(GenerationResult result,
                      GeneratePrompts(*generator, taxonomy, cells, existing, options));
  SV_RETURN_IF_ERROR(WritePrompts(result.prompts, flags.output));
  if (!flags.rejects.empty()) SV_RETURN_IF_ERROR(WriteRejects(result.rejects, flags.rejects));
  PrintSummary(flags, cells.size(), result, *context.err);
  return Status::Ok();
}

}  // namespace

void SetupDatasetGenerateCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<GenerateFlags>();
  sub.add_option("--generator", flags->generator,
                 "FILE:TARGET, a target of a suite or judge configuration file that writes the "
                 "prompts")
      ->required();
  sub.add_option("--per-cell", flags->per_cell, "Prompts per leaf x intent (x persona): 1-100")
      ->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path; one cell "
                 "per leaf")
      ->capture_default_str();
  sub.add_option("--intent", flags->intents, "Comma-separated intents")->capture_default_str();
  sub.add_option("--persona", flags->personas,
                 "Comma-separated personas (normal, unskilled, skilled); default: none");
  sub.add_option("--against", flags->against,
                 "Existing dataset files or folders: examples for the generator, and what new "
                 "prompts must not duplicate; repeatable");
  sub.add_option("--max-rounds", flags->max_rounds,
                 "Requests per cell at most (1-5): cells short of N are asked again")
      ->capture_default_str();
  sub.add_option("--id-prefix", flags->id_prefix, "First part of the new prompts' ids")
      ->capture_default_str();
  sub.add_option("--rejects", flags->rejects, "Write every rejected candidate to this JSONL file");
  sub.add_option("-o,--output", flags->output, "Output JSONL file")->required();
  sub.callback([flags, &context] {
    Status status = Run(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
