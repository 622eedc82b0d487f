// The item browser (/runs/{run}/items), one item (/runs/{run}/items/{index}) and the run's saved
// media (/media/{run}/{file}). Items are streamed from the store (Store::ScanItems): the browser
// keeps only the page it shows, however large the run. One item is looked up by its index
// (Store::GetItem), not scanned for.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>

#include "core/annotation.h"
#include "core/utf8.h"
#include "report/report.h"
#include "server/item_text_html.h"
#include "server/label_form.h"
#include "server/page_layout.h"
#include "server/pages.h"

namespace safeval {
namespace {

constexpr int64_t kItemsPerPage = 50;
constexpr size_t kExcerptBytes = 160;

std::string Text(const std::string& text) { return HtmlEscape(SanitizeUtf8(text)); }

std::string LowerAscii(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ContainsFolded(const std::string& haystack, const std::string& lower_needle) {
  auto it =
      std::search(haystack.begin(), haystack.end(), lower_needle.begin(), lower_needle.end(),
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return it != haystack.end();
}

// The browser's filters (docs/web-ui.md); an empty field filters nothing.
struct ItemFilters {
  std::string category;   // a path prefix: "ncr" matches "ncr/fraud/phishing"
  std::string intent;     // safe | harmful | adversarial
  std::string technique;  // one of the prompt's techniques
  std::string cls;        // the deciding verdict's class
  std::string violation;  // yes | no (the deciding verdict)
  bool disagree = false;  // two verdicts differ in class or violation
  std::string q;          // lower-cased; in a turn of the prompt or the response
  int64_t page = 1;

  static ItemFilters From(const WebRequest& request) {
    ItemFilters f;
    f.category = request.Query("category");
    f.intent = request.Query("intent");
    f.technique = request.Query("technique");
    f.cls = request.Query("class");
    f.violation = request.Query("violation");
    f.disagree = request.Query("disagree") == "1";
    f.q = LowerAscii(request.Query("q"));
    std::string page = request.Query("page");
    if (!page.empty() && page.size() < 10 &&
        std::all_of(page.begin(), page.end(), [](char c) { return c >= '0' && c <= '9'; }))
      f.page = std::max<int64_t>(1, std::stoll(page));
    return f;
  }

  // The query string of these filters at `page` ("category=ncr&page=2").
  std::string QueryString(int64_t at_page) const {
    std::string out;
    auto add = [&out](const char* name, const std::string& value) {
      if (value.empty()) return;
      out += (out.empty() ? "" : "&") + std::string(name) + "=" + UrlEncode(value);
    };
    add("category", category);
    add("intent", intent);
    add("technique", technique);
    add("class", cls);
    add("violation", violation);
    add("disagree", disagree ? "1" : "");
    add("q", q);
    add("page", at_page > 1 ? std::to_string(at_page) : "");
    return out;
  }
};

const Verdict* Deciding(const StoredItem& item) {
  if (!item.result || item.result->outcome != Outcome::kJudged || item.result->verdicts.empty())
    return nullptr;
  return &item.result->verdicts.front();
}

bool VerdictsDisagree(const StoredItem& item) {
  if (!item.result) return false;
  const std::vector<Verdict>& v = item.result->verdicts;
  for (size_t i = 1; i < v.size(); ++i)
    if (v[i].cls != v[0].cls || v[i].violation != v[0].violation) return true;
  return false;
}

bool MatchesText(const StoredItem& item, const std::string& lower_q) {
  if (lower_q.empty()) return true;
  for (const Turn& turn : item.prompt.turns)
    if (ContainsFolded(turn.content, lower_q)) return true;
  return item.result && ContainsFolded(item.result->response, lower_q);
}

bool Matches(const ItemFilters& f, const StoredItem& item) {
  const Prompt& p = item.prompt;
  if (!f.category.empty()) {
    std::string path = p.category.str();
    if (path != f.category && !path.starts_with(f.category + "/")) return false;
  }
  if (!f.intent.empty() && Name(p.intent) != f.intent) return false;
  if (!f.technique.empty() &&
      std::find(p.techniques.begin(), p.techniques.end(), f.technique) == p.techniques.end())
    return false;
  const Verdict* v = Deciding(item);
  if (!f.cls.empty() && (v == nullptr || Name(v->cls) != f.cls)) return false;
  if (f.violation == "yes" && (v == nullptr || !v->violation)) return false;
  if (f.violation == "no" && (v == nullptr || v->violation)) return false;
  if (f.disagree && !VerdictsDisagree(item)) return false;
  return MatchesText(item, f.q);
}

std::string ItemPath(const std::string& run, int64_t index) {
  return "/runs/" + UrlEncode(run) + "/items/" + std::to_string(index);
}

std::string Excerpt(const std::string& text) {
  std::string clean = SanitizeUtf8(text);
  if (clean.size() <= kExcerptBytes) return HtmlEscape(clean);
  size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80) --cut;
  return HtmlEscape(clean.substr(0, cut)) + "\u2026";
}

std::string ItemRow(const std::string& run, const StoredItem& item) {
  const Verdict* v = Deciding(item);
  std::string cls = v ? std::string(Name(v->cls)) : "";
  std::string violation = v ? (v->violation ? "yes" : "no") : "";
  return "<tr><td class=\"num\"><a href=\"" + ItemPath(run, item.index) + "\">" +
         std::to_string(item.index) + "</a></td><td><code>" + Text(item.prompt.id) +
         "</code></td><td>" + Text(item.prompt.category.str()) + "</td><td>" +
         std::string(Name(item.prompt.intent)) + "</td><td>" + OutcomeText(item.result) +
         "</td><td>" + cls + "</td><td class=\"" + (violation == "yes" ? "violation" : "") + "\">" +
         violation + "</td><td class=\"text\">" + Excerpt(item.prompt.LastUserText()) +
         "</td><td class=\"text\">" + (item.result ? Excerpt(item.result->response) : "") +
         "</td></tr>\n";
}

std::string Option(const std::string& value, const std::string& selected, std::string_view label) {
  return "<option value=\"" + HtmlEscape(value) + "\"" + (value == selected ? " selected" : "") +
         ">" + HtmlEscape(label) + "</option>";
}

std::string FiltersForm(const std::string& run, const WebRequest& request, const ItemFilters& f) {
  std::string intents = Option("", f.intent, "any intent");
  for (Intent i : kAllIntents) intents += Option(std::string(Name(i)), f.intent, Name(i));
  std::string classes = Option("", f.cls, "any class");
  for (ResponseClass c : kDecidedClasses) classes += Option(std::string(Name(c)), f.cls, Name(c));
  classes += Option("undetermined", f.cls, "undetermined");
  std::string violation = Option("", f.violation, "violation: any") +
                          Option("yes", f.violation, "violation: yes") +
                          Option("no", f.violation, "violation: no");
  auto text = [&request](const char* name, const char* placeholder) {
    return "<input type=\"text\" name=\"" + std::string(name) + "\" id=\"filter-" + name +
           "\" placeholder=\"" + placeholder + "\" value=\"" + HtmlEscape(request.Query(name)) +
           "\">";
  };
  return "<form id=\"filters\" class=\"filters\" method=\"get\" action=\"/runs/" + UrlEncode(run) +
         "/items\">" + text("category", "category, e.g. ncr/fraud") +
         "<select name=\"intent\" id=\"filter-intent\">" + intents + "</select>" +
         text("technique", "technique") + "<select name=\"class\" id=\"filter-class\">" + classes +
         "</select><select name=\"violation\" id=\"filter-violation\">" + violation +
         "</select><label><input type=\"checkbox\" name=\"disagree\" value=\"1\" "
         "id=\"filter-disagree\"" +
         (f.disagree ? " checked" : "") + "> judges disagree</label>" +
         text("q", "search prompt and response") +
         "<button type=\"submit\">Filter</button></form>\n";
}

// NotFound as a 404 page, anything else as a 500 page.
WebResponse StatusPage(PageContext& context, const Status& status) {
  return ErrorPage(context, status.code() == StatusCode::kNotFound ? 404 : 500, status.message());
}

std::string EvidenceHtml(const Verdict& v, const std::string& response) {
  std::string html;
  for (const Evidence& e : v.evidence) {
    std::string span;
    if (e.start <= e.end && e.end <= response.size())
      span = response.substr(e.start, e.end - e.start);
    html += "<div class=\"evidence\"><code>" + Text(e.cue) + "</code> " +
            (span.empty() ? "" : "<q>" + Text(span) + "</q>") + "</div>";
  }
  return html;
}

std::string VerdictsHtml(const StoredItem& item) {
  std::string html =
      "<table id=\"verdicts\"><thead><tr><th>Judge</th><th>Class</th><th>Violation</th>"
      "<th class=\"num\">Confidence</th><th class=\"num\">Quality</th><th>Rationale</th>"
      "<th>Evidence</th></tr></thead><tbody>";
  if (item.result) {
    for (const Verdict& v : item.result->verdicts) {
      char confidence[16];
      std::snprintf(confidence, sizeof confidence, "%.2f", v.confidence);
      html += "<tr><td><code>" + Text(v.judge) + "</code><div class=\"muted\">" +
              Text(v.judge_version) + "</div></td><td>" + std::string(Name(v.cls)) + "</td><td>" +
              (v.violation ? "<b class=\"violation\">yes</b>" : "no") + "</td><td class=\"num\">" +
              confidence + "</td><td class=\"num\">" +
              (v.quality ? std::to_string(*v.quality) : "\u2013") + "</td><td class=\"text\">" +
              Text(v.rationale) + "</td><td class=\"text\">" +
              EvidenceHtml(v, item.result->response) + "</td></tr>\n";
    }
  }
  return html + "</tbody></table>\n";
}

std::string LabelRow(const std::string& round, const std::string& who, ResponseClass cls,
                     bool violation, const std::optional<int>& quality, const std::string& note,
                     const char* css) {
  return "<tr class=\"" + std::string(css) + "\"><td>" + Text(round) + "</td><td>" + Text(who) +
         "</td><td>" + std::string(Name(cls)) + "</td><td>" + (violation ? "yes" : "no") +
         "</td><td class=\"num\">" + (quality ? std::to_string(*quality) : "\u2013") +
         "</td><td class=\"text\">" + Text(note) + "</td></tr>\n";
}

// Every round of the run that has the item: its labels, then its gold label when there is one.
Result<std::string> HumanLabelsHtml(AnnotationStore& annotations, const std::string& run,
                                    int64_t index) {
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationRound> rounds, annotations.ListRounds());
  std::string rows;
  for (const AnnotationRound& round : rounds) {
    if (round.run_id != run ||
        std::find(round.items.begin(), round.items.end(), index) == round.items.end())
      continue;
    SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, annotations.LoadLabels(round.name));
    SV_ASSIGN_OR_RETURN(std::vector<Adjudication> decisions,
                        annotations.LoadAdjudications(round.name));
    for (const AnnotationLabel& l : labels) {
      if (l.item_index == index)
        rows += LabelRow(round.name, l.annotator, l.cls, l.violation, l.quality, l.note, "label");
    }
    for (const GoldLabel& g : GoldLabels(round, labels, decisions)) {
      if (g.item_index == index)
        rows += LabelRow(round.name, "gold", g.cls, g.violation, g.quality, g.note, "gold");
    }
  }
  std::string html =
      "<table id=\"human-labels\"><thead><tr><th>Round</th><th>Annotator</th><th>Class</th>"
      "<th>Violation</th><th class=\"num\">Quality</th><th>Note</th></tr></thead><tbody>" +
      rows + "</tbody></table>\n";
  if (rows.empty()) html += "<p class=\"note\">No human labels of this item yet.</p>\n";
  return html;
}

std::string PromptFacts(const Prompt& p) {
  std::string techniques;
  for (const std::string& t : p.techniques) techniques += (techniques.empty() ? "" : ", ") + t;
  auto fact = [](const char* label, const std::string& value) {
    return value.empty()
               ? std::string()
               : "<div><dt>" + std::string(label) + "</dt><dd>" + Text(value) + "</dd></div>";
  };
  return "<dl class=\"meta\">" + fact("prompt id", p.id) + fact("category", p.category.str()) +
         fact("intent", std::string(Name(p.intent))) + fact("techniques", techniques) +
         fact("parent", p.parent_id) + fact("locale", p.locale) + fact("group", p.group) +
         "</dl>\n";
}

}  // namespace

WebResponse ItemsPage(PageContext& context, const WebRequest& request, const PathParams& params) {
  const std::string& run_id = params.at(0);
  Result<RunRecord> run = context.runs.GetRun(run_id);
  if (!run.ok()) return StatusPage(context, run.status());
  ItemFilters f = ItemFilters::From(request);
  const int64_t first = (f.page - 1) * kItemsPerPage;
  int64_t matched = 0;
  std::string rows;
  Status scanned = context.runs.ScanItems(run_id, [&](StoredItem&& item) {
    if (!Matches(f, item)) return Status::Ok();
    if (matched >= first && matched < first + kItemsPerPage) rows += ItemRow(run_id, item);
    ++matched;
    return Status::Ok();
  });
  if (!scanned.ok()) return StatusPage(context, scanned);
  std::string base = "/runs/" + UrlEncode(run_id) + "/items";
  auto link = [&](int64_t page) {
    std::string query = f.QueryString(page);
    return HtmlEscape(base + (query.empty() ? "" : "?" + query));
  };
  std::string body = "<p class=\"crumbs\"><a href=\"/runs/" + UrlEncode(run_id) + "\">Run <code>" +
                     Text(run_id) + "</code></a></p><h1>Items</h1>" +
                     FiltersForm(run_id, request, f) + "<p id=\"items-count\" data-count=\"" +
                     std::to_string(matched) + "\">" + std::to_string(matched) +
                     (matched == 1 ? " item matches" : " items match") + "</p>";
  body +=
      "<table id=\"items\" class=\"items\"><thead><tr><th class=\"num\">#</th><th>Prompt id</th>"
      "<th>Category</th><th>Intent</th><th>Outcome</th><th>Class</th><th>Violation</th>"
      "<th>Prompt</th><th>Response</th></tr></thead><tbody>" +
      rows + "</tbody></table><nav class=\"pages\">";
  if (f.page > 1)
    body += "<a id=\"prev-page\" href=\"" + link(f.page - 1) + "\">\u2190 Previous</a>";
  int64_t pages = std::max<int64_t>(1, (matched + kItemsPerPage - 1) / kItemsPerPage);
  body += "<span>page " + std::to_string(f.page) + " of " + std::to_string(pages) + "</span>";
  if (first + kItemsPerPage < matched)
    body += "<a id=\"next-page\" href=\"" + link(f.page + 1) + "\">Next \u2192</a>";
  body += "</nav>";
  return HtmlPage(context, "Items of " + run_id, std::move(body));
}

WebResponse ItemPage(PageContext& context, const WebRequest&, const PathParams& params) {
  const std::string& run_id = params.at(0);
  Result<RunRecord> run = context.runs.GetRun(run_id);
  if (!run.ok()) return StatusPage(context, run.status());
  std::optional<int64_t> index = ParseItemIndex(params.at(1));
  if (!index) return ErrorPage(context, 404, "no item '" + params.at(1) + "' in run " + run_id);
  Result<std::optional<StoredItem>> found = context.runs.GetItem(run_id, *index);
  if (!found.ok()) return StatusPage(context, found.status());
  if (!*found) return ErrorPage(context, 404, "no item " + params.at(1) + " in run " + run_id);
  const StoredItem& item = **found;
  Result<std::string> labels = HumanLabelsHtml(context.annotations, run_id, *index);
  if (!labels.ok()) return StatusPage(context, labels.status());
  std::string body = "<p class=\"crumbs\"><a href=\"/runs/" + UrlEncode(run_id) + "\">Run <code>" +
                     Text(run_id) + "</code></a> \u203a <a href=\"/runs/" + UrlEncode(run_id) +
                     "/items\">Items</a></p><h1>Item " + std::to_string(item.index) + " <code>" +
                     Text(item.prompt.id) + "</code></h1>" + PromptFacts(item.prompt) +
                     ItemSectionsHtml(item, {.outcome_badge = true, .media_run = run_id});
  body += "<section><h2>Verdicts</h2>" + VerdictsHtml(item) + "</section>";
  body += "<section><h2>Human labels</h2>" + *labels + "</section>";
  return HtmlPage(context, "Item " + std::to_string(item.index), std::move(body));
}

WebResponse MediaFile(PageContext& context, const WebRequest&, const PathParams& params) {
  namespace fs = std::filesystem;
  Result<RunRecord> run = context.runs.GetRun(params.at(0));
  if (!run.ok()) return StatusPage(context, run.status());
  const std::string& file = params.at(1);
  // One plain file name: no separators, no "." or "..", nothing hidden.
  if (file.empty() || file.front() == '.' || file.find('/') != std::string::npos ||
      file.find('\\') != std::string::npos || file.find('\0') != std::string::npos)
    return ErrorPage(context, 404, "no media file '" + file + "'");
  // Saved media live in the run folder's artifacts/ (run/media_files.h); media/ is accepted too.
  for (const char* folder : {"media", "artifacts"}) {
    std::error_code ec;
    fs::path dir = fs::canonical(fs::path(run->output_dir) / folder, ec);
    // The folder itself must not be a link out of the run folder either.
    if (ec || dir != fs::canonical(run->output_dir, ec) / folder || ec) continue;
    fs::path path = fs::canonical(dir / file, ec);  // resolves symlinks
    if (ec || path.parent_path() != dir || !fs::is_regular_file(path, ec)) continue;
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    WebResponse response;
    response.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    response.content_type = MediaContentType(file);
    if (response.content_type == "application/octet-stream")
      response.headers.emplace_back("Content-Disposition", "attachment");
    return response;
  }
  return ErrorPage(context, 404, "no media file '" + file + "' in run " + run->id);
}

}  // namespace safeval
