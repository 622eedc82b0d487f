// The JSON columns of the SQLite store, private to src/store/: a Prompt (every
// field but `origin`), a verdict's evidence spans and a run's judge list.
// Encoding then decoding gives back an equal value. Nothing here throws:
// nlohmann::json errors become Status values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/findings.h"
#include "core/prompt.h"
#include "core/status.h"
#include "core/verdict.h"
#include "store/store.h"  // CellCount

namespace safeval::store_internal {

// {"id", "turns": [{"role", "content", "tool_calls", "tool_call_id"}], "category": "a/b",
// "intent", "persona" (absent when unset), "locale", "tags", "parent_id", "techniques",
// "system", "tools_json", "canary", "group", "pair_id", "expect": {"no_tool_call", "no_leak",
// "distress"}}. The agent fields (from "system" on) and a turn's tool_calls / tool_call_id are
// absent when empty, so older rows, which lack them, load with them empty.
// Fails with InvalidArgument when a string is not valid UTF-8.
Result<std::string> PromptToJson(const Prompt& prompt);
// Fails with IoError (the column is corrupt) on malformed JSON, a missing
// field or an unknown intent/persona name.
Result<Prompt> PromptFromJson(std::string_view json);

// [{"id" (absent when empty), "name", "arguments" (the arguments' JSON text, as a string)}],
// or "" for no calls. Fails with InvalidArgument when a name or arguments is not UTF-8.
Result<std::string> ToolCallsToJson(const std::vector<ToolCall>& calls);
// "" gives no calls; IoError on a corrupt value.
Result<std::vector<ToolCall>> ToolCallsFromJson(std::string_view json);

// {"leak", "harmful_action", "missed_distress" (each absent when unset), "details"}, or ""
// when the findings are empty. InvalidArgument when a detail is not UTF-8.
Result<std::string> FindingsToJson(const Findings& findings);
// "" gives empty findings; IoError on a corrupt value.
Result<Findings> FindingsFromJson(std::string_view json);

// A campaign batch's cells: [[cell, items, failures], ...]. IoError on a corrupt value.
std::string CellsToJson(const std::vector<CellCount>& cells);
Result<std::vector<CellCount>> CellsFromJson(const std::string& text);

// [{"start", "end", "cue"}, ...]. Fails with InvalidArgument when a cue is not valid UTF-8.
Result<std::string> EvidenceToJson(const std::vector<Evidence>& evidence);
// The same into `out` (replacing its content, reusing its buffer); `out` is unspecified after
// a failure.
Status EvidenceToJson(const std::vector<Evidence>& evidence, std::string& out);
Result<std::vector<Evidence>> EvidenceFromJson(std::string_view json);

// ["a", "b", ...]
Result<std::string> StringsToJson(const std::vector<std::string>& strings);
Result<std::vector<std::string>> StringsFromJson(std::string_view json);

}  // namespace safeval::store_internal
