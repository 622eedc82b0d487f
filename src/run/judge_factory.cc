#include "run/judge_factory.h"

#include <utility>

#include "judge/ensemble_judge.h"
#include "judge/guard_judge.h"
#include "judge/llm_judge.h"
#include "judge/rules_judge.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

// What a judge needs from its surroundings besides its own config.
struct JudgeContext {
  const Suite& suite;
  const Policy& policy;
  Clock& clock;
  const GetEnvFn& getenv;
  std::optional<int> concurrency;
};

const TargetConfig* FindTarget(const Suite& suite, const std::string& name) {
  for (const TargetConfig& t : suite.judge_targets)
    if (t.name == name) return &t;
  for (const TargetConfig& t : suite.targets)
    if (t.name == name) return &t;
  return nullptr;
}

Result<std::unique_ptr<ModelClient>> JudgeClient(const JudgeConfig& config,
                                                 const JudgeContext& cx) {
  const TargetConfig* target = FindTarget(cx.suite, config.target);
  if (target == nullptr) {
    return Status::InvalidArgument(cx.suite.path + ": no target named '" + config.target + "'");
  }
  return MakeTargetClient(cx.suite, *target, cx.concurrency, cx.getenv, cx.clock);
}

// The content of an optional file; "" when no file is named.
Result<std::string> OptionalFile(const std::string& path, std::string_view what) {
  if (path.empty()) return std::string();
  return ReadUserFile(path, what);
}

Result<std::unique_ptr<Judge>> MakeLlm(const JudgeConfig& config, const JudgeContext& cx) {
  LlmJudgeOptions options;
  SV_ASSIGN_OR_RETURN(options.rubric_template, OptionalFile(config.rubric_file, "rubric file"));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<ModelClient> client, JudgeClient(config, cx));
  return MakeLlmJudge(config.name, cx.policy, std::move(client), options);
}

Result<std::unique_ptr<Judge>> MakeGuard(const JudgeConfig& config, const JudgeContext& cx) {
  GuardJudgeOptions options;
  SV_ASSIGN_OR_RETURN(options.category_map_yaml,
                      OptionalFile(config.category_map_file, "category map file"));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<ModelClient> client, JudgeClient(config, cx));
  return MakeGuardJudge(config.name, cx.policy, std::move(client), options);
}

Result<std::unique_ptr<Judge>> MakeEnsemble(const JudgeConfig& config, const JudgeContext& cx) {
  EnsembleOptions options;
  options.members = config.members;
  options.strategy = config.strategy;
  options.min_votes = config.min_votes;
  options.tie = config.tie;
  options.weights = config.weights;
  return MakeEnsembleJudge(config.name, cx.policy, options);
}

Result<std::unique_ptr<Judge>> MakeOne(const JudgeConfig& config, const JudgeContext& cx) {
  switch (config.type) {
    case JudgeType::kRules:
      return MakeRulesJudge(config.name, cx.policy);
    case JudgeType::kLlm:
      return MakeLlm(config, cx);
    case JudgeType::kGuard:
      return MakeGuard(config, cx);
    case JudgeType::kEnsemble:
      return MakeEnsemble(config, cx);
  }
  return Status::Internal("judge '" + config.name + "': unknown judge type");
}

// Prefixes "judge '<name>': " unless the message already names the judge.
Status NameJudge(const Status& status, const std::string& name) {
  const std::string prefix = "judge '" + name + "'";
  if (status.message().find(prefix) != std::string::npos) return status;
  return status.WithContext(prefix);
}

}  // namespace

void JudgeSet::Add(std::unique_ptr<Judge> judge) {
  borrowed_.push_back(judge.get());
  owned_.push_back(std::move(judge));
}

std::vector<std::string> JudgeSet::Identities() const {
  std::vector<std::string> out;
  for (const Judge* j : borrowed_) out.push_back(JudgeIdentity(*j));
  return out;
}

std::string JudgeIdentity(const Judge& judge) {
  std::string version = judge.version();
  if (version.starts_with(judge.name() + "@")) return version;
  return judge.name() + "@" + version;
}

Result<JudgeSet> MakeJudgeSet(const Suite& suite, const Policy& policy, Clock& clock,
                              const GetEnvFn& getenv, std::optional<int> concurrency) {
  JudgeContext cx{suite, policy, clock, getenv, concurrency};
  JudgeSet set;
  for (const JudgeConfig& config : suite.judges) {
    Result<std::unique_ptr<Judge>> judge = MakeOne(config, cx);
    if (!judge.ok()) return NameJudge(judge.status(), config.name);
    set.Add(std::move(judge).value());
  }
  return set;
}

Result<Suite> LoadJudgeSpec(const std::string& spec) {
  if (spec == "rules") {
    Suite suite;
    suite.name = "rules";
    suite.judges.push_back({"rules", JudgeType::kRules});
    return suite;
  }
  return LoadJudgeConfig(spec);
}

}  // namespace safeval
