// safeval dataset techniques [--techniques-file FILE]... [--family FAMILY]
// Lists the technique registry (built-in templates plus the given files): id, family, number of
// variants, aliases and description. Exit 0, or 2 when a techniques file is wrong.
#include <CLI/CLI.hpp>
#include <memory>

#include "augment/technique_registry.h"
#include "cli/dataset_command.h"
#include "cli/technique_files.h"
#include "cli/text_table.h"
#include "core/terminal_text.h"

namespace safeval {
namespace {

struct TechniquesFlags {
  std::vector<std::string> files;
  std::string family;
};

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

Status Run(const TechniquesFlags& flags, CliContext& context) {
  std::optional<TechniqueFamily> family;
  if (!flags.family.empty()) {
    family = ParseTechniqueFamily(flags.family);
    if (!family) {
      return Status::InvalidArgument(
          "--family: expected framing, obfuscation, language or "
          "multi_turn, got '" +
          flags.family + "'");
    }
  }
  SV_ASSIGN_OR_RETURN(TechniqueRegistry registry, LoadTechniqueRegistry(flags.files));
  TextTable table({"id", "family", "variants", "aliases", "description"});
  table.AlignLeft(1);
  table.AlignLeft(3);
  table.AlignLeft(4);
  size_t shown = 0;
  for (const Technique& t : registry.techniques()) {
    if (family && t.family != *family) continue;
    table.AddRow({TerminalText(t.id), std::string(Name(t.family)),
                  std::to_string(t.variant_count()), TerminalText(Joined(t.aliases)),
                  TerminalText(t.description)});
    ++shown;
  }
  *context.out << table.Render();
  *context.out << shown << " techniques";
  if (!flags.files.empty()) *context.out << " (built-in and " << flags.files.size() << " file(s))";
  *context.out << "\n";
  return Status::Ok();
}

}  // namespace

void SetupDatasetTechniquesCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<TechniquesFlags>();
  sub.add_option("--techniques-file", flags->files,
                 "More techniques: a YAML template file (docs/techniques.md); repeatable");
  sub.add_option("--family", flags->family,
                 "Only this family: framing, obfuscation, language or multi_turn");
  sub.callback([flags, &context] {
    Status status = Run(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
