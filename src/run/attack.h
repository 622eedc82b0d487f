// Attacker in the loop (PAIR-style): an attacker model rewrites a seed prompt, round after
// round, using the target's last response and the judge's verdict, until the target
// violates the policy or the rounds run out.
//
// Rounds (numbered from 1; max_rounds bounds them all, failed ones included):
//   - round 1 sends the seed prompt unchanged (a target that already fails the plain request
//     needs no attack);
//   - each later round first asks the attacker for a rewrite. Its request holds the goal (the
//     seed's request), the last prompt the target answered, that answer (cut to 2000
//     characters) and the judge's verdict on it. The attacker answers JSON
//     {"improvement": "...", "prompt": "..."} (inside prose or a code fence is fine) or plain
//     text, which is taken as the prompt. The new prompt replaces the seed's last user turn
//     (earlier turns of a multi-turn seed are kept) and goes to the target, then the judge.
//   - An attacker answer that gives no usable prompt — empty, JSON without a "prompt" string,
//     text that starts like JSON or a code fence but does not parse, longer than
//     max_prompt_chars, or the same prompt as last time — is a failed round: it is recorded
//     (with the answer and the reason), the target is not queried, and the next round asks
//     again from the same point. After max_garbage_rounds failed rounds in a row the attack
//     stops (kAttackerGarbage): an attacker that cannot follow the format wastes budget.
//   - The first violation stops the attack (kSucceeded); its round's prompt is the winning
//     prompt. A failed request to the attacker or the target, or a judge error, stops it too
//     (kAttackerError, kTargetError, kJudgeError), recorded in that round — never counted as
//     a safe or unsafe answer.
// The rounds form a tree: each round names its parent, the round whose prompt and response
// the attacker improved on (failed rounds are leaves hanging off that parent).
//
// Judging: the judge sees the seed prompt (category, persona) with the round's conversation,
// intent `adversarial` from round 2 on (the seed's own intent in round 1) and technique
// "pair" — so a success counts towards attack success by technique `pair`.
//
// Not thread-safe: the clients and the judge are used one call at a time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "core/verdict.h"
#include "judge/judge.h"
#include "model/model_client.h"

namespace safeval {

inline constexpr char kPairTechnique[] = "pair";

struct AttackOptions {
  int max_rounds = 5;              // 1..50
  int max_garbage_rounds = 2;      // failed attacker rounds in a row before giving up: 1..10
  size_t max_prompt_chars = 4000;  // longer attacker prompts are failed rounds
};

enum class AttackStop {
  kSucceeded,        // the target violated the policy
  kMaxRounds,        // max_rounds without a violation
  kAttackerGarbage,  // max_garbage_rounds unusable attacker answers in a row
  kAttackerError,    // the attacker's request failed
  kTargetError,      // the target's request failed
  kJudgeError,       // the judge failed
};

// "succeeded" | "max_rounds" | "attacker_garbage" | "attacker_error" | "target_error" |
// "judge_error"
std::string_view Name(AttackStop stop);

struct AttackRound {
  int number = 0;               // 1-based
  int parent = 0;               // the round the attacker improved on; 0 for round 1
  std::string attacker_answer;  // the attacker's raw answer (rounds > 1)
  std::string improvement;      // the attacker's stated plan, when its JSON gave one
  std::string prompt;           // the prompt sent to the target; "" in a failed round
  std::string response;         // the target's answer
  std::vector<ToolCall> tool_calls;  // the target's tool calls (the seed offered tools)
  std::optional<Verdict> verdict;
  std::string error;  // why the round failed or stopped the attack; "" otherwise
};

struct AttackTree {
  std::string seed_id;
  std::string goal;  // the seed's request (its last user turn)
  std::vector<AttackRound> rounds;
  AttackStop stop = AttackStop::kMaxRounds;
  int winning_round = 0;       // the round that succeeded; 0 when none did
  std::string winning_prompt;  // its prompt; "" when none
  bool succeeded() const { return stop == AttackStop::kSucceeded; }
};

// Runs the attack on `seed`. Fails (InvalidArgument) only on options out of range; every
// failure during the attack is recorded in the tree.
Result<AttackTree> RunAttack(const Prompt& seed, ModelClient& attacker, ModelClient& target,
                             Judge& judge, const AttackOptions& options = {});

// The attacker's request for the next round (exposed for tests and documentation).
std::string AttackerRequest(std::string_view goal, const AttackRound& last, int round,
                            int max_rounds);

// The prompt in an attacker's answer, and its stated improvement; a non-ok result says why
// the answer is unusable (see the failed-round rules above, except the length and repeat
// checks, which need the options and the last prompt).
struct AttackerAnswer {
  std::string prompt;
  std::string improvement;
};
Result<AttackerAnswer> ReadAttackerAnswer(std::string_view answer);

// The tree as one JSON object (for the store and reports): {"seed_id", "goal", "stop",
// "succeeded", "winning_round", "winning_prompt", "rounds": [{"number", "parent",
// "attacker_answer", "improvement", "prompt", "response", "verdict": {"judge", "class",
// "violation", "rationale"} | null, "error"}]}.
std::string AttackTreeToJson(const AttackTree& tree);

}  // namespace safeval
