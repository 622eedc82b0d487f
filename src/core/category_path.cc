#include "core/category_path.h"

namespace safeval {

bool IsValidNodeId(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Result<CategoryPath> CategoryPath::Parse(std::string_view text) {
  if (text.empty()) return Status::InvalidArgument("empty category path");
  std::vector<std::string> ids;
  size_t start = 0;
  while (true) {
    size_t slash = text.find('/', start);
    std::string_view id = text.substr(start, slash == std::string_view::npos ? text.npos : slash - start);
    if (!IsValidNodeId(id)) {
      return Status::InvalidArgument("category path '" + std::string(text) +
                                     "' has an invalid segment '" + std::string(id) +
                                     "' (expected ids of letters, digits, '_', '-' or '.')");
    }
    ids.emplace_back(id);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return CategoryPath(std::move(ids));
}

CategoryPath CategoryPath::Prefix(size_t depth) const {
  if (depth >= ids_.size()) return *this;
  return CategoryPath(std::vector<std::string>(ids_.begin(), ids_.begin() + depth));
}

bool CategoryPath::Contains(const CategoryPath& other) const {
  if (other.ids_.size() < ids_.size()) return false;
  for (size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] != other.ids_[i]) return false;
  return true;
}

std::string CategoryPath::str() const {
  std::string out;
  for (const auto& id : ids_) {
    if (!out.empty()) out += '/';
    out += id;
  }
  return out;
}

}  // namespace safeval
