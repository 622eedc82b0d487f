// How the web UI shows an item: its conversation (system prompt, turns, tool calls), the model's
// response and its saved media, every text HTML-escaped (invalid UTF-8 shown as U+FFFD). The one
// renderer of the item page (/runs/{run}/items/{index}), the labelling page (/annotate/{round})
// and the adjudication page. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "core/prompt.h"
#include "store/store.h"

namespace safeval {

// What a page shows of an item besides its conversation and response text. The defaults are
// the labelling page's.
struct ItemSectionsOptions {
  // The outcome (OutcomeText) as <span class="badge"> in the Response heading.
  bool outcome_badge = false;
  // The run whose /media/{run}/{file} route serves the result's saved media. Non-empty: the
  // media is shown inline (<img>, <video> or <audio>, by MediaContentType) in a #media section
  // after the response. Empty: no such section (the response still names the media file).
  std::string media_run;
};

// The item's "Conversation" section (<div id="conversation">, ConversationTurnsHtml) and
// "Response" section (<div id="response">, ResponseTextHtml), then the #media section when
// `options` asks for it. The ids are what the pages' tests, the browser test and the CSS use.
std::string ItemSectionsHtml(const StoredItem& item, const ItemSectionsOptions& options = {});

// The conversation as <div class="turn role-user">…</div> blocks, without the enclosing
// element (the caller gives it its id or class, e.g. #conversation).
std::string ConversationTurnsHtml(const Prompt& prompt);

// The response text (in a <pre>) and its tool calls; a note when there is no response (the
// item is pending or the model failed). Without the enclosing element (e.g. #response).
std::string ResponseTextHtml(const std::optional<ItemResult>& result);

// The result's outcome name ("judged", "model_error", …), or "pending" without a result.
std::string OutcomeText(const std::optional<ItemResult>& result);

// The Content-Type of a saved media file by its extension, case-insensitively: image/png,
// image/jpeg (.jpg, .jpeg), image/gif, image/webp, video/mp4, video/webm, audio/wav,
// audio/mpeg (.mp3), audio/ogg; "application/octet-stream" for anything else.
std::string MediaContentType(const std::string& file);

}  // namespace safeval
