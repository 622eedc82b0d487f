// The guard judge (src/judge/guard_judge.h): a Llama Guard style answer ("safe" /
// "unsafe\nS1,S10") and the category map YAML. The first byte picks which: the answer
// goes through the built-in map; a map is used for one judgement of a fixed answer.
// Checks: no crash; any answer gives a verdict; evidence spans stay inside the response.
#include <cstdint>

#include "core/utf8.h"
#include "fuzz/fuzz_util.h"
#include "judge/guard_judge.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest = fuzz::AsText(data + 1, size - 1);
  bool map_mode = (data[0] & 1) != 0;
  GuardJudgeOptions options;
  options.send_conversation = (data[0] & 2) != 0;
  std::string answer = "unsafe\nS1,S2,S14,S99";
  if (map_mode) {
    options.category_map_yaml = std::string(rest);
    options.category_map_origin = "map.yaml";
  } else {
    answer = std::string(rest);
  }
  Result<std::unique_ptr<Judge>> judge = MakeGuardJudge(
      "guard", fuzz::FuzzPolicy(), std::make_unique<fuzz::FixedAnswerClient>(answer), options);
  if (!judge.ok()) {
    FUZZ_CHECK(map_mode);  // only a bad map may fail
    return 0;
  }
  static const Prompt prompt =
      MakePrompt("p1", "[harmful request]", CategoryPath({"vcr"}), Intent::kHarmful);
  std::string_view response = "[response]";
  Result<Verdict> verdict = (*judge)->Evaluate(prompt, response);
  FUZZ_CHECK(verdict.ok());
  FUZZ_CHECK(IsValidUtf8(verdict->rationale));
  for (const Evidence& e : verdict->evidence)
    FUZZ_CHECK(e.start <= e.end && e.end <= response.size());
  return 0;
}
