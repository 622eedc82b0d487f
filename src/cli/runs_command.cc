// safeval runs [--store PATH]: the runs in a store, newest first.
// safeval runs show RUN [--store PATH]: one run (runs_show_command.cc).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "core/terminal_text.h"
#include "store/open_store.h"
#include "store/store.h"

namespace safeval {

void SetupRunsCommand(CLI::App& sub, CliContext& context) {
  auto store_path = std::make_shared<std::string>("runs/safeval.db");
  sub.add_option("--store", *store_path, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  SetupRunsShowCommand(*sub.add_subcommand("show", "Show one run: progress and its campaign's batches"),
                       context);
  sub.require_subcommand(0, 1);
  sub.callback([store_path, &sub, &context] {
    if (sub.got_subcommand("show")) return;
    if (!IsPostgresUrl(*store_path) && !std::filesystem::exists(*store_path)) {
      context.Fail(Status::NotFound("no store at '" + *store_path + "' (use --store PATH|URL)"));
      return;
    }
    Result<std::unique_ptr<Store>> store = OpenStore(*store_path);
    if (!store.ok()) {
      context.Fail(store.status());
      return;
    }
    Result<std::vector<RunRecord>> runs = (*store)->ListRuns();
    if (!runs.ok()) {
      context.Fail(runs.status());
      return;
    }
    for (const RunRecord& run : *runs) {
      *context.out << TerminalText(run.id) << "  " << TerminalText(run.status) << "  "
                   << TerminalText(run.suite_name) << "  " << TerminalText(run.target_identity)
                   << "  started " << TerminalText(run.started_at) << "\n";
    }
  });
}

}  // namespace safeval
