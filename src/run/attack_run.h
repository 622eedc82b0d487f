// The suite's `attack:` over a stored run: after the campaign, the attacker target rewrites
// each harmful seed prompt of the run, round after round (run/attack.h), against the model
// under test. Each attack is saved atomically in the store: its whole tree, and one new
// adversarial item (technique "pair", parent_id = the seed) holding its last prompt, the
// model's answer and every judge's verdict — so a success counts towards the attack success
// rate by technique `pair` in every report. A resumed run skips seeds already attacked.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "judge/judge.h"
#include "model/model_client.h"
#include "run/attack_config.h"
#include "store/store.h"

namespace safeval {

struct AttackRunSummary {
  int attacked = 0;    // seeds attacked in this session
  int succeeded = 0;   // of them, how many made the model violate the policy
  int skipped = 0;     // seeds attacked by an earlier session
};

// Attacks the first `config.seeds` (0: all) harmful items of run `run_id` that are not
// themselves derived prompts. `judges.front()` decides each round; all judges judge the
// saved item. Stops early (Ok) when `cancel` is set. `on_attack` is told about each one.
Result<AttackRunSummary> RunAttacks(const std::string& run_id, const AttackConfig& config,
                                    ModelClient& attacker, ModelClient& target,
                                    const std::vector<Judge*>& judges, Store& store,
                                    const std::atomic<bool>* cancel,
                                    const std::function<void(const std::string&)>& on_attack);

}  // namespace safeval
