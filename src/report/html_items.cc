// The report's list of notable items: what was asked, what came back, and why it matters.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "report/html_parts.h"
#include "report/item_kind.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr std::array<std::pair<ItemKind, std::string_view>, 3> kKindTitles = {{
    {ItemKind::kOverDeflection, "Over-deflections"},
    {ItemKind::kUndetermined, "Undetermined"},
    {ItemKind::kError, "Errors"},
}};

bool IsCharBoundary(std::string_view text, size_t offset) {
  return offset == text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
}

// True when the evidence span lies inside `text` on UTF-8 character boundaries.
bool IsUsableSpan(std::string_view text, const Evidence& e) {
  return e.start < e.end && e.end <= text.size() && IsCharBoundary(text, e.start) &&
         IsCharBoundary(text, e.end);
}

// The response with evidence spans wrapped in <mark>; overlapping or malformed spans
// are left unmarked rather than guessed at.
std::string HighlightedResponse(std::string_view response, std::vector<Evidence> evidence) {
  std::sort(evidence.begin(), evidence.end(), [](const Evidence& a, const Evidence& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  std::string html;
  size_t cursor = 0;
  for (const Evidence& e : evidence) {
    if (!IsUsableSpan(response, e) || e.start < cursor) continue;
    html += HtmlText(response.substr(cursor, e.start - cursor));
    html += "<mark title=\"" + HtmlText(e.cue) + "\">" +
            HtmlText(response.substr(e.start, e.end - e.start)) + "</mark>";
    cursor = e.end;
  }
  return html + HtmlText(response.substr(cursor));
}

std::string Tag(std::string_view css_class, std::string_view text) {
  return "<span class=\"" + std::string(css_class) + "\">" + HtmlText(text) + "</span>";
}

std::string ItemHead(const ReportItem& item, const Taxonomy& taxonomy) {
  const Prompt& p = item.prompt;
  std::string html = "<div class=\"item-head\"><code>" + HtmlText(p.id) + "</code>";
  if (!p.category.empty()) html += Tag("tag", HazardLabel(taxonomy, p.category.str()));
  html += Tag("tag", Name(p.intent));
  if (p.persona) html += Tag("tag", Name(*p.persona));
  if (const Verdict* v = item.deciding()) {
    html += Tag("badge cls", Name(v->cls));
    if (v->violation) html += Tag("badge bad", "violation");
  } else {
    html += Tag(KindOf(item) == ItemKind::kError ? "badge err" : "badge",
                item.pending ? "pending" : Name(item.outcome));
  }
  return html + "</div>";
}

std::string ItemMeta(const ReportItem& item) {
  const Prompt& p = item.prompt;
  std::vector<std::string> parts;
  if (!p.techniques.empty()) {
    std::string chain;
    for (const std::string& t : p.techniques) chain += (chain.empty() ? "" : " \u2192 ") + t;
    parts.push_back("techniques: " + chain);
  }
  if (!p.parent_id.empty()) parts.push_back("derived from " + p.parent_id);
  const Verdict* v = item.deciding();
  if (v != nullptr && !v->judge.empty()) {
    std::string judge = "judge " + v->judge;
    if (!v->judge_version.empty()) judge += " (" + v->judge_version + ")";
    parts.push_back(judge + ", confidence " + FormatFixed(v->confidence, 2));
  }
  if (v != nullptr && v->quality) parts.push_back("quality " + std::to_string(*v->quality) + "/5");
  if (parts.empty()) return "";
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : " \u00b7 ") + part;
  return "<div class=\"item-meta\">" + HtmlText(text) + "</div>";
}

std::string Message(std::string_view css_class, std::string_view role,
                    const std::string& body_html) {
  return "<div class=\"" + std::string(css_class) + "\"><span class=\"role\">" + HtmlText(role) +
         "</span><pre>" + body_html + "</pre></div>";
}

std::string EvidenceList(const ReportItem& item, const Verdict& verdict) {
  if (verdict.evidence.empty()) return "";
  std::string html = "<ul class=\"evidence\">";
  for (const Evidence& e : verdict.evidence) {
    html += "<li><code>" + HtmlText(e.cue) + "</code>";
    if (IsUsableSpan(item.response, e)) {
      html += " \u201c" +
              HtmlText(std::string_view(item.response).substr(e.start, e.end - e.start)) + "\u201d";
    }
    html += "</li>";
  }
  return html + "</ul>";
}

// Tool calls as plain lines under a message: "[tool call] name {arguments}".
std::string ToolCallsHtml(const std::vector<ToolCall>& calls) {
  std::string html;
  for (const ToolCall& call : calls)
    html += "\n<b>[tool call]</b> " + HtmlText(call.name) + " " + HtmlText(call.arguments_json);
  return html;
}

// What the deterministic checks found (leak, forbidden tool call, missed distress).
std::string FindingsHtml(const Findings& findings) {
  if (findings.details.empty()) return "";
  std::string html = "<ul class=\"evidence\">";
  for (const std::string& detail : findings.details) html += "<li>" + HtmlText(detail) + "</li>";
  return html + "</ul>";
}

std::string ItemHtml(const ReportItem& item, const Taxonomy& taxonomy) {
  std::string html = "<article class=\"item\">" + ItemHead(item, taxonomy) + ItemMeta(item);
  if (!item.prompt.system.empty()) html += Message("msg", "system", HtmlText(item.prompt.system));
  for (const Turn& turn : item.prompt.turns)
    html += Message("msg", turn.role, HtmlText(turn.content) + ToolCallsHtml(turn.tool_calls));
  const Verdict* v = item.deciding();
  if (!item.response.empty() || v != nullptr || !item.tool_calls.empty()) {
    std::vector<Evidence> evidence = v ? v->evidence : std::vector<Evidence>{};
    html += Message("msg response", "response",
                    HighlightedResponse(item.response, evidence) + ToolCallsHtml(item.tool_calls));
  }
  html += FindingsHtml(item.findings);
  if (!item.error.empty()) html += "<p class=\"error\">error: " + HtmlText(item.error) + "</p>";
  if (v != nullptr && !v->rationale.empty()) {
    html += "<p class=\"rationale\"><b>Rationale:</b> " + HtmlText(v->rationale) + "</p>";
  }
  if (v != nullptr) html += EvidenceList(item, *v);
  return html + "</article>";
}

}  // namespace

std::string NotableItemsHtml(const ReportData& data, const Taxonomy& taxonomy) {
  std::string html;
  for (const auto& [kind, title] : kKindTitles) {
    const ItemSample& all = NotableSample(data.digest, kind);
    if (all.count == 0) continue;
    std::vector<size_t> sample = Shown(all, kNotableShown);
    html += "<h3>" + std::string(title) + " (" + WithThousands(all.count) + ")</h3>";
    if (static_cast<int64_t>(sample.size()) < all.count) {
      html += "<p class=\"note\">showing " + WithThousands(static_cast<int64_t>(sample.size())) +
              " of " + WithThousands(all.count) + ", evenly spread over the run</p>";
    }
    for (size_t i : sample)
      if (i < data.items.size()) html += ItemHtml(data.items[i], taxonomy);
  }
  if (html.empty()) {
    return "<p class=\"note\">Nothing to show: no over-deflections, undetermined items or "
           "errors.</p>";
  }
  return html;
}

}  // namespace safeval
