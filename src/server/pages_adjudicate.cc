// GET /rounds/{round}/adjudicate and POST /rounds/{round}/adjudicate/{index} (adjudicators
// only) — docs/web-ui.md: every item of the round whose labels disagree, its labels side by
// side and a form to decide it; a decision becomes the item's gold label, published as a
// verdict of judge "human" (PublishGoldVerdicts).
#include <map>
#include <set>
#include <string>

#include "report/report.h"
#include "server/annotation_page_parts.h"
#include "server/item_text_html.h"
#include "server/label_form.h"
#include "server/page_layout.h"
#include "server/pages.h"
#include "server/round_data.h"
#include "server/web_request.h"

namespace safeval {
namespace {

std::string AdjudicatePath(const std::string& round) {
  return "/rounds/" + UrlEncode(round) + "/adjudicate";
}

std::string LabelsTableHtml(const std::vector<AnnotationLabel>& labels) {
  std::string html =
      "<table class=\"item-labels\"><thead><tr><th>Annotator</th><th>Class</th><th>Violation</th>"
      "<th>Quality</th><th>Note</th></tr></thead><tbody>\n";
  for (const AnnotationLabel& l : labels) {
    html += "<tr><td>" + HtmlEscape(l.annotator) + "</td><td>" +
            HtmlEscape(std::string(Name(l.cls))) + "</td><td>" + (l.violation ? "yes" : "no") +
            "</td><td class=\"num\">" + (l.quality ? std::to_string(*l.quality) : "") +
            "</td><td>" + HtmlEscape(l.note) + "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

LabelFormValues ValuesOf(const Adjudication* decided) {
  LabelFormValues values;
  if (!decided) return values;
  values.cls = decided->cls;
  values.violation = decided->violation;
  values.quality = decided->quality;
  values.note = decided->note;
  return values;
}

std::string DecisionHtml(const Adjudication* decided) {
  if (!decided) return "<p class=\"decision muted\">Not decided yet.</p>\n";
  return "<p class=\"decision\">Decided by " + HtmlEscape(decided->adjudicator) + ": " +
         HtmlEscape(std::string(Name(decided->cls))) + ", violation " +
         (decided->violation ? "yes" : "no") + " (" + HtmlEscape(decided->decided_at) + ")</p>\n";
}

// One disagreement: the item (when the run still has it), its labels, the decision so far and
// the form deciding it (field ids prefixed "adj-<index>-": the page has one form per item).
std::string AdjudicateItemHtml(const PageContext& context, const AnnotationRound& round,
                               int64_t index, const StoredItem* item,
                               const std::vector<AnnotationLabel>& labels,
                               const Adjudication* decided, const Policy& policy) {
  std::string n = std::to_string(index);
  std::string html =
      "<article class=\"adjudicate-item\" id=\"item-" + n + "\" data-index=\"" + n + "\">";
  html += "<h2>Item <code>" + (item ? HtmlEscape(item->prompt.id) : n) +
          "</code> <a class=\"item-link\" href=\"/runs/" + UrlEncode(round.run_id) + "/items/" + n +
          "\">details</a></h2>\n";
  ViolationByClass violation_of{};
  if (item) {
    violation_of = ViolationsFor(policy, item->prompt);
    html += "<details><summary>Conversation</summary><div class=\"conversation\">" +
            ConversationTurnsHtml(item->prompt) + "</div></details>\n<div class=\"response\">" +
            ResponseTextHtml(item->result) + "</div>\n";
  }
  html += LabelsTableHtml(labels) + DecisionHtml(decided);
  html += "<form class=\"adjudicate-form\" method=\"post\" action=\"" + AdjudicatePath(round.name) +
          "/" + n + "\">\n" +
          LabelFieldsHtml("adj-" + n + "-", ValuesOf(decided), violation_of, false) +
          CsrfField(context) + "<p><button type=\"submit\">Decide</button></p></form></article>\n";
  return html;
}

WebResponse AdjudicateFormError(const PageContext& context, const std::string& round,
                                const std::string& message) {
  return FormErrorPage(context, "Decision not saved", message, AdjudicatePath(round),
                       "Back to the disagreements");
}

bool IsAdjudicator(const PageContext& context) {
  return context.session && context.session->adjudicator;
}

}  // namespace

WebResponse AdjudicatePage(PageContext& context, const WebRequest&, const PathParams& params) {
  if (!IsAdjudicator(context)) return ErrorPage(context, 403, "only an adjudicator may do this");
  Result<RoundState> state = LoadRoundState(context.annotations, params.at(0));
  if (!state.ok()) return StatusErrorPage(context, state.status());
  const AnnotationRound& r = state->round;
  std::map<int64_t, std::vector<AnnotationLabel>> by_item = LabelsByItem(state->labels);
  std::vector<int64_t> disagreeing;
  for (int64_t index : r.items) {
    auto it = by_item.find(index);
    if (it != by_item.end() && LabelsDisagree(it->second)) disagreeing.push_back(index);
  }
  Result<RunRecord> run = context.runs.GetRun(r.run_id);
  if (!run.ok()) return StatusErrorPage(context, run.status());
  Result<std::map<int64_t, StoredItem>> items = LoadItemsWithResults(
      context.runs, r.run_id, std::set<int64_t>(disagreeing.begin(), disagreeing.end()));
  if (!items.ok()) return StatusErrorPage(context, items.status());
  Policy policy = RunPolicy(*run, context.taxonomy);
  std::map<int64_t, const Adjudication*> decided;
  for (const Adjudication& a : state->adjudications) decided[a.item_index] = &a;

  int64_t decided_count = 0;
  std::string articles;
  for (int64_t index : disagreeing) {
    auto item = items->find(index);
    auto decision = decided.find(index);
    const Adjudication* adjudication = decision == decided.end() ? nullptr : decision->second;
    if (adjudication) ++decided_count;
    articles +=
        AdjudicateItemHtml(context, r, index, item == items->end() ? nullptr : &item->second,
                           by_item[index], adjudication, policy);
  }
  std::string body = "<h1>Disagreements in round " + HtmlEscape(r.name) + "</h1>\n";
  body += "<p id=\"adjudicate-count\" data-items=\"" + std::to_string(disagreeing.size()) +
          "\" data-decided=\"" + std::to_string(decided_count) + "\">" +
          std::to_string(disagreeing.size()) + " item(s) whose labels disagree, " +
          std::to_string(decided_count) +
          " decided. A decision becomes the item's gold label.</p>\n";
  if (disagreeing.empty()) {
    body += "<p id=\"no-disagreements\">No item's labels disagree.</p>\n";
  }
  body +=
      articles + "<p><a href=\"/rounds/" + UrlEncode(r.name) + "\">Back to the agreement</a></p>\n";
  return HtmlPage(context, "Adjudicate " + r.name, std::move(body));
}

WebResponse AdjudicatePost(PageContext& context, const WebRequest& request,
                           const PathParams& params) {
  if (!IsAdjudicator(context)) return ErrorPage(context, 403, "only an adjudicator may do this");
  const std::string& round_name = params.at(0);
  std::optional<int64_t> index = ParseItemIndex(params.at(1));
  if (!index) {
    return AdjudicateFormError(context, round_name, "'" + params.at(1) + "' is not an item index");
  }
  Result<AnnotationRound> round = context.annotations.GetRound(round_name);
  if (!round.ok()) return StatusErrorPage(context, round.status());
  if (!InRound(*round, *index)) {
    return AdjudicateFormError(
        context, round_name,
        "item " + std::to_string(*index) + " is not in round '" + round_name + "'");
  }
  Result<LabelFields> fields = ParseLabelFields(request);
  if (!fields.ok()) return AdjudicateFormError(context, round_name, fields.status().message());
  Adjudication decision;
  decision.item_index = *index;
  decision.adjudicator = context.session->annotator;
  decision.cls = fields->cls;
  decision.violation = fields->violation;
  decision.quality = fields->quality;
  decision.note = fields->note;
  decision.decided_at = context.now_iso();
  Status saved = context.annotations.SaveAdjudication(round_name, decision);
  if (!saved.ok()) {
    if (saved.code() == StatusCode::kInvalidArgument) {
      return AdjudicateFormError(context, round_name, saved.message());
    }
    return StatusErrorPage(context, saved);
  }
  Result<int64_t> published = PublishGoldVerdicts(context.runs, context.annotations, round_name);
  if (!published.ok()) {
    return ErrorPage(context, 500,
                     "the decision was saved, but the gold labels were not "
                     "published: " +
                         published.status().message());
  }
  return Redirect(AdjudicatePath(round_name));
}

}  // namespace safeval
