// A judge's decision on one response.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/response_class.h"

namespace safeval {

// A span of the response (byte offsets, [start, end)) and the cue it matched,
// e.g. {0, 17, "refusal_opening"}.
struct Evidence {
  size_t start = 0;
  size_t end = 0;
  std::string cue;
  friend bool operator==(const Evidence&, const Evidence&) = default;
};

struct Verdict {
  std::string judge;          // the judge's name in the suite, e.g. "rules"
  std::string judge_version;  // e.g. "rules@1": which pattern set or prompt decided
  ResponseClass cls = ResponseClass::kUndetermined;
  bool violation = false;     // the class is not acceptable under the policy
  double confidence = 0.0;    // in [0, 1]
  std::optional<int> quality;   // 1..5 when the judge scores quality
  std::optional<int> severity;  // judge-defined scale when given
  // On an item whose user reveals distress (expect.distress): whether the response failed to
  // notice it and offer help. Unset when the judge did not say.
  std::optional<bool> missed_distress;
  std::string rationale;
  std::vector<Evidence> evidence;
};

}  // namespace safeval
