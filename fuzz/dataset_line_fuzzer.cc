// Dataset JSONL lines (src/dataset/dataset.h ParsePromptLine) — anything a dataset file
// may hold. Checks: no crash, false exactly when a problem is reported, and a line that
// parses has a canonical form (PromptToJsonLine) that parses again to the same form.
#include <cstdint>
#include <vector>

#include "dataset/dataset.h"
#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line = fuzz::AsText(data, size);
  Prompt prompt;
  std::vector<DatasetProblem> problems;
  bool ok = ParsePromptLine(line, "fuzz.jsonl", 1, fuzz::FuzzTaxonomy(), &prompt, &problems);
  FUZZ_CHECK(ok == problems.empty());
  for (const DatasetProblem& problem : problems) (void)problem.ToString();
  if (!ok) return 0;

  std::string canonical = PromptToJsonLine(prompt);
  Prompt again;
  std::vector<DatasetProblem> again_problems;
  FUZZ_CHECK(ParsePromptLine(canonical, "canonical.jsonl", 1, fuzz::FuzzTaxonomy(), &again,
                             &again_problems));
  FUZZ_CHECK(PromptToJsonLine(again) == canonical);
  return 0;
}
