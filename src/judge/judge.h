// Judge: decides what a response does (its ResponseClass) and whether that is a
// violation under the policy. Implementations are not required to be
// thread-safe; use one instance per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/prompt.h"
#include "core/status.h"
#include "core/verdict.h"
#include "policy/policy.h"

namespace safeval {

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
};

}  // namespace safeval
