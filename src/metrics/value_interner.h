// Internal to src/metrics/: maps the strings metrics are grouped by (category
// paths cut to a depth, technique names, locales, tags) to small dense ids, so a
// pass over millions of items hashes a few bytes per key and builds no strings.
// Not thread-safe. Ids and the references name() returns stay valid for the
// interner's lifetime.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace safeval {

class ValueInterner {
 public:
  // The id of `value`, adding it when new.
  int32_t Intern(std::string_view value);
  // The id of the first `depth` ids of a category path joined by '/' ("spc/spc_hlt"),
  // without joining them. REQUIRES: !ids.empty(), depth >= 1.
  int32_t InternPath(const std::vector<std::string>& ids, size_t depth);

  const std::string& name(int32_t id) const { return names_[static_cast<size_t>(id)]; }

 private:
  // A category path prefix, looked up as if it were the joined string.
  struct PathPrefix {
    const std::vector<std::string>* ids;
    size_t depth;
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view value) const;
    size_t operator()(const PathPrefix& path) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    bool operator()(const PathPrefix& path, std::string_view joined) const;
    bool operator()(std::string_view joined, const PathPrefix& path) const {
      return (*this)(path, joined);
    }
  };

  int32_t Add(std::string value);

  // Keys view the strings in names_ (a deque: its elements never move).
  std::unordered_map<std::string_view, int32_t, Hash, Equal> ids_;
  std::deque<std::string> names_;
};

}  // namespace safeval
