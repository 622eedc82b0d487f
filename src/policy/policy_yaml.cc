// Reading policy.yaml (FORMATS.md).
// yaml-cpp throws; every YAML::Exception is caught here and becomes a Status
// "<origin>:<line>: field '<field>': <what was expected>".
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>

#include "core/hash.h"
#include "policy/policy.h"

namespace safeval {
namespace {

int LineOf(const YAML::Node& node, int fallback) {
  int line = node.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

Status FieldError(const std::string& origin, int line, std::string_view field,
                  std::string_view what) {
  return Status::InvalidArgument(origin + ":" + std::to_string(line) + ": field '" +
                                 std::string(field) + "': " + std::string(what));
}

template <typename Range>
std::string Join(const Range& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// The entries of one YAML mapping, read once so that every key's line is at hand and
// repeated keys (which yaml-cpp accepts silently) are caught. (taxonomy_yaml.cc has a twin.)
class MapReader {
 public:
  MapReader(const YAML::Node& map, const std::string& origin, int fallback_line)
      : origin_(origin), line_(LineOf(map, fallback_line)) {
    for (const auto& kv : map) {
      entries_.push_back({kv.first.IsScalar() ? kv.first.Scalar() : std::string(),
                          LineOf(kv.first, line_), kv.second});
    }
  }

  int line() const { return line_; }

  Status Error(int line, std::string_view field, std::string_view what) const {
    return FieldError(origin_, line, field, what);
  }

  // Keys outside `known` are errors unless they start with "x-" (user extensions).
  Status CheckKeys(std::initializer_list<std::string_view> known) const {
    std::map<std::string, int> seen;
    for (const Entry& e : entries_) {
      if (auto [it, added] = seen.emplace(e.key, e.line); !added) {
        return Error(e.line, e.key,
                     "repeated key (first at line " + std::to_string(it->second) + ")");
      }
      if (e.key.empty()) return Error(e.line, "?", "expected a plain string as key");
      if (e.key.starts_with("x-")) continue;
      bool ok = false;
      for (std::string_view k : known) ok = ok || k == e.key;
      if (!ok) {
        return Error(e.line, e.key,
                     "unknown key (expected one of " + Join(known) +
                         ", or an extension key starting with 'x-')");
      }
    }
    return Status::Ok();
  }

  // The value of `key`; nullptr when the key is absent or its value is null. *line receives
  // the key's line when it is present.
  const YAML::Node* Find(std::string_view key, int* line) const {
    for (const Entry& e : entries_) {
      if (e.key != key) continue;
      *line = e.line;
      return e.value.IsNull() ? nullptr : &e.value;
    }
    return nullptr;
  }

  // A scalar's text; "" when absent and not `required`.
  Result<std::string> String(std::string_view key, bool required) const {
    int line = line_;
    const YAML::Node* value = Find(key, &line);
    if (value == nullptr) {
      if (!required) return std::string();
      return Error(line, key, "required; expected a non-empty string");
    }
    if (!value->IsScalar()) return Error(line, key, "expected a string");
    if (required && value->Scalar().empty()) return Error(line, key, "expected a non-empty string");
    return value->Scalar();
  }

 private:
  struct Entry {
    std::string key;
    int line;
    YAML::Node value;
  };

  const std::string& origin_;
  int line_;
  std::vector<Entry> entries_;
};

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
      return FieldError(origin_, line, "default", "expected a mapping of " + IntentNames());
    }
    MapReader map(node, origin_, line);
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
    if (!node.IsSequence()) return FieldError(origin_, line, "rules", "expected a list of rules");
    std::vector<PolicyRule> rules;
    std::map<CategoryPath, int> rule_lines;
    for (const YAML::Node& item : node) {
      int node_line = LineOf(item, line);
      SV_ASSIGN_OR_RETURN(PolicyRule rule, ParseRule(item, line, &node_line));
      if (auto [it, added] = rule_lines.emplace(rule.node, node_line); !added) {
        return FieldError(origin_, node_line, "node",
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
      return FieldError(origin_, line, field,
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
    int item_line = LineOf(node, line);
    if (!node.IsScalar()) return FieldError(origin_, item_line, field, "expected a class name");
    const std::string& text = node.Scalar();
    std::optional<ResponseClass> cls = ParseResponseClass(text);
    if (!cls || !allowed.contains(*cls)) {
      bool narrowed = allowed.size() < kDecidedClasses.size();
      return FieldError(origin_, item_line, field,
                        "unknown class '" + text + "' (expected one of " +
                            Join(ClassNames(allowed)) +
                            (narrowed ? ", the classes this policy declares" : "") + ")");
    }
    return *cls;
  }

  // *node_line receives the line of the rule's `node` field.
  Result<PolicyRule> ParseRule(const YAML::Node& item, int list_line, int* node_line) {
    if (!item.IsMap()) {
      return FieldError(origin_, *node_line, "rules",
                        "expected a rule (a mapping with node and per-intent class lists)");
    }
    MapReader map(item, origin_, list_line);
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
    if (!path.ok()) return FieldError(origin_, line, "node", path.status().message());
    if (taxonomy_.Find(*path) == nullptr) {
      return FieldError(origin_, line, "node",
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
      return FieldError(origin_, line, "examples",
                        "expected a list of {response, class, acceptable}");
    }
    std::vector<PolicyExample> examples;
    for (const YAML::Node& item : node) {
      int item_line = LineOf(item, line);
      if (!item.IsMap()) {
        return FieldError(origin_, item_line, "examples",
                          "expected an example {response, class, acceptable}");
      }
      MapReader map(item, origin_, line);
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
};

struct ParsedPolicy {
  std::string name;
  std::map<Intent, ClassSet> defaults;
  std::vector<PolicyRule> rules;
};

Result<ParsedPolicy> ParseDocument(const YAML::Node& root, const std::string& origin,
                                   const Taxonomy& taxonomy) {
  if (!root.IsMap()) {
    return Status::InvalidArgument(origin + ":" + std::to_string(LineOf(root, 1)) +
                                   ": expected a mapping with schema_version, default and rules");
  }
  MapReader map(root, origin, 1);
  SV_RETURN_IF_ERROR(map.CheckKeys({"schema_version", "name", "classes", "default", "rules"}));
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
  return out;
}

}  // namespace

Result<Policy> Policy::FromYaml(std::string_view yaml_text, const std::string& origin,
                                const Taxonomy& taxonomy) {
  try {
    SV_ASSIGN_OR_RETURN(ParsedPolicy parsed,
                        ParseDocument(YAML::Load(std::string(yaml_text)), origin, taxonomy));
    Policy policy;
    policy.name_ = std::move(parsed.name);
    policy.defaults_ = std::move(parsed.defaults);
    policy.rules_ = std::move(parsed.rules);
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
