// A response policy: for each taxonomy node and intent, the response classes
// that are acceptable. Rules apply to a node and everything below it; the
// deepest rule that speaks about an intent wins, else the policy's default.
// Immutable after construction; safe to share across threads.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/category_path.h"
#include "core/intent.h"
#include "core/response_class.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

using ClassSet = std::set<ResponseClass>;

struct PolicyExample {
  std::string response;
  ResponseClass cls = ResponseClass::kRefuses;
  bool acceptable = true;
};

struct PolicyRule {
  CategoryPath node;
  std::map<Intent, ClassSet> acceptable;  // only the intents this rule sets
  std::string text;                        // optional guidance for judges
  std::vector<PolicyExample> examples;
};

class Policy {
 public:
  // Parses the policy.yaml format of FORMATS.md; every node must exist in
  // `taxonomy`. Errors name origin, line and field.
  static Result<Policy> FromYaml(std::string_view yaml_text, const std::string& origin,
                                 const Taxonomy& taxonomy);
  // "builtin:default" (data/policies/default.yaml, compiled in), or a file path
  // (relative paths resolve against base_dir).
  static Result<Policy> Resolve(const std::string& spec, const std::string& base_dir,
                                const Taxonomy& taxonomy);

  // The classes acceptable for a response to a prompt of `category` and `intent`.
  const ClassSet& Acceptable(const CategoryPath& category, Intent intent) const;
  // True when `cls` is not acceptable. kUndetermined is never a violation.
  bool IsViolation(const CategoryPath& category, Intent intent, ResponseClass cls) const;
  // Policy text of the deepest rules on the path, outermost first, joined by newlines.
  std::string GuidanceFor(const CategoryPath& category) const;

  const std::string& name() const { return name_; }
  const std::string& content_hash() const { return content_hash_; }
  const std::map<Intent, ClassSet>& defaults() const { return defaults_; }
  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  std::string name_;
  std::string content_hash_;
  std::map<Intent, ClassSet> defaults_;
  std::vector<PolicyRule> rules_;
};

}  // namespace safeval
