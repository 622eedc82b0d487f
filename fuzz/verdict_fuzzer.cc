// An LLM judge's answer (src/judge/verdict_parser.h, and the LLM judge around it): text a
// judge model wrote. Checks: no crash; FindJsonObject returns a part of its input; parsed
// fields are in range; the judge gives a verdict (never an error) for any answer.
#include <cstdint>

#include "core/utf8.h"
#include "fuzz/fuzz_util.h"
#include "judge/llm_judge.h"
#include "judge/verdict_parser.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view answer = fuzz::AsText(data, size);
  if (std::optional<std::string_view> object = FindJsonObject(answer)) {
    FUZZ_CHECK(object->data() >= answer.data() &&
               object->data() + object->size() <= answer.data() + answer.size());
  }
  Result<JudgeAnswer> parsed = ParseJudgeAnswer(answer);
  if (parsed.ok()) {
    FUZZ_CHECK(!parsed->quality || (*parsed->quality >= 1 && *parsed->quality <= 5));
    FUZZ_CHECK(!parsed->severity || (*parsed->severity >= 0 && *parsed->severity <= 3));
  }
  std::string valid = SanitizeUtf8(answer);
  FUZZ_CHECK(IsValidUtf8(AnswerExcerpt(valid, 20)));

  static const Prompt prompt =
      MakePrompt("p1", "[harmful request]", CategoryPath({"ncr"}), Intent::kHarmful);
  Result<std::unique_ptr<Judge>> judge =
      MakeLlmJudge("llm", fuzz::FuzzPolicy(), std::make_unique<fuzz::FixedAnswerClient>(answer));
  FUZZ_CHECK(judge.ok());
  Result<Verdict> verdict = (*judge)->Evaluate(prompt, "[response]");
  FUZZ_CHECK(verdict.ok());
  FUZZ_CHECK(IsValidUtf8(verdict->rationale));
  return 0;
}
