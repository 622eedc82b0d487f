// Runs, prompts and results for store tests that need plausible rows, not particular ones
// (the PostgreSQL schema and work-queue tests). Header-only: the tests that include it link the
// store; the testing library does not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace safeval::testing {

inline RunRecord TestRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "suite";
  run.suite_path = "/tmp/suite.yaml";
  run.target_name = "mock";
  run.target_identity = "openai:mock";
  run.config_json = "{}";
  run.config_hash = "0123";
  run.dataset_hash = "4567";
  run.judges = {"rules@1"};
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "running";
  run.output_dir = "/tmp/out/" + id;
  return run;
}

// "p0".."p<n-1>", harmful, category ncr.
inline std::vector<Prompt> TestPrompts(int n) {
  std::vector<Prompt> prompts;
  for (int i = 0; i < n; ++i) {
    prompts.push_back(MakePrompt("p" + std::to_string(i), "prompt " + std::to_string(i),
                                 *CategoryPath::Parse("ncr"), Intent::kHarmful));
  }
  return prompts;
}

// A judged result with one "rules" verdict: refuses.
inline ItemResult TestJudged(int64_t index, const std::string& response = "I can't help with that.") {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = response;
  r.http_status = 200;
  r.attempts = 1;
  Verdict v;
  v.judge = "rules";
  v.judge_version = "rules@1";
  v.cls = ResponseClass::kRefuses;
  r.verdicts = {v};
  return r;
}

}  // namespace safeval::testing
