#include "metrics/value_interner.h"

#include <algorithm>

namespace safeval {
namespace {

// FNV-1a: the keys are a few bytes long, where it beats heavier hashes, and it
// can hash a path's pieces exactly as it hashes their joined form.
constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

uint64_t FnvAdd(uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

}  // namespace

size_t ValueInterner::Hash::operator()(std::string_view value) const {
  return FnvAdd(kFnvOffset, value);
}

size_t ValueInterner::Hash::operator()(const PathPrefix& path) const {
  uint64_t hash = kFnvOffset;
  for (size_t i = 0; i < path.depth; ++i) {
    if (i > 0) hash = FnvAdd(hash, "/");
    hash = FnvAdd(hash, (*path.ids)[i]);
  }
  return hash;
}

bool ValueInterner::Equal::operator()(const PathPrefix& path, std::string_view joined) const {
  for (size_t i = 0; i < path.depth; ++i) {
    if (i > 0) {
      if (joined.empty() || joined.front() != '/') return false;
      joined.remove_prefix(1);
    }
    const std::string& id = (*path.ids)[i];
    if (!joined.starts_with(id)) return false;
    joined.remove_prefix(id.size());
  }
  return joined.empty();
}

int32_t ValueInterner::Add(std::string value) {
  int32_t id = static_cast<int32_t>(names_.size());
  names_.push_back(std::move(value));
  ids_.emplace(names_.back(), id);
  return id;
}

int32_t ValueInterner::Intern(std::string_view value) {
  auto it = ids_.find(value);
  if (it != ids_.end()) return it->second;
  return Add(std::string(value));
}

int32_t ValueInterner::InternPath(const std::vector<std::string>& ids, size_t depth) {
  PathPrefix path{&ids, std::min(depth, ids.size())};
  auto it = ids_.find(path);
  if (it != ids_.end()) return it->second;
  std::string joined;
  for (size_t i = 0; i < path.depth; ++i) {
    if (i > 0) joined += '/';
    joined += ids[i];
  }
  return Add(std::move(joined));
}

}  // namespace safeval
