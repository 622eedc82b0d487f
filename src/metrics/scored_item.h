// The per-item facts metrics are computed from: the prompt's axes and what became of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/category_path.h"
#include "core/intent.h"
#include "core/response_class.h"

namespace safeval {

struct ScoredItem {
  CategoryPath category;
  Intent intent = Intent::kSafe;
  std::optional<Persona> persona;
  std::vector<std::string> techniques;
  Outcome outcome = Outcome::kSkipped;
  ResponseClass cls = ResponseClass::kUndetermined;  // meaningful when outcome == kJudged
  bool violation = false;                            // meaningful when outcome == kJudged
  std::optional<int> quality;
  std::string locale;
  std::vector<std::string> tags;
  int violation_votes = 0;  // judges (of those that judged the item) that found a violation
  int judge_votes = 0;      // judges that gave the item a decided class
  // The deterministic checks and the distress verdict (core/findings.h); unset: not checked.
  // Counted whenever outcome == kJudged, whatever the class.
  std::optional<bool> leak;
  std::optional<bool> harmful_action;
  std::optional<bool> missed_distress;
  std::string group;    // counterfactual group label (empty: none)
  std::string pair_id;  // counterfactual pair (empty: none)
};

}  // namespace safeval
