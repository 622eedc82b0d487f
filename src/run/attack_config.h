// The optional `attack:` mapping of a suite: attacker-in-the-loop attacks (run/attack.h) on
// the suite's harmful seed prompts.
//
//   attack:
//     attacker: attacker-model   # required: the name of a target that rewrites the prompts
//     max_rounds: 5              # rounds per seed prompt, 1..50 (default 5)
//     seeds: 20                  # how many harmful prompts to attack; 0 (default): all
//
#pragma once

#include <string>

#include "core/status.h"

namespace safeval {

class YamlMap;

struct AttackConfig {
  std::string attacker_target;  // "" when the suite has no attack: mapping
  int max_rounds = 5;
  int seeds = 0;  // 0: all harmful seeds
};

// Reads `attack:` from the suite's top-level mapping into *out; leaves *out as it is when the
// key is absent (or null). Errors are InvalidArgument "<file>:<line>: field '<field>': <what>":
// a value that is not a mapping, unknown keys (x- allowed), a missing or empty attacker,
// numbers out of range. Whether the attacker names a target of the suite is the suite
// parser's check (it knows the targets). REQUIRES: out is not null.
Status ParseAttackConfig(const YamlMap& suite_root, AttackConfig* out);

}  // namespace safeval
