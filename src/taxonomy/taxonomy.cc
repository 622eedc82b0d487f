// The taxonomy tree: linking nodes and looking them up by path.
#include "taxonomy/taxonomy.h"

#include <cassert>
#include <utility>

namespace safeval {

Taxonomy::Taxonomy(std::string id, std::vector<TaxonomyNode> nodes)
    : id_(std::move(id)), nodes_(std::move(nodes)) {
  // Links are derived from `parent` alone, so a table only has to get one thing right and
  // `children` / `path` can never disagree with it.
  for (auto& node : nodes_) node.children.clear();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    TaxonomyNode& node = nodes_[i];
    assert(node.parent < static_cast<int>(i));
    if (node.parent >= static_cast<int>(i)) node.parent = -1;  // keep release builds safe
    std::vector<std::string> ids;
    if (node.parent >= 0) {
      nodes_[node.parent].children.push_back(static_cast<int>(i));
      ids = nodes_[node.parent].path.ids();
    }
    ids.push_back(node.id);
    node.path = CategoryPath(std::move(ids));
  }
}

const TaxonomyNode* Taxonomy::Find(const CategoryPath& path) const {
  if (path.empty()) return nullptr;
  const TaxonomyNode* found = nullptr;
  std::vector<const TaxonomyNode*> level = TopLevel();
  for (const std::string& id : path.ids()) {
    found = nullptr;
    for (const TaxonomyNode* node : level) {
      if (node->id == id) {
        found = node;
        break;
      }
    }
    if (found == nullptr) return nullptr;
    level.clear();
    for (int child : found->children) level.push_back(&nodes_[child]);
  }
  return found;
}

std::vector<const TaxonomyNode*> Taxonomy::TopLevel() const {
  std::vector<const TaxonomyNode*> out;
  for (const auto& node : nodes_)
    if (node.parent < 0) out.push_back(&node);
  return out;
}

std::vector<const TaxonomyNode*> Taxonomy::Leaves() const {
  std::vector<const TaxonomyNode*> out;
  for (const auto& node : nodes_)
    if (node.children.empty()) out.push_back(&node);
  return out;
}

std::string Taxonomy::NameOf(const CategoryPath& path) const {
  const TaxonomyNode* node = Find(path);
  return node != nullptr ? node->name : "?";
}

}  // namespace safeval
