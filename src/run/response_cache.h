// Keys of the response cache (DESIGN.md "Storage"): what a target answered to a
// conversation, so re-running a suite never calls the model again for the same
// question. A key is "<target namespace>-<conversation hash>": the namespace hashes the
// target's configuration without secrets, name or rate limits (TargetSnapshotJson), so
// any change to the model, endpoint, system prompt or sampling parameters starts afresh.
#pragma once

#include <string>
#include <vector>

#include "core/prompt.h"
#include "run/target_config.h"

namespace safeval {

// 16 hex digits.
std::string CacheNamespace(const TargetConfig& target);
// namespace + "-" + 16 hex digits over the turns (roles and contents, unambiguously framed).
std::string CacheKey(const std::string& cache_namespace, const std::vector<Turn>& turns);

}  // namespace safeval
