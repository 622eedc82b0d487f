#include "run/response_cache.h"

#include "core/hash.h"

namespace safeval {

std::string CacheNamespace(const TargetConfig& target) {
  Hasher h;
  h.Add("safeval-cache-v1").Add(TargetSnapshotJson(target));
  return h.HexDigest();
}

std::string CacheKey(const std::string& cache_namespace, const std::vector<Turn>& turns) {
  Hasher h;
  for (const Turn& turn : turns) {
    // Lengths frame each piece, so ("ab","c") and ("a","bc") differ.
    h.Add(std::to_string(turn.role.size())).Add(":").Add(turn.role);
    h.Add(std::to_string(turn.content.size())).Add(":").Add(turn.content);
  }
  return cache_namespace + "-" + h.HexDigest();
}

}  // namespace safeval
