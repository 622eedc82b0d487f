// A path of taxonomy node ids from a top-level node down, written "ncr/fraud/phishing".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace safeval {

class CategoryPath {
 public:
  CategoryPath() = default;
  explicit CategoryPath(std::vector<std::string> ids) : ids_(std::move(ids)) {}

  // Parses "a/b/c". Fails on an empty path, an empty segment, or a segment with
  // characters other than [A-Za-z0-9_.-].
  static Result<CategoryPath> Parse(std::string_view text);

  const std::vector<std::string>& ids() const { return ids_; }
  bool empty() const { return ids_.empty(); }
  size_t depth() const { return ids_.size(); }
  const std::string& leaf() const { return ids_.back(); }  // REQUIRES: !empty()

  // The first `depth` ids (all of them when depth >= this->depth()).
  CategoryPath Prefix(size_t depth) const;
  // True when `other` equals this path or lies below it.
  bool Contains(const CategoryPath& other) const;

  std::string str() const;
  friend bool operator==(const CategoryPath&, const CategoryPath&) = default;
  friend auto operator<=>(const CategoryPath&, const CategoryPath&) = default;

 private:
  std::vector<std::string> ids_;
};

// True when `id` is a valid taxonomy node id: non-empty, [A-Za-z0-9_.-] only.
bool IsValidNodeId(std::string_view id);

}  // namespace safeval
