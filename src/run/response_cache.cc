#include "run/response_cache.h"

#include "core/hash.h"

namespace safeval {
namespace {

// Lengths frame each piece, so ("ab","c") and ("a","bc") differ.
void AddFramed(Hasher& h, const std::string& piece) {
  h.Add(std::to_string(piece.size())).Add(":").Add(piece);
}

// Pieces added since the first version start with '!' where a framed piece starts with a
// digit, so they can never be mistaken for another turn; when they are absent the hash is
// the first version's.
void AddTurns(Hasher& h, const std::vector<Turn>& turns) {
  for (const Turn& turn : turns) {
    AddFramed(h, turn.role);
    AddFramed(h, turn.content);
    for (const ToolCall& call : turn.tool_calls) {
      h.Add("!call:");
      AddFramed(h, call.id);
      AddFramed(h, call.name);
      AddFramed(h, call.arguments_json);
    }
    if (!turn.tool_call_id.empty()) {
      h.Add("!result-of:");
      AddFramed(h, turn.tool_call_id);
    }
  }
}

}  // namespace

std::string CacheNamespace(const TargetConfig& target) {
  Hasher h;
  h.Add("safeval-cache-v1").Add(TargetSnapshotJson(target));
  return h.HexDigest();
}

std::string CacheKey(const std::string& cache_namespace, const std::vector<Turn>& turns) {
  Hasher h;
  AddTurns(h, turns);
  return cache_namespace + "-" + h.HexDigest();
}

std::string CacheKey(const std::string& cache_namespace, const Prompt& prompt) {
  Hasher h;
  AddTurns(h, prompt.turns);
  if (!prompt.system.empty()) {
    h.Add("!system:");
    AddFramed(h, prompt.system);
  }
  if (!prompt.tools_json.empty()) {
    h.Add("!tools:");
    AddFramed(h, prompt.tools_json);
  }
  return cache_namespace + "-" + h.HexDigest();
}

}  // namespace safeval
