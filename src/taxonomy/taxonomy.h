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
  std::string group;        // optional grouping of top-level nodes, e.g. "physical"
  std::string policy_text;  // optional guidance for judges
  CategoryPath path;        // from the top level down to this node
  int parent = -1;          // index into Taxonomy::nodes(), -1 for top level
  std::vector<int> children;
};

class Taxonomy {
 public:
  // Parses the taxonomy.yaml format of FORMATS.md. `origin` (a file name) starts
  // every error message, with the line, e.g. "tax.yaml:12: field 'id': duplicate id 'fraud'".
  static Result<Taxonomy> FromYaml(std::string_view yaml_text, const std::string& origin);
  static Result<Taxonomy> LoadFile(const std::string& path);
  // "builtin:ailuminate-v1", or a file path (relative paths resolve against base_dir).
  static Result<Taxonomy> Resolve(const std::string& spec, const std::string& base_dir);
  // The MLCommons AILuminate v1.0 hazards (12 top-level, in physical /
  // non-physical / contextual groups, with spc_* and sxc_prn sub-hazards).
  static Taxonomy AiluminateV1();

  const std::string& id() const { return id_; }
  const std::vector<TaxonomyNode>& nodes() const { return nodes_; }
  // The node at `path`, or nullptr.
  const TaxonomyNode* Find(const CategoryPath& path) const;
  std::vector<const TaxonomyNode*> TopLevel() const;
  std::vector<const TaxonomyNode*> Leaves() const;
  // The display name of the node at `path` ("?" if absent).
  std::string NameOf(const CategoryPath& path) const;

  // Builds from nodes already linked (used by the parser and the built-in table).
  Taxonomy(std::string id, std::vector<TaxonomyNode> nodes);
  Taxonomy() = default;

 private:
  std::string id_;
  std::vector<TaxonomyNode> nodes_;
};

}  // namespace safeval
