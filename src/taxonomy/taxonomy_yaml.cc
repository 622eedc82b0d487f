// Reading taxonomy.yaml (FORMATS.md).
// yaml-cpp throws; every YAML::Exception is caught here and becomes a Status
// "<origin>:<line>: field '<field>': <what was expected>".
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>

#include "taxonomy/taxonomy.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

// Deeper trees are surely a mistake, and the limit keeps recursion bounded on hostile input.
constexpr int kMaxDepth = 32;

Status CheckSchemaVersion(const YamlMap& map) {
  SV_ASSIGN_OR_RETURN(std::string version, map.String("schema_version", true));
  if (version != "1") {
    return map.Error(map.line(), "schema_version",
                     "expected 1 (the only version this safeval reads), got '" + version + "'");
  }
  return Status::Ok();
}

class TreeParser {
 public:
  explicit TreeParser(const std::string& origin) : origin_(origin) {}

  // Appends the nodes of `seq` (and, depth first, their children) under `parent`.
  Status ParseList(const YAML::Node& seq, std::string_view field, int line, int parent, int depth) {
    if (!seq.IsSequence()) return YamlFieldError(origin_, line, field, "expected a list of nodes");
    if (depth > kMaxDepth) {
      return YamlFieldError(origin_, line, field,
                        "nodes nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    std::map<std::string, int> sibling_lines;
    for (const YAML::Node& item : seq) {
      SV_RETURN_IF_ERROR(ParseNode(item, line, parent, depth, &sibling_lines));
    }
    return Status::Ok();
  }

  std::vector<TaxonomyNode> TakeNodes() { return std::move(nodes_); }

 private:
  Status ParseNode(const YAML::Node& item, int list_line, int parent, int depth,
                   std::map<std::string, int>* sibling_lines) {
    int item_line = YamlLine(item, list_line);
    if (!item.IsMap()) {
      return YamlFieldError(origin_, item_line, "nodes",
                        "expected a node (a mapping with id, name and optional description, "
                        "group, policy, children)");
    }
    YamlMap map(item, origin_, list_line);
    SV_RETURN_IF_ERROR(map.CheckKeys({"id", "name", "description", "group", "policy", "children"}));
    TaxonomyNode node;
    node.parent = parent;
    SV_ASSIGN_OR_RETURN(node.id, map.String("id", true));
    int id_line = map.line();
    map.Find("id", &id_line);
    if (!IsValidNodeId(node.id)) {
      return map.Error(id_line, "id",
                       "invalid id '" + node.id + "' (expected letters, digits, '_', '-' or '.')");
    }
    if (auto [it, added] = sibling_lines->emplace(node.id, id_line); !added) {
      return map.Error(
          id_line, "id",
          "duplicate id '" + node.id + "' (first at line " + std::to_string(it->second) + ")");
    }
    SV_ASSIGN_OR_RETURN(node.name, map.String("name", true));
    SV_ASSIGN_OR_RETURN(node.description, map.String("description", false));
    SV_ASSIGN_OR_RETURN(node.group, map.String("group", false));
    SV_ASSIGN_OR_RETURN(node.policy_text, map.String("policy", false));
    int index = static_cast<int>(nodes_.size());
    nodes_.push_back(std::move(node));
    int children_line = map.line();
    if (const YAML::Node* children = map.Find("children", &children_line)) {
      SV_RETURN_IF_ERROR(ParseList(*children, "children", children_line, index, depth + 1));
    }
    return Status::Ok();
  }

  const std::string& origin_;
  std::vector<TaxonomyNode> nodes_;
};

Result<Taxonomy> ParseDocument(const YAML::Node& root, const std::string& origin) {
  if (!root.IsMap()) {
    return Status::InvalidArgument(origin + ":" + std::to_string(YamlLine(root, 1)) +
                                   ": expected a mapping with schema_version, id and nodes");
  }
  YamlMap map(root, origin, 1);
  SV_RETURN_IF_ERROR(map.CheckKeys({"schema_version", "id", "nodes"}));
  SV_RETURN_IF_ERROR(CheckSchemaVersion(map));
  SV_ASSIGN_OR_RETURN(std::string id, map.String("id", true));
  if (!IsValidNodeId(id)) {
    int line = map.line();
    map.Find("id", &line);
    return map.Error(line, "id",
                     "invalid id '" + id + "' (expected letters, digits, '_', '-' or '.')");
  }
  int nodes_line = map.line();
  const YAML::Node* nodes = map.Find("nodes", &nodes_line);
  if (nodes == nullptr || (nodes->IsSequence() && nodes->size() == 0)) {
    return map.Error(nodes_line, "nodes", "required; expected a non-empty list of nodes");
  }
  TreeParser parser(origin);
  SV_RETURN_IF_ERROR(parser.ParseList(*nodes, "nodes", nodes_line, -1, 1));
  return Taxonomy(std::move(id), parser.TakeNodes());
}

}  // namespace

Result<Taxonomy> Taxonomy::FromYaml(std::string_view yaml_text, const std::string& origin) {
  SV_RETURN_IF_ERROR(CheckUtf8(yaml_text, origin));
  try {
    return ParseDocument(YAML::Load(std::string(yaml_text)), origin);
  } catch (const YAML::Exception& e) {
    // Syntax errors (ParserException) and anything yaml-cpp throws while walking the tree.
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
    return Status::InvalidArgument(origin + ":" + std::to_string(line) +
                                   ": invalid YAML: " + e.msg);
  }
}

}  // namespace safeval
