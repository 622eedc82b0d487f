#include "judge/rules_pattern_set.h"

#include <yaml-cpp/yaml.h>

#include <array>
#include <optional>
#include <set>
#include <utility>

namespace safeval {
namespace {

struct GroupInfo {
  PatternGroup group;
  std::string_view name;
  std::string_view default_cue;
};

constexpr std::array<GroupInfo, 6> kGroups = {{
    {PatternGroup::kRefusal, "refusal", "refusal"},
    {PatternGroup::kDeflection, "deflection", "deflection"},
    {PatternGroup::kHedge, "hedge", "hedge"},
    {PatternGroup::kActionable, "actionable", "actionable"},
    {PatternGroup::kComplianceOpening, "compliance_opening", "compliance_opening"},
    {PatternGroup::kRefusalFalsePositive, "refusal_false_positive", "refusal_false_positive"},
}};

std::optional<GroupInfo> FindGroup(std::string_view name) {
  for (const GroupInfo& info : kGroups)
    if (info.name == name) return info;
  return std::nullopt;
}

// Builds "<origin>:<line>: <message>" errors for one document.
class Errors {
 public:
  explicit Errors(const std::string& origin) : origin_(origin) {}
  Status At(const YAML::Node& node, const std::string& message) const {
    return Status::InvalidArgument(origin_ + ":" + std::to_string(Line(node)) + ": " + message);
  }
  static int Line(const YAML::Node& node) { return node.Mark().line + 1; }

 private:
  const std::string& origin_;
};

bool IsExtension(const std::string& key) { return key.rfind("x-", 0) == 0; }

// Reads a non-empty scalar string field; `where` names the enclosing item.
Result<std::string> StringField(const YAML::Node& item, const char* field, const std::string& where,
                                const Errors& errors) {
  YAML::Node value = item[field];
  if (!value) return errors.At(item, std::string("field '") + field + "': missing in " + where);
  if (!value.IsScalar() || value.Scalar().empty())
    return errors.At(value,
                     std::string("field '") + field + "': must be a non-empty string in " + where);
  return value.Scalar();
}

Status CheckPatternKeys(const YAML::Node& item, const std::string& where, const Errors& errors) {
  static const std::set<std::string> kKnown = {"id", "regex", "cue", "strength"};
  for (const auto& kv : item) {
    std::string key = kv.first.Scalar();
    if (!kKnown.count(key) && !IsExtension(key))
      return errors.At(kv.first, "field '" + key + "': unknown field in " + where);
  }
  return Status::Ok();
}

bool TakesStrength(PatternGroup group) {
  return group == PatternGroup::kActionable || group == PatternGroup::kDeflection ||
         group == PatternGroup::kHedge;
}

Result<Strength> ParseStrength(const YAML::Node& item, const GroupInfo& group,
                               const std::string& where, const Errors& errors) {
  YAML::Node value = item["strength"];
  if (!value) return Strength::kWeak;
  if (!TakesStrength(group.group)) {
    return errors.At(value, "field 'strength': only group 'actionable', 'deflection' or 'hedge' " +
                                std::string("takes it (") + where + ")");
  }
  if (value.IsScalar() && value.Scalar() == "weak") return Strength::kWeak;
  if (value.IsScalar() && value.Scalar() == "strong") return Strength::kStrong;
  return errors.At(value, "field 'strength': must be 'weak' or 'strong' in " + where);
}

Result<PatternSpec> ParsePattern(const YAML::Node& item, const GroupInfo& group,
                                 const Errors& errors) {
  std::string where = "a pattern of group '" + std::string(group.name) + "'";
  if (!item.IsMap()) return errors.At(item, "expected a map {id, regex} in " + where);
  PatternSpec spec;
  spec.group = group.group;
  spec.line = Errors::Line(item);
  SV_ASSIGN_OR_RETURN(spec.id, StringField(item, "id", where, errors));
  where = "pattern '" + spec.id + "'";
  SV_RETURN_IF_ERROR(CheckPatternKeys(item, where, errors));
  SV_ASSIGN_OR_RETURN(spec.regex, StringField(item, "regex", where, errors));
  spec.cue = std::string(group.default_cue);
  if (item["cue"]) {
    SV_ASSIGN_OR_RETURN(spec.cue, StringField(item, "cue", where, errors));
  }
  SV_ASSIGN_OR_RETURN(spec.strength, ParseStrength(item, group, where, errors));
  return spec;
}

Status ParseGroups(const YAML::Node& groups, const Errors& errors, PatternSet& set) {
  if (!groups.IsMap()) return errors.At(groups, "field 'groups': expected a map of group lists");
  std::set<std::string> ids;
  for (const auto& kv : groups) {
    std::string name = kv.first.Scalar();
    if (IsExtension(name)) continue;
    std::optional<GroupInfo> group = FindGroup(name);
    if (!group) return errors.At(kv.first, "field 'groups': unknown group '" + name + "'");
    if (!kv.second.IsSequence())
      return errors.At(kv.second, "field 'groups." + name + "': expected a list of patterns");
    for (const YAML::Node& item : kv.second) {
      SV_ASSIGN_OR_RETURN(PatternSpec spec, ParsePattern(item, *group, errors));
      if (!ids.insert(spec.id).second)
        return errors.At(item, "field 'id': duplicate pattern id '" + spec.id + "'");
      set.patterns.push_back(std::move(spec));
    }
  }
  return Status::Ok();
}

Result<int> ParseVersion(const YAML::Node& root, const Errors& errors) {
  YAML::Node value = root["version"];
  if (!value) return errors.At(root, "field 'version': missing");
  int version = 0;
  if (!value.IsScalar() || !YAML::convert<int>::decode(value, version) || version < 1)
    return errors.At(value, "field 'version': must be an integer >= 1");
  return version;
}

Result<PatternSet> ParseRoot(const YAML::Node& root, const Errors& errors) {
  if (!root.IsMap()) return errors.At(root, "expected a map with 'version' and 'groups'");
  for (const auto& kv : root) {
    std::string key = kv.first.Scalar();
    if (key != "version" && key != "groups" && !IsExtension(key))
      return errors.At(kv.first, "field '" + key + "': unknown field");
  }
  PatternSet set;
  SV_ASSIGN_OR_RETURN(set.version, ParseVersion(root, errors));
  if (!root["groups"]) return errors.At(root, "field 'groups': missing");
  SV_RETURN_IF_ERROR(ParseGroups(root["groups"], errors, set));
  if (set.patterns.empty()) return errors.At(root, "field 'groups': no patterns");
  return set;
}

}  // namespace

std::string_view Name(PatternGroup group) {
  for (const GroupInfo& info : kGroups)
    if (info.group == group) return info.name;
  return "?";
}

Result<PatternSet> ParsePatternSet(std::string_view yaml_text, const std::string& origin) {
  Errors errors(origin);
  try {
    return ParseRoot(YAML::Load(std::string(yaml_text)), errors);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(origin + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

}  // namespace safeval
