// A hazard taxonomy: a tree of any depth whose nodes have stable ids.
// Prompts name a node by its CategoryPath ("ncr/fraud/phishing"); results roll
// up to any level. Immutable after construction; safe to share across threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/category_path.h"
#include "core/status.h"

namespace safeval {

struct TaxonomyNode {
  std::string id;           // unique among its siblings; [A-Za-z0-9_.-]
  std::string name;         // human-readable, e.g. "Non-violent crimes"
  std::string description;
  std::string group;        // optional grouping, set on top-level nodes, e.g. "physical"
  std::string policy_text;  // optional guidance for judges
  CategoryPath path;        // from the top level down to this node
  int parent = -1;          // index into Taxonomy::nodes(), -1 for top level
  std::vector<int> children;
};

class Taxonomy {
 public:
  // Parses the taxonomy.yaml format of FORMATS.md. `origin` (a file name) starts
  // every error message, with the line, e.g. "tax.yaml:12: field 'id': duplicate id 'fraud'".
  // Fails (InvalidArgument) on bad YAML, schema_version other than 1, unknown keys not
  // prefixed "x-", repeated keys, invalid or sibling-duplicate ids, missing names, or
  // nesting deeper than 32 levels. Nodes come out in pre-order (parents before children).
  static Result<Taxonomy> FromYaml(std::string_view yaml_text, const std::string& origin);
  // FromYaml on a file's content, with the path as origin. A missing file is NotFound.
  static Result<Taxonomy> LoadFile(const std::string& path);
  // "builtin:ailuminate-v1", "builtin:safeval-v1" (AILuminate's hazards with 52 finer leaves,
  // data/taxonomies/safeval-v1.yaml compiled in), or a file path (relative paths resolve
  // against base_dir).
  // Unknown "builtin:" names are InvalidArgument, listing the known ones.
  static Result<Taxonomy> Resolve(const std::string& spec, const std::string& base_dir);
  // The MLCommons AILuminate v1.0 hazards (12 top-level, in physical /
  // non-physical / contextual groups, with spc_* and sxc_prn sub-hazards).
  static Taxonomy AiluminateV1();

  const std::string& id() const { return id_; }
  const std::vector<TaxonomyNode>& nodes() const { return nodes_; }
  // The node at `path`, or nullptr.
  const TaxonomyNode* Find(const CategoryPath& path) const;
  // Nodes without a parent / without children, in table order.
  std::vector<const TaxonomyNode*> TopLevel() const;
  std::vector<const TaxonomyNode*> Leaves() const;
  // The display name of the node at `path` ("?" if absent).
  std::string NameOf(const CategoryPath& path) const;

  // Builds from a node table (used by the parser, the built-in table and tests). Only each
  // node's `parent` is read: `path` and `children` are recomputed from it, so nodes that are
  // already linked come out unchanged. Does not validate ids.
  // REQUIRES: every node's parent is -1 or the index of an earlier node.
  Taxonomy(std::string id, std::vector<TaxonomyNode> nodes);
  Taxonomy() = default;

 private:
  std::string id_;
  std::vector<TaxonomyNode> nodes_;
};

}  // namespace safeval
