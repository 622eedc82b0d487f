// `safeval dataset <subcommand>`: one file per subcommand (cli/dataset_<name>_command.cc),
// listed in the table in dataset_command.cc.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/command.h"
#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

// Each declares its options on `sub` and sets context.exit_code from its callback.
void SetupDatasetValidateCommand(CLI::App& sub, CliContext& context);
void SetupDatasetStatsCommand(CLI::App& sub, CliContext& context);
void SetupDatasetDedupCommand(CLI::App& sub, CliContext& context);
void SetupDatasetSampleCommand(CLI::App& sub, CliContext& context);
void SetupDatasetImportCommand(CLI::App& sub, CliContext& context);
void SetupDatasetExportCommand(CLI::App& sub, CliContext& context);
void SetupDatasetTechniquesCommand(CLI::App& sub, CliContext& context);
void SetupDatasetAugmentCommand(CLI::App& sub, CliContext& context);
void SetupDatasetGenerateCommand(CLI::App& sub, CliContext& context);
void SetupDatasetCounterfactualCommand(CLI::App& sub, CliContext& context);

// Writes `prompts` as dataset JSONL lines: to `out` when `path` is empty, otherwise to `path`
// complete or not at all (AtomicOutputFile).
Status WritePromptLines(const std::vector<Prompt>& prompts, const std::string& path,
                        std::ostream& out);

}  // namespace safeval
