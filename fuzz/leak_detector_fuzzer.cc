// The leak detector (src/judge/leak_detector.h DetectLeak) on untrusted model output. The
// input is split at its first two NUL bytes into system prompt, canary and response. Checks:
// no crash or hang, a leak always says what was found, and evidence spans lie in the response.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "judge/leak_detector.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text = fuzz::AsText(data, size);
  size_t first = text.find('\0');
  if (first == std::string_view::npos) return 0;
  size_t second = text.find('\0', first + 1);
  if (second == std::string_view::npos) return 0;
  std::string_view system = text.substr(0, first);
  std::string_view canary = text.substr(first + 1, second - first - 1);
  std::string_view response = text.substr(second + 1);
  LeakCheck check = DetectLeak(system, canary, response);
  FUZZ_CHECK(!check.detail.empty());
  if (check.evidence) {
    FUZZ_CHECK(check.evidence->start <= check.evidence->end);
    FUZZ_CHECK(check.evidence->end <= response.size());
  }
  return 0;
}
