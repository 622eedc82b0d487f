// The JSON columns of the SQLite store, private to src/store/: a Prompt (every
// field but `origin`), a verdict's evidence spans and a run's judge list.
// Encoding then decoding gives back an equal value. Nothing here throws:
// nlohmann::json errors become Status values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "core/verdict.h"

namespace safeval::store_internal {

// {"id", "turns": [{"role", "content"}], "category": "a/b", "intent", "persona"
// (absent when unset), "locale", "tags", "parent_id", "techniques"}.
// Fails with InvalidArgument when a string is not valid UTF-8.
Result<std::string> PromptToJson(const Prompt& prompt);
// Fails with IoError (the column is corrupt) on malformed JSON, a missing
// field or an unknown intent/persona name.
Result<Prompt> PromptFromJson(std::string_view json);

// [{"start", "end", "cue"}, ...]
Result<std::string> EvidenceToJson(const std::vector<Evidence>& evidence);
Result<std::vector<Evidence>> EvidenceFromJson(std::string_view json);

// ["a", "b", ...]
Result<std::string> StringsToJson(const std::vector<std::string>& strings);
Result<std::vector<std::string>> StringsFromJson(std::string_view json);

}  // namespace safeval::store_internal
