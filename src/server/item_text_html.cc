#include "server/item_text_html.h"

#include <cctype>
#include <filesystem>
#include <string_view>
#include <utility>

#include "core/utf8.h"
#include "report/report.h"
#include "server/web_request.h"

namespace safeval {
namespace {

std::string Text(const std::string& text) { return HtmlEscape(SanitizeUtf8(text)); }

std::string ToolCallsHtml(const std::vector<ToolCall>& calls) {
  std::string html;
  for (const ToolCall& call : calls)
    html += "<pre class=\"tool-call\">" + Text(ToolCallLine(call)) + "</pre>";
  return html;
}

std::string TurnHtml(const std::string& role, const std::string& content,
                     const std::vector<ToolCall>& calls) {
  // Roles come from the dataset: only the four known ones become a CSS class.
  bool known = role == "system" || role == "user" || role == "assistant" || role == "tool";
  std::string html = "<div class=\"turn role-" + (known ? role : std::string("other")) +
                     "\"><div class=\"role\">" + Text(role) + "</div>";
  if (!content.empty()) html += "<pre>" + Text(content) + "</pre>";
  return html + ToolCallsHtml(calls) + "</div>\n";
}

// The media of `result` inline, served by /media/{run}/{file name}; "" without media.
std::string MediaSectionHtml(const std::string& run, const ItemResult& result) {
  if (result.media_path.empty()) return "";
  std::string file = std::filesystem::path(result.media_path).filename().string();
  std::string url = "/media/" + UrlEncode(run) + "/" + UrlEncode(file);
  std::string type = MediaContentType(file);
  std::string element;
  if (type.starts_with("video/")) {
    element = "<video controls src=\"" + url + "\"></video>";
  } else if (type.starts_with("audio/")) {
    element = "<audio controls src=\"" + url + "\"></audio>";
  } else {
    element = "<img alt=\"media output\" src=\"" + url + "\">";
  }
  return "<section id=\"media\"><h2>Media</h2>" + element + "</section>\n";
}

}  // namespace

std::string ItemSectionsHtml(const StoredItem& item, const ItemSectionsOptions& options) {
  std::string badge =
      options.outcome_badge ? " <span class=\"badge\">" + OutcomeText(item.result) + "</span>" : "";
  std::string html =
      "<section><h2>Conversation</h2><div id=\"conversation\">" +
      ConversationTurnsHtml(item.prompt) + "</div></section>\n<section><h2>Response" + badge +
      "</h2><div id=\"response\">" + ResponseTextHtml(item.result) + "</div></section>\n";
  if (!options.media_run.empty() && item.result)
    html += MediaSectionHtml(options.media_run, *item.result);
  return html;
}

std::string ConversationTurnsHtml(const Prompt& prompt) {
  std::string html;
  if (!prompt.system.empty()) html += TurnHtml("system", prompt.system, {});
  for (const Turn& turn : prompt.turns) html += TurnHtml(turn.role, turn.content, turn.tool_calls);
  return html;
}

std::string ResponseTextHtml(const std::optional<ItemResult>& result) {
  if (!result) return "<p class=\"muted\">No response yet.</p>";
  if (result->outcome == Outcome::kModelError) {
    return "<p class=\"muted\">The model failed: " + Text(result->error) + "</p>";
  }
  std::string html;
  if (!result->response.empty() || result->tool_calls.empty()) {
    html += "<pre>" + Text(result->response) + "</pre>";
  }
  if (!result->media_path.empty()) {
    html += "<p class=\"muted\">Media output: " + Text(result->media_path) + "</p>";
  }
  return html + ToolCallsHtml(result->tool_calls);
}

std::string OutcomeText(const std::optional<ItemResult>& result) {
  return result ? std::string(Name(result->outcome)) : "pending";
}

std::string MediaContentType(const std::string& file) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".png", "image/png"},   {".jpg", "image/jpeg"},  {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},   {".webp", "image/webp"}, {".mp4", "video/mp4"},
      {".webm", "video/webm"}, {".wav", "audio/wav"},   {".mp3", "audio/mpeg"},
      {".ogg", "audio/ogg"}};
  std::string ext = std::filesystem::path(file).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [e, type] : kTypes)
    if (ext == e) return std::string(type);
  return "application/octet-stream";
}

}  // namespace safeval
