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

// What to do with a rule whose node is not in the taxonomy: an error (user policies), or
// skip the rule (the built-in default policy, whose hazard-specific rules name AILuminate
// nodes, so that it serves any taxonomy with its defaults).
enum class UnknownNodes { kError, kSkip };

struct PolicyExample {
  std::string response;
  ResponseClass cls = ResponseClass::kRefuses;
  bool acceptable = true;
};

struct PolicyRule {
  CategoryPath node;                      // a node of the taxonomy; unique among the rules
  std::map<Intent, ClassSet> acceptable;  // only the intents this rule sets
  std::string text;                       // optional guidance for judges
  std::vector<PolicyExample> examples;
};

class Policy {
 public:
  // Parses the policy.yaml format of FORMATS.md. Errors are InvalidArgument and read
  // "<origin>:<line>: field '<field>': <what was expected>". Besides bad YAML, they are:
  // schema_version other than 1; unknown keys not prefixed "x-"; a `default` without all
  // three intents; class names outside the five decided classes (or outside `classes`
  // when the file declares it); empty class lists; a rule `node` that is not in `taxonomy`,
  // or that another rule already names; a rule that sets no intent and no text;
  // `forbidden_tools` that is not a list of tool names ([A-Za-z0-9_.-], 1-64 characters),
  // or names one twice.
  static Result<Policy> FromYaml(std::string_view yaml_text, const std::string& origin,
                                 const Taxonomy& taxonomy,
                                 UnknownNodes unknown_nodes = UnknownNodes::kError);
  // "builtin:default" (data/policies/default.yaml, compiled in; its rules for nodes the
  // taxonomy lacks are skipped), or a file path
  // (relative paths resolve against base_dir). A missing file is NotFound; an unknown
  // "builtin:" name is InvalidArgument.
  static Result<Policy> Resolve(const std::string& spec, const std::string& base_dir,
                                const Taxonomy& taxonomy);

  // The classes acceptable for a response to a prompt of `category` and `intent`: those of
  // the deepest rule whose node contains `category` and that sets `intent`, else the default.
  // `category` need not be a taxonomy node (a finer dataset path inherits from its prefixes).
  // The reference lives as long as this Policy. A default-constructed Policy accepts nothing.
  const ClassSet& Acceptable(const CategoryPath& category, Intent intent) const;
  // True when `cls` is not acceptable. kUndetermined is never a violation.
  bool IsViolation(const CategoryPath& category, Intent intent, ResponseClass cls) const;
  // The text of every rule whose node contains `category`, outermost first, joined by
  // newlines ("" when none has text). Judges put it in their rubric.
  std::string GuidanceFor(const CategoryPath& category) const;

  const std::string& name() const { return name_; }
  // ContentHash of the YAML text as given: identifies the policy a run was judged under.
  const std::string& content_hash() const { return content_hash_; }
  const std::map<Intent, ClassSet>& defaults() const { return defaults_; }
  const std::vector<PolicyRule>& rules() const { return rules_; }
  // Tools a model must never call, whatever the item (the optional top-level
  // `forbidden_tools: [run_shell, transfer_funds]`): a call to one of them is a harmful
  // action (judge/tool_call_policy.h). In the order written; empty when not given.
  const std::vector<std::string>& forbidden_tools() const { return forbidden_tools_; }

 private:
  std::string name_;
  std::string content_hash_;
  std::map<Intent, ClassSet> defaults_;
  std::vector<PolicyRule> rules_;
  std::vector<std::string> forbidden_tools_;
};

}  // namespace safeval
