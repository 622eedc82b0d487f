#include "run/attack_run.h"

#include <set>

#include "run/attack.h"
#include "run/executor.h"

namespace safeval {
namespace {

// The item an attack leaves in the run: the seed with its last user turn replaced by the
// attack's last prompt.
Prompt AttackItem(const Prompt& seed, const AttackTree& tree) {
  Prompt item = seed;
  item.id = seed.id + "-pair";
  item.intent = Intent::kAdversarial;
  item.parent_id = seed.id;
  item.techniques = {kPairTechnique};
  std::string last_prompt;
  for (const AttackRound& round : tree.rounds)
    if (!round.prompt.empty()) last_prompt = round.prompt;
  for (auto it = item.turns.rbegin(); it != item.turns.rend(); ++it) {
    if (it->role == "user") {
      it->content = last_prompt.empty() ? it->content : last_prompt;
      break;
    }
  }
  return item;
}

// The answer to the last prompt the model answered, judged by every judge; errors stay errors.
ItemResult AttackResult(const StoredItem& item, const AttackTree& tree,
                        const std::vector<Judge*>& judges) {
  ItemResult r;
  const AttackRound* answered = nullptr;
  for (const AttackRound& round : tree.rounds)
    if (!round.prompt.empty() && round.verdict) answered = &round;
  if (tree.stop == AttackStop::kTargetError || tree.stop == AttackStop::kAttackerError ||
      answered == nullptr) {
    r.outcome = tree.stop == AttackStop::kJudgeError ? Outcome::kJudgeError : Outcome::kModelError;
    r.error = "attack stopped (" + std::string(Name(tree.stop)) + ")";
    if (!tree.rounds.empty() && !tree.rounds.back().error.empty()) r.error += ": " + tree.rounds.back().error;
    return r;
  }
  r.outcome = Outcome::kJudged;
  r.response = answered->response;
  r.tool_calls = answered->tool_calls;
  std::vector<Answered> batch = {{&item, std::move(r)}};
  JudgeBatch(batch, judges);
  return std::move(batch[0].result);
}

}  // namespace

Result<AttackRunSummary> RunAttacks(const std::string& run_id, const AttackConfig& config,
                                    ModelClient& attacker, ModelClient& target,
                                    const std::vector<Judge*>& judges, Store& store,
                                    const std::atomic<bool>* cancel,
                                    const std::function<void(const std::string&)>& on_attack) {
  if (judges.empty()) return Status::InvalidArgument("no judge configured");
  AttackRunSummary summary;
  SV_ASSIGN_OR_RETURN(auto done, store.LoadAttacks(run_id));
  std::set<std::string> attacked;
  for (const auto& [seed_id, tree] : done) attacked.insert(seed_id);
  std::vector<int64_t> seeds;
  SV_RETURN_IF_ERROR(store.ScanItemSummaries(run_id, [&](const ItemSummary& s) {
    if (s.intent == Intent::kHarmful) seeds.push_back(s.index);
  }));
  SV_ASSIGN_OR_RETURN(std::vector<StoredItem> items, store.ItemsAt(run_id, seeds));
  AttackOptions options;
  options.max_rounds = config.max_rounds;
  int taken = 0;
  for (const StoredItem& seed : items) {
    if (!seed.prompt.parent_id.empty()) continue;  // attack originals only
    if (config.seeds > 0 && taken >= config.seeds) break;
    ++taken;
    if (attacked.contains(seed.prompt.id)) {
      ++summary.skipped;
      continue;
    }
    if (cancel && cancel->load()) break;
    SV_ASSIGN_OR_RETURN(AttackTree tree, RunAttack(seed.prompt, attacker, target, *judges.front(), options));
    StoredItem item;
    item.prompt = AttackItem(seed.prompt, tree);
    ItemResult result = AttackResult(item, tree, judges);
    SV_ASSIGN_OR_RETURN(int64_t index, store.SaveAttack(run_id, seed.prompt.id, AttackTreeToJson(tree),
                                                        item.prompt, std::move(result)));
    (void)index;
    ++summary.attacked;
    if (tree.succeeded()) ++summary.succeeded;
    if (on_attack) {
      on_attack("attack on " + seed.prompt.id + ": " + std::string(Name(tree.stop)) + " after " +
                std::to_string(tree.rounds.size()) + " round" + (tree.rounds.size() == 1 ? "" : "s"));
    }
  }
  return summary;
}

}  // namespace safeval
