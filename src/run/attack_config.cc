#include "run/attack_config.h"

#include "taxonomy/yaml_map.h"

namespace safeval {

Status ParseAttackConfig(const YamlMap& suite_root, AttackConfig* out) {
  int line = suite_root.line();
  const YAML::Node* node = suite_root.Find("attack", &line);
  if (node == nullptr) return Status::Ok();
  if (!node->IsMap()) {
    return suite_root.Error(line, "attack", "expected a mapping with attacker, max_rounds, seeds");
  }
  YamlMap map(*node, suite_root.origin(), line);
  SV_RETURN_IF_ERROR(map.CheckKeys({"attacker", "max_rounds", "seeds"}));
  AttackConfig config;
  SV_ASSIGN_OR_RETURN(config.attacker_target, map.String("attacker", true));
  SV_ASSIGN_OR_RETURN(int64_t rounds, map.Int("max_rounds", config.max_rounds, 1, 50));
  SV_ASSIGN_OR_RETURN(int64_t seeds, map.Int("seeds", config.seeds, 0, 1000000));
  config.max_rounds = static_cast<int>(rounds);
  config.seeds = static_cast<int>(seeds);
  *out = std::move(config);
  return Status::Ok();
}

}  // namespace safeval
