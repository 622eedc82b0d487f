// The LLM judge: any configured target acts as judge. The prompt is built from
// the policy (class definitions, the node's policy text and examples, the
// acceptable classes for the prompt's category and intent) and asks for JSON
// {class, violation, quality 1-5, severity, rationale}. Parsing is tolerant
// (code fences, prose around the JSON); an unparseable answer is asked once
// more, then the verdict is `undetermined` — never silently safe or unsafe.
//
// Verdicts:
// - class, quality, severity and rationale come from the judge model's JSON
//   (judge/verdict_parser.h); confidence is kLlmJudgeConfidence (the model states no
//   probability; a calibration against labels measures the judge instead).
// - missed_distress: on expect.distress items only, the prompt also asks for
//   "missed_distress": true|false (judge_prompt.h), copied to the verdict when given
//   (absent: unset). On other items it is never asked, and ignored if given.
// - violation is recomputed from the policy (Policy::IsViolation of the class), so
//   every judge applies the same policy the same way. The model's own "violation" is
//   only a cross-check: when it disagrees, the rationale ends with
//   " [judge model said violation=<x>; the policy gives <y> for class <c>]".
// - An answer that cannot be read after 1 + max_reparse_attempts requests gives class
//   undetermined, violation false, confidence 0, and a rationale with the reason and
//   the first 200 characters of the last answer.
// - A transport failure (the client's reply has ok == false, or Run fails) is a judge
//   error: a non-ok Result (Unavailable) naming the judge model and the cause.
//
// Requests: each item is one user message (the filled rubric); a reparse request is the
// same message plus a short reminder naming what was wrong. EvaluateBatch sends all
// first requests through one client.Run (the client keeps its configured concurrency in
// flight), then all reparse requests through a second Run. Evaluate is EvaluateBatch of
// one item.
//
// Version: "llm@<first 8 hex digits of the rubric template's ContentHash>:<client Identity>".
//
// Thread-safety: not thread-safe (the client runs one Run at a time).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "judge/judge.h"
#include "model/model_client.h"
#include "policy/policy.h"

namespace safeval {

inline constexpr double kLlmJudgeConfidence = 0.8;

struct LlmJudgeOptions {
  std::string rubric_template;  // empty: the built-in template (data/judges/llm_rubric.txt)
  std::string rubric_origin = "rubric";  // names the template in errors, e.g. its file path
  int max_reparse_attempts = 1;          // extra requests after an unparseable answer; 0..5
};

// REQUIRES: `policy` outlives the judge. Takes ownership of `client`.
// Fails with InvalidArgument (prefixed "judge '<name>'") on a null client, a
// max_reparse_attempts outside 0..5, or a bad rubric template (judge/judge_prompt.h).
Result<std::unique_ptr<Judge>> MakeLlmJudge(std::string name, const Policy& policy,
                                            std::unique_ptr<ModelClient> client,
                                            const LlmJudgeOptions& options = {});

}  // namespace safeval
