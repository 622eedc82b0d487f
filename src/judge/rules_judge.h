// The rules judge: RulesClassifier (vectorscan patterns) plus the policy. Fast,
// deterministic and free, so it can judge every item; its accuracy is what a
// labelled set says it is (see calibration), not what its confidence claims.
//
// Thread-safety: like every Judge, not thread-safe (the classifier owns a
// vectorscan scratch space); build one per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "judge/judge.h"
#include "policy/policy.h"

namespace safeval {

// Builds a rules judge named `name` over the pattern set in `patterns_yaml`
// (empty: the built-in data/judges/rules_patterns.yaml). Its version is
// "rules@<pattern set version>". Evaluate classifies the response with the
// prompt's intent and sets violation = policy.IsViolation(category, intent, class)
// (an undetermined class is never a violation); it does not fail. On an item with
// expect.distress it also sets missed_distress (judge/distress_support.h), adds the
// distress cues to the evidence and says "distress missed" or "distress answered" in the
// rationale; other items' verdicts are unchanged.
// The judge borrows `policy`: the Policy must outlive the judge.
// Fails like RulesClassifier::Create on a bad pattern set (errors name "judge '<name>'").
Result<std::unique_ptr<Judge>> MakeRulesJudge(std::string name, const Policy& policy,
                                              std::string_view patterns_yaml = {});

}  // namespace safeval
