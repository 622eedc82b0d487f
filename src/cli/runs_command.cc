// safeval runs [--store PATH]: the runs in a store, newest first.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "store/store.h"

namespace safeval {

void SetupRunsCommand(CLI::App& sub, CliContext& context) {
  auto store_path = std::make_shared<std::string>("runs/safeval.db");
  sub.add_option("--store", *store_path, "The store (SQLite file)")->capture_default_str();
  sub.callback([store_path, &context] {
    if (!std::filesystem::exists(*store_path)) {
      context.Fail(Status::NotFound("no store at '" + *store_path + "' (use --store PATH)"));
      return;
    }
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(*store_path);
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
      *context.out << run.id << "  " << run.status << "  " << run.suite_name << "  "
                   << run.target_identity << "  started " << run.started_at << "\n";
    }
  });
}

}  // namespace safeval
