// `safeval annotate ...` and `safeval annotators ...`: human annotation rounds from the command
// line (docs/web-ui.md "Commands"). One file per subcommand (cli/annotate_<name>_command.cc),
// listed in the table in annotate_command.cc; what they share is declared here.
#pragma once

#include <string>
#include <string_view>

#include "cli/command.h"
#include "core/status.h"
#include "store/annotation_store.h"
#include "store/open_store.h"  // Stores
#include "store/store.h"

namespace safeval {

// Each declares its options on `sub` and sets context.exit_code from its callback.
void SetupAnnotateCreateCommand(CLI::App& sub, CliContext& context);
void SetupAnnotateStatusCommand(CLI::App& sub, CliContext& context);
void SetupAnnotateExportCommand(CLI::App& sub, CliContext& context);
void SetupAnnotateImportCommand(CLI::App& sub, CliContext& context);

// The default --store of every annotation command.
inline constexpr const char* kDefaultStorePath = "runs/safeval.db";

// Annotator and round names: 1 to 64 of [A-Za-z0-9_.@-]. InvalidArgument
// "<what> '<name>': expected 1 to 64 letters, digits, '_', '-', '.' or '@'" otherwise.
Status CheckAnnotationName(std::string_view what, const std::string& name);

// The run store and annotation store `path` names: a PostgreSQL URL, or a SQLite file that must
// exist (NotFound "no store at '<path>' (use --store PATH|URL)"): annotation commands never
// create an empty store file.
Result<Stores> OpenExistingStores(const std::string& path);

// The round named `name`. NotFound "no annotation round '<name>' in <path> (rounds: a, b)"
// (or "(no rounds yet: safeval annotate create ...)") when there is none.
Result<AnnotationRound> LoadRound(AnnotationStore& annotations, const std::string& name,
                                  const std::string& store_path);

}  // namespace safeval
