#include "cli/generator_target.h"

#include <yaml-cpp/yaml.h>

#include "cli/judge_inputs.h"
#include "run/client_factory.h"
#include "run/suite.h"
#include "run/target_config.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

// A file of only `schema_version: 1` and `targets:`.
Result<Suite> ParseTargetsOnly(const YAML::Node& root, const std::string& path) {
  YamlMap map(root, path, 1);
  SV_RETURN_IF_ERROR(map.CheckKeys({"schema_version", "targets"}));
  SV_ASSIGN_OR_RETURN(std::string version, map.String("schema_version", true));
  if (version != "1") {
    return map.ErrorAt("schema_version",
                       "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  int line = map.line();
  const YAML::Node* targets = map.Find("targets", &line);
  if (targets == nullptr || !targets->IsSequence() || targets->size() == 0) {
    return map.Error(line, "targets", "required; expected a non-empty list of targets");
  }
  Suite suite;
  suite.path = path;
  for (const YAML::Node& item : *targets) {
    SV_ASSIGN_OR_RETURN(TargetConfig target, ParseTarget(item, path, YamlLine(item, line)));
    suite.targets.push_back(std::move(target));
  }
  return suite;
}

// A suite (it has datasets:), a judge configuration (it has judges:) or a targets-only file.
Result<Suite> LoadTargetsFile(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(path, "generator file"));
  SV_RETURN_IF_ERROR(CheckUtf8(text, path));
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      return Status::InvalidArgument(path +
                                     ":1: expected a mapping with schema_version and targets");
    }
    if (root["datasets"]) return LoadSuite(path);
    if (root["judges"]) return LoadJudgeConfig(path);
    return ParseTargetsOnly(root, path);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Status::InvalidArgument(path + ":" + std::to_string(line) + ": invalid YAML: " + e.msg);
  }
}

}  // namespace

Result<std::unique_ptr<ModelClient>> MakeGeneratorClient(const std::string& spec, Clock& clock) {
  size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    return Status::InvalidArgument(
        "--generator: expected FILE:TARGET (a suite, judge "
        "configuration or targets file and the name of one of its "
        "targets), got '" +
        spec + "'");
  }
  std::string file = spec.substr(0, colon);
  std::string name = spec.substr(colon + 1);
  SV_ASSIGN_OR_RETURN(Suite suite, LoadTargetsFile(file));
  std::string known;
  for (const auto* list : {&suite.targets, &suite.judge_targets}) {
    for (const TargetConfig& target : *list) {
      if (target.name == name) {
        return MakeTargetClient(suite, target, std::nullopt, ProcessEnvironment(), clock);
      }
      known += (known.empty() ? "" : ", ") + target.name;
    }
  }
  return Status::InvalidArgument("--generator: '" + file + "' has no target '" + name +
                                 "' (its targets: " + (known.empty() ? "none" : known) + ")");
}

}  // namespace safeval
