// The subcommand table: each subcommand is one file (cli/<name>_command.cc)
// exposing a setup function that declares its options on a CLI11 subcommand
// and a callback that does the work and sets the exit code.
#pragma once

#include <atomic>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace safeval {

// Exit codes: 0 ok; 1 a check or gate failed; 2 bad input or usage;
// 3 a run failed (endpoint, store); 130 interrupted.
inline constexpr int kExitOk = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitRunFailed = 3;
inline constexpr int kExitInterrupted = 130;

struct CliContext {
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  bool tty = false;                       // stderr is a terminal
  const std::atomic<bool>* cancel = nullptr;
  int exit_code = kExitOk;

  // Prints "safeval: error: <message>" and returns the exit code for `status`.
  int Fail(const Status& status);
};

struct Command {
  const char* name;
  const char* help;
  void (*setup)(CLI::App& sub, CliContext& context);
};

// Every subcommand, in the order `safeval --help` lists them.
const std::vector<Command>& Commands();

void SetupRunCommand(CLI::App& sub, CliContext& context);
void SetupReportCommand(CLI::App& sub, CliContext& context);
void SetupRunsCommand(CLI::App& sub, CliContext& context);
void SetupRunsShowCommand(CLI::App& sub, CliContext& context);
void SetupDatasetCommand(CLI::App& sub, CliContext& context);  // nested: see dataset_command.h
void SetupTaxonomyCommand(CLI::App& sub, CliContext& context);  // taxonomy show
void SetupPolicyCommand(CLI::App& sub, CliContext& context);   // policy show|check
void SetupJudgeCommand(CLI::App& sub, CliContext& context);    // nested: see judge_command.h
void SetupGradeCommand(CLI::App& sub, CliContext& context);
void SetupCompareCommand(CLI::App& sub, CliContext& context);
void SetupGateCommand(CLI::App& sub, CliContext& context);
void SetupServeCommand(CLI::App& sub, CliContext& context);  // the web UI
void SetupWorkerCommand(CLI::App& sub, CliContext& context);  // distributed runs
void SetupAnnotatorsCommand(CLI::App& sub, CliContext& context);  // add|list|reset-token
void SetupAnnotateCommand(CLI::App& sub, CliContext& context);  // nested: see annotate_command.h
void SetupStoreCommand(CLI::App& sub, CliContext& context);     // store copy

}  // namespace safeval
