// safeval annotate create|status|export|import: annotation rounds over a stored run.
#include "cli/annotate_command.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <filesystem>
#include <vector>

namespace safeval {

void SetupAnnotateCommand(CLI::App& sub, CliContext& context) {
  static const std::vector<Command> kSubcommands = {
      {"create", "Create a round: items of a run (borderline, failures, random, all) to label",
       SetupAnnotateCreateCommand},
      {"status", "A round's progress per annotator and the agreement between annotators",
       SetupAnnotateStatusCommand},
      {"export", "Write a round's items, labels and gold labels as JSONL",
       SetupAnnotateExportCommand},
      {"import", "Read labels (JSONL) into a round and publish its gold labels",
       SetupAnnotateImportCommand},
  };
  for (const Command& command : kSubcommands) {
    command.setup(*sub.add_subcommand(command.name, command.help), context);
  }
  sub.require_subcommand(1);
}

Status CheckAnnotationName(std::string_view what, const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
                c == '@');
  }
  if (ok) return Status::Ok();
  return Status::InvalidArgument(std::string(what) + " '" + name +
                                 "': expected 1 to 64 letters, digits, '_', '-', '.' or '@'");
}

Result<Stores> OpenExistingStores(const std::string& path) {
  std::error_code ec;
  if (!IsPostgresUrl(path) && !std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound("no store at '" + StoreLabel(path) + "' (use --store PATH|URL)");
  }
  return OpenStores(path);
}

Result<AnnotationRound> LoadRound(AnnotationStore& annotations, const std::string& name,
                                  const std::string& store_path) {
  Result<AnnotationRound> round = annotations.GetRound(name);
  if (round.ok() || round.status().code() != StatusCode::kNotFound) return round;
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationRound> rounds, annotations.ListRounds());
  std::string names;
  for (const AnnotationRound& r : rounds) names += (names.empty() ? "" : ", ") + r.name;
  return Status::NotFound("no annotation round '" + name + "' in " + StoreLabel(store_path) +
                          (names.empty() ? " (no rounds yet: safeval annotate create RUN ...)"
                                         : " (rounds: " + names + ")"));
}

}  // namespace safeval
