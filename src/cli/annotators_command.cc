// safeval annotators add NAME [--adjudicator] [--store PATH]
// safeval annotators list [--store PATH]
// safeval annotators reset-token NAME [--store PATH]
// Annotators log in to `safeval serve` with a token. `add` and `reset-token` print the new token
// alone on stdout (so `TOKEN=$(safeval annotators add ana)` works) and say on stderr that it is
// shown once: the store keeps only its SHA-256 (server/annotator_token.h), and the token is
// never written anywhere else.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/annotate_command.h"
#include "cli/text_table.h"
#include "core/clock.h"
#include "core/terminal_text.h"
#include "server/annotator_token.h"

namespace safeval {
namespace {

struct AnnotatorsFlags {
  std::string name;
  bool adjudicator = false;
  std::string store = kDefaultStorePath;
};

void PrintToken(const std::string& name, const std::string& token, CliContext& context) {
  *context.err << "safeval: token for " << name << " (shown once; store only its hash):\n";
  *context.out << token << "\n";
}

Status Add(const AnnotatorsFlags& flags, CliContext& context) {
  SV_RETURN_IF_ERROR(CheckAnnotationName("annotator", flags.name));
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SystemClock clock;
  Annotator annotator{flags.name, flags.adjudicator, clock.NowIso8601()};
  const std::string token = NewAnnotatorToken();
  SV_RETURN_IF_ERROR(stores.annotations->AddAnnotator(annotator, TokenHash(token)));
  PrintToken(flags.name, token, context);
  return Status::Ok();
}

Status ResetToken(const AnnotatorsFlags& flags, CliContext& context) {
  SV_RETURN_IF_ERROR(CheckAnnotationName("annotator", flags.name));
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  const std::string token = NewAnnotatorToken();
  SV_RETURN_IF_ERROR(stores.annotations->ResetAnnotatorToken(flags.name, TokenHash(token)));
  PrintToken(flags.name, token, context);
  return Status::Ok();
}

Status List(const AnnotatorsFlags& flags, std::ostream& out) {
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> annotators, stores.annotations->ListAnnotators());
  if (annotators.empty()) {
    out << "No annotators in " << StoreLabel(flags.store)
        << " (add one: safeval annotators add NAME)\n";
    return Status::Ok();
  }
  TextTable table({"name", "adjudicator", "created"});
  table.AlignLeft(1);
  table.AlignLeft(2);
  for (const Annotator& a : annotators) {
    table.AddRow({TerminalText(a.name), a.adjudicator ? "yes" : "no", TerminalText(a.created_at)});
  }
  out << table.Render();
  return Status::Ok();
}

using Action = Status (*)(const AnnotatorsFlags&, CliContext&);

void AddStoreOption(CLI::App& sub, AnnotatorsFlags& flags) {
  sub.add_option("--store", flags.store, "The store: a SQLite file or a postgresql:// URL")
      ->type_name("PATH|URL")
      ->capture_default_str();
}

void Bind(CLI::App& sub, CliContext& context, std::shared_ptr<AnnotatorsFlags> flags,
          Action action) {
  sub.callback([flags, action, &context] {
    Status status = action(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace

void SetupAnnotatorsCommand(CLI::App& sub, CliContext& context) {
  auto add_flags = std::make_shared<AnnotatorsFlags>();
  CLI::App& add = *sub.add_subcommand("add", "Add an annotator and print their login token (once)");
  add.add_option("name", add_flags->name, "1 to 64 letters, digits, '_', '-', '.' or '@'")
      ->required();
  add.add_flag("--adjudicator", add_flags->adjudicator,
               "May decide disagreements (the adjudication view)");
  AddStoreOption(add, *add_flags);
  Bind(add, context, add_flags, Add);

  auto list_flags = std::make_shared<AnnotatorsFlags>();
  CLI::App& list = *sub.add_subcommand("list", "List the annotators: name, adjudicator, created");
  AddStoreOption(list, *list_flags);
  Bind(list, context, list_flags,
       [](const AnnotatorsFlags& flags, CliContext& c) { return List(flags, *c.out); });

  auto reset_flags = std::make_shared<AnnotatorsFlags>();
  CLI::App& reset = *sub.add_subcommand(
      "reset-token",
      "Give an annotator a new login token (printed once; the old one stops working)");
  reset.add_option("name", reset_flags->name, "The annotator")->required();
  AddStoreOption(reset, *reset_flags);
  Bind(reset, context, reset_flags, ResetToken);

  sub.require_subcommand(1);
}

}  // namespace safeval
