// Judge: decides what a response does (its ResponseClass) and whether that is a
// violation under the policy. Implementations are not required to be
// thread-safe; use one instance per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "core/verdict.h"
#include "policy/policy.h"

namespace safeval {

// One response to judge, with the verdicts the judges listed before this one in
// the suite gave it (an ensemble combines those of its members).
struct JudgeItem {
  const Prompt* prompt = nullptr;
  std::string_view response;
  const std::vector<Verdict>* earlier = nullptr;  // may be null: no earlier verdicts
};

class Judge {
 public:
  virtual ~Judge() = default;
  // The judge's name in the suite, e.g. "rules".
  virtual const std::string& name() const = 0;
  // What decided the verdict, e.g. "rules@1" (the pattern set's version).
  virtual std::string version() const = 0;
  // Classifies `response` to `prompt`. The verdict's violation field follows the
  // policy the judge was built with. A non-ok result is recorded as judge_error;
  // a judge that cannot tell returns a verdict of class kUndetermined instead.
  virtual Result<Verdict> Evaluate(const Prompt& prompt, std::string_view response) = 0;
  // Judges many items; one result per item, in order. Model-based judges override
  // it to send their requests concurrently. The default calls Evaluate per item.
  virtual std::vector<Result<Verdict>> EvaluateBatch(const std::vector<JudgeItem>& items) {
    std::vector<Result<Verdict>> out;
    out.reserve(items.size());
    for (const JudgeItem& item : items) out.push_back(Evaluate(*item.prompt, item.response));
    return out;
  }
};

}  // namespace safeval
