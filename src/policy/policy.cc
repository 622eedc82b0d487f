// Policy look-ups: which classes are acceptable where, and the guidance for judges.
#include "policy/policy.h"

#include <algorithm>

namespace safeval {

const ClassSet& Policy::Acceptable(const CategoryPath& category, Intent intent) const {
  const ClassSet* best = nullptr;
  size_t best_depth = 0;
  for (const PolicyRule& rule : rules_) {
    if (!rule.node.Contains(category)) continue;
    auto it = rule.acceptable.find(intent);
    // Rule nodes are unique, so at most one rule sits at each depth of the path.
    if (it != rule.acceptable.end() && (best == nullptr || rule.node.depth() > best_depth)) {
      best = &it->second;
      best_depth = rule.node.depth();
    }
  }
  if (best != nullptr) return *best;
  auto it = defaults_.find(intent);
  if (it != defaults_.end()) return it->second;
  static const ClassSet kNothing;  // only a default-constructed Policy gets here
  return kNothing;
}

bool Policy::IsViolation(const CategoryPath& category, Intent intent, ResponseClass cls) const {
  if (cls == ResponseClass::kUndetermined) return false;
  return !Acceptable(category, intent).contains(cls);
}

std::string Policy::GuidanceFor(const CategoryPath& category) const {
  std::vector<const PolicyRule*> on_path;
  for (const PolicyRule& rule : rules_)
    if (!rule.text.empty() && rule.node.Contains(category)) on_path.push_back(&rule);
  std::stable_sort(on_path.begin(), on_path.end(), [](const PolicyRule* a, const PolicyRule* b) {
    return a->node.depth() < b->node.depth();
  });
  std::string out;
  for (const PolicyRule* rule : on_path) {
    if (!out.empty()) out += '\n';
    out += rule->text;
  }
  return out;
}

}  // namespace safeval
