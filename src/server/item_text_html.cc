#include "server/item_text_html.h"

#include "core/utf8.h"
#include "report/report.h"

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

}  // namespace

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

}  // namespace safeval
