// How the annotation pages show an item: its conversation (system prompt, turns, tool calls)
// and the model's response, every text HTML-escaped (invalid UTF-8 shown as U+FFFD). Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/prompt.h"
#include "store/store.h"

namespace safeval {

// The conversation as <div class="turn role-user">…</div> blocks, without the enclosing
// element (the caller gives it its id, e.g. #conversation).
std::string ConversationTurnsHtml(const Prompt& prompt);

// The response text (in a <pre>) and its tool calls; a note when there is no response (the
// item is pending or the model failed). Without the enclosing element (e.g. #response).
std::string ResponseTextHtml(const std::optional<ItemResult>& result);

}  // namespace safeval
