// Suite YAML and judge configuration YAML (src/run/suite.h ParseSuite, ParseJudgeConfig):
// the first byte picks which. Checks: no crash, and a parsed suite has a snapshot for
// every target and names a target for every model-based judge.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "run/suite.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view yaml = fuzz::AsText(data + 1, size - 1);
  Result<Suite> suite = (data[0] & 1) ? ParseJudgeConfig(yaml, "/fuzz/judges.yaml")
                                      : ParseSuite(yaml, "/fuzz/suite.yaml");
  if (!suite.ok()) return 0;
  for (const TargetConfig& target : suite->targets) (void)SuiteSnapshotJson(*suite, target);
  for (const JudgeConfig& judge : suite->judges) {
    if (judge.type == JudgeType::kLlm || judge.type == JudgeType::kGuard) {
      FUZZ_CHECK(!judge.target.empty());
    }
  }
  return 0;
}
