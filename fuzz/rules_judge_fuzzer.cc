// The rules judge over a model's response (src/judge/rules_judge.h): normalisation and
// vectorscan matching of text any model may send. The first byte picks the intent.
// Checks: no crash; a verdict for any text; evidence spans inside the response.
#include <cstdint>

#include "core/utf8.h"
#include "fuzz/fuzz_util.h"
#include "judge/rules_judge.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static Judge* judge = [] {
    Result<std::unique_ptr<Judge>> made = MakeRulesJudge("rules", fuzz::FuzzPolicy());
    FUZZ_CHECK(made.ok());
    return made->release();
  }();
  const Intent kIntents[] = {Intent::kSafe, Intent::kHarmful, Intent::kAdversarial};
  Prompt prompt = MakePrompt("p1", "[request]", CategoryPath({"ncr"}), kIntents[data[0] % 3]);
  // Replies reach judges as valid UTF-8 (clients sanitise them); raw bytes are tried too.
  std::string response(fuzz::AsText(data + 1, size - 1));
  if (data[0] & 0x80) response = SanitizeUtf8(response);
  Result<Verdict> verdict = judge->Evaluate(prompt, response);
  FUZZ_CHECK(verdict.ok());
  for (const Evidence& e : verdict->evidence)
    FUZZ_CHECK(e.start <= e.end && e.end <= response.size());
  return 0;
}
