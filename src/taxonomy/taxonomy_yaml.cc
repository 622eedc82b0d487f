// Reading taxonomy.yaml (FORMATS.md).
// yaml-cpp throws; every YAML::Exception is caught here and becomes a Status
// "<origin>:<line>: field '<field>': <what was expected>".
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <map>

#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

// Deeper trees are surely a mistake, and the limit keeps recursion bounded on hostile input.
constexpr int kMaxDepth = 32;

int LineOf(const YAML::Node& node, int fallback) {
  int line = node.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

Status FieldError(const std::string& origin, int line, std::string_view field,
                  std::string_view what) {
  return Status::InvalidArgument(origin + ":" + std::to_string(line) + ": field '" +
                                 std::string(field) + "': " + std::string(what));
}

// The entries of one YAML mapping, read once so that every key's line is at hand and
// repeated keys (which yaml-cpp accepts silently) are caught.
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

  // The value of `key`; nullptr when the key is absent or its value is null.
  const YAML::Node* Find(std::string_view key, int* line = nullptr) const {
    for (const Entry& e : entries_) {
      if (e.key != key) continue;
      if (line != nullptr) *line = e.line;
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

  static std::string Join(std::initializer_list<std::string_view> names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  }

  const std::string& origin_;
  int line_;
  std::vector<Entry> entries_;
};

Status CheckSchemaVersion(const MapReader& map) {
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
    if (!seq.IsSequence()) return FieldError(origin_, line, field, "expected a list of nodes");
    if (depth > kMaxDepth) {
      return FieldError(origin_, line, field,
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
    int item_line = LineOf(item, list_line);
    if (!item.IsMap()) {
      return FieldError(origin_, item_line, "nodes",
                        "expected a node (a mapping with id, name and optional description, "
                        "group, policy, children)");
    }
    MapReader map(item, origin_, list_line);
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
    return Status::InvalidArgument(origin + ":" + std::to_string(LineOf(root, 1)) +
                                   ": expected a mapping with schema_version, id and nodes");
  }
  MapReader map(root, origin, 1);
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
