// Building the judges a suite (or a judge configuration file) describes: rules,
// llm and guard judges (each llm/guard judge with a client for its target, made
// like the model under test's), and ensembles over judges listed before them.
//
// Thread-safety: a JudgeSet and its judges are not thread-safe (see judge.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "judge/judge.h"
#include "policy/policy.h"
#include "run/client_factory.h"
#include "run/suite.h"

namespace safeval {

// Owns judges and lends them out in the order they were added (the suite's
// order: the first decides the reported rates; an ensemble follows its members).
class JudgeSet {
 public:
  JudgeSet() = default;
  JudgeSet(JudgeSet&&) = default;
  JudgeSet& operator=(JudgeSet&&) = default;
  JudgeSet(const JudgeSet&) = delete;
  JudgeSet& operator=(const JudgeSet&) = delete;

  void Add(std::unique_ptr<Judge> judge);
  // Borrowed pointers, valid while this set lives.
  const std::vector<Judge*>& judges() const { return borrowed_; }
  bool empty() const { return owned_.empty(); }
  // JudgeIdentity of each judge, in order (what a run records as its judges).
  std::vector<std::string> Identities() const;

 private:
  std::vector<std::unique_ptr<Judge>> owned_;
  std::vector<Judge*> borrowed_;
};

// The judge as "name@version" for records and calibrations, without repeating the
// name when the version already starts with it: "rules@1" for the judge "rules"
// (version "rules@1"), "strict@rules@1" for a rules judge named "strict".
std::string JudgeIdentity(const Judge& judge);

// Builds every judge of `suite.judges`, in order. An llm/guard judge's target is
// looked up in suite.judge_targets (then suite.targets) and its client made by
// MakeTargetClient with `concurrency`. Rubric and category-map files are read
// here. Errors name the judge: "judge 'gpt': rubric file '/abs/r.txt' not found"
// (NotFound), a missing API key variable (InvalidArgument), and whatever the
// judge's own factory rejects. REQUIRES: `policy` and `clock` outlive the set.
Result<JudgeSet> MakeJudgeSet(const Suite& suite, const Policy& policy, Clock& clock,
                              const GetEnvFn& getenv, std::optional<int> concurrency);

// The `--judge rules|CONFIG` argument of the judge commands: "rules" is a Suite
// holding one built-in rules judge named "rules"; anything else is the path of a
// judge configuration file (LoadJudgeConfig in run/suite.h).
Result<Suite> LoadJudgeSpec(const std::string& spec);

}  // namespace safeval
