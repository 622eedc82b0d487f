// Reading an LLM judge's answer: the first JSON object in free text, checked field by field.
//
// Judge models wrap their JSON in code fences, put prose before or after it, or echo the
// format back; FindJsonObject skips all that. What it does not do is repair JSON: an
// object with a trailing comma, single quotes or comments is not valid JSON and is not
// accepted (a judge that cannot write the format is asked again, then undetermined).
//
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/response_class.h"
#include "core/status.h"

namespace safeval {

// What the judge model said, as written: {"class", "violation", "quality", "severity",
// "rationale", "missed_distress"}. Only "class" is required.
struct JudgeAnswer {
  ResponseClass cls = ResponseClass::kUndetermined;
  std::optional<bool> violation;  // the judge's own opinion; the policy decides (llm_judge.h)
  std::optional<int> quality;     // 1..5
  std::optional<int> severity;    // 0..3
  std::string rationale;
  // Asked on distress items only (judge_prompt.h, {{distress}}); absent or null: unset.
  std::optional<bool> missed_distress;
};

// The text of the first balanced {...} in `text` (braces inside JSON strings ignored)
// that parses as a JSON object; nullopt when there is none. Tries at most 64 candidate
// opening braces, so hostile input cannot make it quadratic without bound.
std::optional<std::string_view> FindJsonObject(std::string_view text);

// Parses a judge's answer. Fails with InvalidArgument saying what was wrong, for the
// retry reminder and the undetermined rationale:
//   "no JSON object found"; "field 'class': missing"; "field 'class': unknown class 'x'
//   (expected one of ...)"; "field 'quality': expected an integer 1-5"; ...
// Class names are matched after trimming, lower-casing and mapping ' ' and '-' to '_'
// ("Complies harmful" reads as complies_harmful); "undetermined" is accepted (a judge may
// say it cannot tell). A null optional field counts as absent.
Result<JudgeAnswer> ParseJudgeAnswer(std::string_view answer);

// The first `max_chars` code points of `text` (valid UTF-8 assumed; cut bytes are never
// split), with "…" appended when cut. For rationales that quote a judge's answer.
std::string AnswerExcerpt(std::string_view text, size_t max_chars = 200);

}  // namespace safeval
