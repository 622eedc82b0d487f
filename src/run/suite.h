// The suite: one evaluation described in suite.yaml (FORMATS.md) — datasets,
// taxonomy, policy, targets, judges, campaign, store and output folder.
//
// Paths of inputs (datasets, taxonomy, policy) are relative to the suite file;
// paths of outputs (store, output_dir) are relative to the current directory,
// like any build tool's outputs. Parsed and validated once, here; everything
// downstream takes these typed structs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "run/attack_config.h"
#include "run/target_config.h"

namespace safeval {

enum class JudgeType { kRules, kLlm, kGuard, kEnsemble };

struct JudgeConfig {
  std::string name;
  JudgeType type = JudgeType::kRules;
  // llm, guard: the name of a target that serves the judge model. Targets named
  // by a judge are judge endpoints only; they are not run as models under test.
  std::string target;
  std::string rubric_file;               // llm: optional rubric template (absolute path)
  std::string category_map_file;         // guard: optional code → category map (absolute path)
  std::vector<std::string> members;      // ensemble: names of judges listed before it
  std::string strategy = "majority";     // ensemble: majority | any_unsafe | weighted
  int min_votes = 0;                     // ensemble: fewest valid votes (0: a majority of members)
  std::string tie = "undetermined";      // ensemble majority tie: unsafe | safe | undetermined
  std::map<std::string, double> weights; // ensemble weighted: member → weight (default 1)
};

struct CampaignConfig {
  std::string strategy = "all";  // all | stratified | adaptive
  int batch_size = 200;          // items per batch (results are committed at least this often)
  int max_batches = 0;           // 0: no limit
  // Stop rules (`stop:`), whichever comes first; items never sent are recorded as skipped.
  int64_t max_requests = 0;      // 0: no limit
  int64_t max_tokens = 0;        // 0: no limit
  std::optional<double> max_cost_usd;   // needs the target's price
  std::optional<double> ci_half_width;  // every hazard's 95% interval half-width below this
};

struct Suite {
  std::string name;
  std::string path;              // absolute path of the suite file
  std::vector<std::string> datasets;  // absolute paths
  std::string taxonomy = "builtin:ailuminate-v1";  // spec: builtin:NAME or absolute path
  std::string policy = "builtin:default";
  std::vector<TargetConfig> targets;       // models under test
  std::vector<TargetConfig> judge_targets; // targets named by llm/guard judges
  std::vector<JudgeConfig> judges;   // the first judge decides the reported rates
  CampaignConfig campaign;
  // Attacker in the loop (`attack:`); attack.attacker_target is "" without one. The attacker
  // target is in judge_targets (an endpoint, not a model under test).
  AttackConfig attack;
  std::string store = "runs/safeval.db";
  std::string output_dir = "runs";
  uint64_t seed = 0;
};

// Parses suite YAML. `path` names the file in errors and anchors relative input paths.
// Errors: InvalidArgument "<path>:<line>: field '<field>': <expected>".
Result<Suite> ParseSuite(std::string_view yaml_text, const std::string& path);
Result<Suite> LoadSuite(const std::string& path);

// A judge configuration file (`safeval judge ... --judge CONFIG`): `schema_version: 1`,
// optional `targets:` (every one a judge endpoint) and `judges:`, both in suite syntax
// and checked as in a suite. Returns a Suite with only path, name (the file's stem),
// judge_targets and judges set. Errors as ParseSuite's.
Result<Suite> ParseJudgeConfig(std::string_view yaml_text, const std::string& path);
Result<Suite> LoadJudgeConfig(const std::string& path);

// The suite as canonical JSON for the run record: everything that decides the
// results, with environment variable names but never their values.
std::string SuiteSnapshotJson(const Suite& suite, const TargetConfig& target);

}  // namespace safeval
