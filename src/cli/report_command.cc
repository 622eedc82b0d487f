// safeval report RUN_ID [--store PATH] [-o DIR]
#include <CLI/CLI.hpp>
#include <filesystem>
#include <memory>

#include "cli/command.h"
#include "cli/run_report.h"
#include "run/evaluation.h"

namespace safeval {
namespace {

struct ReportFlags {
  std::string run_id;
  std::string store = "runs/safeval.db";
  std::string out;
};

Status WriteReportOfStoredRun(const ReportFlags& flags, CliContext& context) {
  if (!std::filesystem::exists(flags.store)) {
    return Status::NotFound("no store at '" + flags.store + "' (use --store PATH)");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, store->GetRun(flags.run_id));
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  std::string dir = flags.out.empty() ? run.output_dir : flags.out;
  SV_ASSIGN_OR_RETURN(Totals totals, WriteRunReport(*store, run, in.taxonomy, in.policy.name(), dir,
                                                    *context.out, context.tty));
  (void)totals;
  return Status::Ok();
}

}  // namespace

void SetupReportCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ReportFlags>();
  sub.add_option("run", flags->run_id, "The run's id (see `safeval runs`)")->required();
  sub.add_option("--store", flags->store, "The store (SQLite file)")->capture_default_str();
  sub.add_option("-o,--out", flags->out, "Folder to write into (default: the run's own folder)");
  sub.callback([flags, &context] {
    Status status = WriteReportOfStoredRun(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
