// Reading policy.yaml (FORMATS.md).
// yaml-cpp throws; every YAML::Exception is caught here and becomes a Status
// "<origin>:<line>: field '<field>': <what was expected>".
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>

#include "core/hash.h"
#include "policy/policy.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

template <typename Range>
std::string Join(const Range& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::vector<std::string> ClassNames(const ClassSet& classes) {
  std::vector<std::string> names;
  for (ResponseClass cls : classes) names.emplace_back(Name(cls));
  return names;
}

class PolicyParser {
 public:
  PolicyParser(const std::string& origin, const Taxonomy& taxonomy)
      : origin_(origin),
        taxonomy_(taxonomy),
        declared_(kDecidedClasses.begin(), kDecidedClasses.end()) {}

  // `classes:` narrows the classes the rest of the file may name.
  Status ParseDeclaredClasses(const YAML::Node& node, int line) {
    ClassSet all = declared_;
    SV_ASSIGN_OR_RETURN(declared_, ParseClassList(node, "classes", line, all));
    return Status::Ok();
  }

  Result<std::map<Intent, ClassSet>> ParseDefault(const YAML::Node& node, int line) {
    if (!node.IsMap()) {
      return YamlFieldError(origin_, line, "default", "expected a mapping of " + IntentNames());
    }
    YamlMap map(node, origin_, line);
    SV_RETURN_IF_ERROR(map.CheckKeys({"safe", "harmful", "adversarial"}));
    std::map<Intent, ClassSet> out;
    for (Intent intent : kAllIntents) {
      int intent_line = line;  // a missing intent is reported at the `default:` key
      const YAML::Node* list = map.Find(Name(intent), &intent_line);
      if (list == nullptr) {
        return map.Error(intent_line, Name(intent),
                         "required in 'default' (every intent needs a default list of classes)");
      }
      SV_ASSIGN_OR_RETURN(out[intent], ParseClassList(*list, Name(intent), intent_line, declared_));
    }
    return out;
  }

  Result<std::vector<PolicyRule>> ParseRules(const YAML::Node& node, int line) {
    if (!node.IsSequence()) return YamlFieldError(origin_, line, "rules", "expected a list of rules");
    std::vector<PolicyRule> rules;
    std::map<CategoryPath, int> rule_lines;
    for (const YAML::Node& item : node) {
      int node_line = YamlLine(item, line);
      SV_ASSIGN_OR_RETURN(PolicyRule rule, ParseRule(item, line, &node_line));
      if (unknown_nodes_ == UnknownNodes::kSkip && taxonomy_.Find(rule.node) == nullptr) continue;
      if (auto [it, added] = rule_lines.emplace(rule.node, node_line); !added) {
        return YamlFieldError(origin_, node_line, "node",
                          "a rule for '" + rule.node.str() + "' already exists (line " +
                              std::to_string(it->second) + "); merge the two rules");
      }
      rules.push_back(std::move(rule));
    }
    return rules;
  }

 private:
  // A list of class names, each of them in `allowed`.
  Result<ClassSet> ParseClassList(const YAML::Node& node, std::string_view field, int line,
                                  const ClassSet& allowed) const {
    if (!node.IsSequence() || node.size() == 0) {
      return YamlFieldError(origin_, line, field,
                        "expected a non-empty list of classes, e.g. [refuses, deflects]");
    }
    ClassSet out;
    for (const YAML::Node& item : node) {
      SV_ASSIGN_OR_RETURN(ResponseClass cls, ParseClass(item, field, line, allowed));
      out.insert(cls);
    }
    return out;
  }

  Result<ResponseClass> ParseClass(const YAML::Node& node, std::string_view field, int line,
                                   const ClassSet& allowed) const {
    int item_line = YamlLine(node, line);
    if (!node.IsScalar()) return YamlFieldError(origin_, item_line, field, "expected a class name");
    const std::string& text = node.Scalar();
    std::optional<ResponseClass> cls = ParseResponseClass(text);
    if (!cls || !allowed.contains(*cls)) {
      bool narrowed = allowed.size() < kDecidedClasses.size();
      return YamlFieldError(origin_, item_line, field,
                        "unknown class '" + text + "' (expected one of " +
                            Join(ClassNames(allowed)) +
                            (narrowed ? ", the classes this policy declares" : "") + ")");
    }
    return *cls;
  }

  // *node_line receives the line of the rule's `node` field.
  Result<PolicyRule> ParseRule(const YAML::Node& item, int list_line, int* node_line) {
    if (!item.IsMap()) {
      return YamlFieldError(origin_, *node_line, "rules",
                        "expected a rule (a mapping with node and per-intent class lists)");
    }
    YamlMap map(item, origin_, list_line);
    SV_RETURN_IF_ERROR(
        map.CheckKeys({"node", "safe", "harmful", "adversarial", "text", "examples"}));
    PolicyRule rule;
    SV_ASSIGN_OR_RETURN(std::string path_text, map.String("node", true));
    map.Find("node", node_line);
    SV_ASSIGN_OR_RETURN(rule.node, ParseNode(path_text, *node_line));
    for (Intent intent : kAllIntents) {
      int line = map.line();
      if (const YAML::Node* list = map.Find(Name(intent), &line)) {
        SV_ASSIGN_OR_RETURN(rule.acceptable[intent],
                            ParseClassList(*list, Name(intent), line, declared_));
      }
    }
    SV_ASSIGN_OR_RETURN(rule.text, map.String("text", false));
    int examples_line = map.line();
    if (const YAML::Node* examples = map.Find("examples", &examples_line)) {
      SV_ASSIGN_OR_RETURN(rule.examples, ParseExamples(*examples, examples_line));
    }
    if (rule.acceptable.empty() && rule.text.empty()) {
      return map.Error(*node_line, "node",
                       "the rule sets nothing (expected " + IntentNames() + " or text)");
    }
    return rule;
  }

  Result<CategoryPath> ParseNode(const std::string& text, int line) const {
    Result<CategoryPath> path = CategoryPath::Parse(text);
    if (!path.ok()) return YamlFieldError(origin_, line, "node", path.status().message());
    if (taxonomy_.Find(*path) == nullptr && unknown_nodes_ == UnknownNodes::kError) {
      return YamlFieldError(origin_, line, "node",
                        "no node '" + text + "' in taxonomy '" + taxonomy_.id() +
                            "' (expected one of " + Candidates(*path) + ")");
    }
    return std::move(path).value();
  }

  // The paths a user probably meant: the children of the deepest existing prefix of `path`.
  std::string Candidates(const CategoryPath& path) const {
    std::vector<const TaxonomyNode*> options = taxonomy_.TopLevel();
    for (size_t depth = 1; depth < path.depth(); ++depth) {
      const TaxonomyNode* prefix = taxonomy_.Find(path.Prefix(depth));
      if (prefix == nullptr || prefix->children.empty()) break;
      options.clear();
      for (int child : prefix->children) options.push_back(&taxonomy_.nodes()[child]);
    }
    std::vector<std::string> names;
    for (const TaxonomyNode* node : options) names.push_back(node->path.str());
    return Join(names);
  }

  Result<std::vector<PolicyExample>> ParseExamples(const YAML::Node& node, int line) const {
    if (!node.IsSequence()) {
      return YamlFieldError(origin_, line, "examples",
                        "expected a list of {response, class, acceptable}");
    }
    std::vector<PolicyExample> examples;
    for (const YAML::Node& item : node) {
      int item_line = YamlLine(item, line);
      if (!item.IsMap()) {
        return YamlFieldError(origin_, item_line, "examples",
                          "expected an example {response, class, acceptable}");
      }
      YamlMap map(item, origin_, line);
      SV_RETURN_IF_ERROR(map.CheckKeys({"response", "class", "acceptable"}));
      PolicyExample example;
      SV_ASSIGN_OR_RETURN(example.response, map.String("response", true));
      int field_line = map.line();
      const YAML::Node* cls = map.Find("class", &field_line);
      if (cls == nullptr) return map.Error(field_line, "class", "required; expected a class");
      SV_ASSIGN_OR_RETURN(example.cls, ParseClass(*cls, "class", field_line, declared_));
      field_line = map.line();
      const YAML::Node* acceptable = map.Find("acceptable", &field_line);
      if (acceptable == nullptr || !YAML::convert<bool>::decode(*acceptable, example.acceptable)) {
        return map.Error(field_line, "acceptable", "required; expected true or false");
      }
      examples.push_back(std::move(example));
    }
    return examples;
  }

  static std::string IntentNames() {
    std::vector<std::string_view> names;
    for (Intent intent : kAllIntents) names.push_back(Name(intent));
    return Join(names);
  }

  const std::string& origin_;
  const Taxonomy& taxonomy_;
  ClassSet declared_;

 public:
  UnknownNodes unknown_nodes_ = UnknownNodes::kError;
};

struct ParsedPolicy {
  std::string name;
  std::map<Intent, ClassSet> defaults;
  std::vector<PolicyRule> rules;
  std::vector<std::string> forbidden_tools;
};

// A tool name as the function-calling APIs allow it: letters, digits, '_', '.', '-'.
bool IsToolName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<std::string>> ParseForbiddenTools(const YAML::Node& node,
                                                     const std::string& origin, int line) {
  if (!node.IsSequence()) {
    return YamlFieldError(origin, line, "forbidden_tools",
                          "expected a list of tool names, e.g. [run_shell, transfer_funds]");
  }
  std::vector<std::string> names;
  std::map<std::string, int> lines;
  for (const YAML::Node& item : node) {
    int item_line = YamlLine(item, line);
    if (!item.IsScalar() || !IsToolName(item.Scalar())) {
      std::string got = item.IsScalar() ? " got '" + item.Scalar() + "'" : " got a non-scalar";
      return YamlFieldError(origin, item_line, "forbidden_tools",
                            "expected a tool name (letters, digits, '_', '.' or '-', 1-64 "
                            "characters);" + got);
    }
    if (auto [it, added] = lines.emplace(item.Scalar(), item_line); !added) {
      return YamlFieldError(origin, item_line, "forbidden_tools",
                            "'" + item.Scalar() + "' is already listed (line " +
                                std::to_string(it->second) + ")");
    }
    names.push_back(item.Scalar());
  }
  return names;
}

Result<ParsedPolicy> ParseDocument(const YAML::Node& root, const std::string& origin,
                                   const Taxonomy& taxonomy, UnknownNodes unknown_nodes) {
  if (!root.IsMap()) {
    return Status::InvalidArgument(origin + ":" + std::to_string(YamlLine(root, 1)) +
                                   ": expected a mapping with schema_version, default and rules");
  }
  YamlMap map(root, origin, 1);
  SV_RETURN_IF_ERROR(map.CheckKeys(
      {"schema_version", "name", "classes", "default", "rules", "forbidden_tools"}));
  SV_ASSIGN_OR_RETURN(std::string version, map.String("schema_version", true));
  int line = map.line();
  if (version != "1") {
    map.Find("schema_version", &line);
    return map.Error(line, "schema_version",
                     "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  ParsedPolicy out;
  SV_ASSIGN_OR_RETURN(out.name, map.String("name", false));
  PolicyParser parser(origin, taxonomy);
  parser.unknown_nodes_ = unknown_nodes;
  if (const YAML::Node* classes = map.Find("classes", &line)) {
    SV_RETURN_IF_ERROR(parser.ParseDeclaredClasses(*classes, line));
  }
  line = map.line();
  const YAML::Node* defaults = map.Find("default", &line);
  if (defaults == nullptr) {
    return map.Error(line, "default",
                     "required; expected a mapping of safe, harmful and adversarial to lists "
                     "of classes");
  }
  SV_ASSIGN_OR_RETURN(out.defaults, parser.ParseDefault(*defaults, line));
  if (const YAML::Node* rules = map.Find("rules", &line)) {
    SV_ASSIGN_OR_RETURN(out.rules, parser.ParseRules(*rules, line));
  }
  line = map.line();
  if (const YAML::Node* tools = map.Find("forbidden_tools", &line)) {
    SV_ASSIGN_OR_RETURN(out.forbidden_tools, ParseForbiddenTools(*tools, origin, line));
  }
  return out;
}

}  // namespace

Result<Policy> Policy::FromYaml(std::string_view yaml_text, const std::string& origin,
                                const Taxonomy& taxonomy, UnknownNodes unknown_nodes) {
  SV_RETURN_IF_ERROR(CheckUtf8(yaml_text, origin));
  try {
    SV_ASSIGN_OR_RETURN(ParsedPolicy parsed, ParseDocument(YAML::Load(std::string(yaml_text)),
                                                           origin, taxonomy, unknown_nodes));
    Policy policy;
    policy.name_ = std::move(parsed.name);
    policy.defaults_ = std::move(parsed.defaults);
    policy.rules_ = std::move(parsed.rules);
    policy.forbidden_tools_ = std::move(parsed.forbidden_tools);
    policy.content_hash_ = ContentHash(yaml_text);
    return policy;
  } catch (const YAML::Exception& e) {
    // Syntax errors (ParserException) and anything yaml-cpp throws while walking the tree.
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Status::InvalidArgument(origin + ":" + std::to_string(line) +
                                   ": invalid YAML: " + e.msg);
  }
}

}  // namespace safeval
