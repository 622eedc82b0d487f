// Keys of the response cache (DESIGN.md "Storage"): what a target answered to a
// conversation, so re-running a suite never calls the model again for the same
// question. A key is "<target namespace>-<conversation hash>": the namespace hashes the
// target's configuration without secrets, name or rate limits (TargetSnapshotJson), so
// any change to the model, endpoint, system prompt or sampling parameters starts afresh.
//
// The conversation hash covers everything the target is sent for an item: the turns
// (roles, contents, an assistant turn's tool calls, a tool turn's call id), the item's
// own system prompt and its tools. Pieces that are empty add nothing, so a key computed
// before tool calls, item system prompts and tools existed is still the key of the same
// item today (cache hits survive the upgrade); two items that differ only in their tools
// or system prompt never share a response.
#pragma once

#include <string>
#include <vector>

#include "core/prompt.h"
#include "run/target_config.h"

namespace safeval {

// 16 hex digits.
std::string CacheNamespace(const TargetConfig& target);
// namespace + "-" + 16 hex digits over the turns (roles and contents, unambiguously framed;
// tool calls and tool call ids when present).
std::string CacheKey(const std::string& cache_namespace, const std::vector<Turn>& turns);
// As above, also over prompt.system and prompt.tools_json when they are set: the key the
// executor uses for an item.
std::string CacheKey(const std::string& cache_namespace, const Prompt& prompt);

}  // namespace safeval
