// GET /annotate, GET /annotate/{round}, POST /annotate/{round}/{index} (docs/web-ui.md): an
// annotator's rounds, the next item of their queue with the label form, and saving a label
// (which republishes the round's gold labels as verdicts of judge "human").
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

std::string RoundUrl(const std::string& round) { return "/annotate/" + UrlEncode(round); }

// A 400 page for a label that cannot be shown again with its form.
WebResponse LabelErrorPage(const PageContext& context, const std::string& round,
                           const std::string& message) {
  return FormErrorPage(context, "Label not saved", message, RoundUrl(round), "Back to the round");
}

std::string ProgressHtml(const AnnotatorQueue& queue) {
  return "<p id=\"round-progress\" data-done=\"" + std::to_string(queue.done) + "\" data-total=\"" +
         std::to_string(queue.total()) + "\">You have labelled " + std::to_string(queue.done) +
         " of " + std::to_string(queue.total()) + "</p>\n";
}

std::string ShortcutsHtml() {
  return "<p class=\"muted\">Keyboard: press <kbd>?</kbd> to show or hide the shortcuts.</p>\n"
         "<section id=\"shortcuts\" hidden><h2>Keyboard shortcuts</h2><dl>"
         "<dt><kbd>c</kbd> <kbd>p</kbd> <kbd>r</kbd> <kbd>d</kbd> <kbd>h</kbd></dt>"
         "<dd>class: complies_harmful, partial, refuses, deflects, helpful (also sets the "
         "violation the policy gives that class)</dd>"
         "<dt><kbd>y</kbd> <kbd>n</kbd></dt><dd>violation yes / no</dd>"
         "<dt><kbd>1</kbd>&ndash;<kbd>5</kbd></dt><dd>quality</dd>"
         "<dt><kbd>Enter</kbd></dt><dd>save</dd>"
         "<dt><kbd>Ctrl</kbd>+<kbd>Enter</kbd></dt><dd>save while typing in the note</dd>"
         "<dt><kbd>?</kbd></dt><dd>show or hide this list</dd>"
         "</dl><p class=\"muted\">Keys other than Ctrl+Enter are ignored while typing in the "
         "note.</p></section>\n";
}

// The labelling page for item `index` of `round` (which must be in the round).
WebResponse LabelPage(PageContext& context, const AnnotationRound& round,
                      const AnnotatorQueue& queue, int64_t index, const LabelFormValues& values,
                      const std::string& error) {
  Result<RunRecord> run = context.runs.GetRun(round.run_id);
  if (!run.ok()) return StatusErrorPage(context, run.status());
  Result<std::map<int64_t, StoredItem>> items =
      LoadItemsWithResults(context.runs, round.run_id, {index});
  if (!items.ok()) return StatusErrorPage(context, items.status());
  auto item = items->find(index);
  if (item == items->end()) {
    return ErrorPage(context, 404,
                     "item " + std::to_string(index) + " is not in run '" + round.run_id + "'");
  }
  const Prompt& prompt = item->second.prompt;
  ViolationByClass violation_of = ViolationsFor(RunPolicy(*run, context.taxonomy), prompt);

  std::string body = "<h1>Round " + HtmlEscape(round.name) + "</h1>\n" + ProgressHtml(queue);
  body += "<p class=\"item-meta\">Item <code id=\"item-id\">" + HtmlEscape(prompt.id) +
          "</code> &middot; " + HtmlEscape(std::string(Name(prompt.intent))) + " &middot; " +
          HtmlEscape(prompt.category.str()) + " &middot; <a href=\"/runs/" +
          UrlEncode(round.run_id) + "/items/" + std::to_string(index) +
          "\">everything about this item</a></p>\n";
  if (!error.empty())
    body += "<p id=\"form-error\" class=\"error\">" + HtmlEscape(error) + "</p>\n";
  body += ItemSectionsHtml(item->second);
  body +=
      "<form id=\"label-form\" method=\"post\" action=\"" + RoundUrl(round.name) + "/" +
      std::to_string(index) + "\">\n" + LabelFieldsHtml("", values, violation_of, true) +
      CsrfField(context) +
      "<p><button type=\"submit\" id=\"save-label\">Save <kbd>Enter</kbd></button></p></form>\n";
  body += ShortcutsHtml();
  body += "<script src=\"/static/annotate.js\" defer></script>\n";
  WebResponse response = HtmlPage(context, "Label: " + round.name, std::move(body));
  if (!error.empty()) response.status = 400;
  return response;
}

WebResponse QueueDonePage(PageContext& context, const AnnotationRound& round,
                          const AnnotatorQueue& queue) {
  std::string body = "<h1>Round " + HtmlEscape(round.name) + "</h1>\n" + ProgressHtml(queue);
  body +=
      "<p id=\"queue-done\">Nothing is left for you in this round: every item has your label "
      "or enough labels from others. Thank you!</p>\n";
  body += "<p><a href=\"/annotate\">Your rounds</a> &middot; <a href=\"/rounds/" +
          UrlEncode(round.name) + "\">the round's agreement</a></p>\n";
  return HtmlPage(context, "Round " + round.name, std::move(body));
}

std::string MyRoundRow(const AnnotationRound& round, const std::vector<AnnotationLabel>& labels,
                       const std::string& annotator) {
  AnnotatorQueue queue = QueueOf(round, labels, annotator);
  std::string name = HtmlEscape(round.name);
  std::string done = std::to_string(queue.done), left = std::to_string(queue.remaining);
  std::string all = std::to_string(labels.size());
  return "<tr data-round=\"" + name + "\" data-done=\"" + done + "\" data-remaining=\"" + left +
         "\" data-labels=\"" + all + "\"><td><a href=\"" + RoundUrl(round.name) + "\">" + name +
         "</a></td><td><a href=\"/runs/" + UrlEncode(round.run_id) + "\">" +
         HtmlEscape(round.run_id) + "</a></td><td class=\"num\">" +
         std::to_string(round.items.size()) + "</td><td class=\"num\">" +
         std::to_string(round.overlap) + "</td><td class=\"num\">" + done +
         "</td><td class=\"num\">" + left + "</td><td class=\"num\">" + all +
         "</td><td><a href=\"/rounds/" + UrlEncode(round.name) + "\">agreement</a></td></tr>\n";
}

}  // namespace

WebResponse AnnotateHomePage(PageContext& context, const WebRequest&, const PathParams&) {
  if (!context.session) return Redirect("/login");
  Result<std::vector<AnnotationRound>> rounds = context.annotations.ListRounds();
  if (!rounds.ok()) return StatusErrorPage(context, rounds.status());
  std::string rows;
  for (const AnnotationRound& round : *rounds) {
    Result<std::vector<AnnotationLabel>> labels = context.annotations.LoadLabels(round.name);
    if (!labels.ok()) return StatusErrorPage(context, labels.status());
    rows += MyRoundRow(round, *labels, context.session->annotator);
  }
  if (rounds->empty()) {
    rows =
        "<tr><td colspan=\"8\" class=\"muted\">No rounds yet: <code>safeval annotate create "
        "RUN --sample borderline --n 50 --overlap 2 --name ROUND</code> makes one.</td></tr>\n";
  }
  std::string body = "<h1>Your rounds, " + HtmlEscape(context.session->annotator) + "</h1>\n";
  body +=
      "<table id=\"my-rounds\"><thead><tr><th>Round</th><th>Run</th><th>Items</th>"
      "<th>Overlap</th><th>You labelled</th><th>Left for you</th><th>Labels (everyone)</th>"
      "<th></th></tr></thead><tbody>\n" +
      rows + "</tbody></table>\n";
  if (context.session->adjudicator) {
    body +=
        "<p class=\"muted\">As an adjudicator you decide disagreements from each round's "
        "agreement page.</p>\n";
  }
  return HtmlPage(context, "Annotate", std::move(body));
}

WebResponse AnnotateNextPage(PageContext& context, const WebRequest&, const PathParams& params) {
  if (!context.session) return Redirect("/login");
  Result<AnnotationRound> round = context.annotations.GetRound(params.at(0));
  if (!round.ok()) return StatusErrorPage(context, round.status());
  Result<std::vector<AnnotationLabel>> labels = context.annotations.LoadLabels(round->name);
  if (!labels.ok()) return StatusErrorPage(context, labels.status());
  AnnotatorQueue queue = QueueOf(*round, *labels, context.session->annotator);
  if (!queue.next) return QueueDonePage(context, *round, queue);
  return LabelPage(context, *round, queue, *queue.next, LabelFormValues{}, "");
}

WebResponse AnnotateLabelPost(PageContext& context, const WebRequest& request,
                              const PathParams& params) {
  if (!context.session) return ErrorPage(context, 403, "log in to label");
  const std::string& round_name = params.at(0);
  std::optional<int64_t> index = ParseItemIndex(params.at(1));
  if (!index)
    return LabelErrorPage(context, round_name, "'" + params.at(1) + "' is not an item index");
  Result<AnnotationRound> round = context.annotations.GetRound(round_name);
  if (!round.ok()) return StatusErrorPage(context, round.status());
  if (!InRound(*round, *index)) {
    return LabelErrorPage(
        context, round_name,
        "item " + std::to_string(*index) + " is not in round '" + round_name + "'");
  }
  Result<LabelFields> fields = ParseLabelFields(request);
  if (!fields.ok()) {
    Result<std::vector<AnnotationLabel>> labels = context.annotations.LoadLabels(round_name);
    if (!labels.ok()) return StatusErrorPage(context, labels.status());
    return LabelPage(context, *round, QueueOf(*round, *labels, context.session->annotator), *index,
                     PostedLabelValues(request), fields.status().message());
  }
  // An item that filled up meanwhile (two annotators shown it at once) still takes the label:
  // an extra label costs nothing, losing the annotator's work would.
  AnnotationLabel label;
  label.item_index = *index;
  label.annotator = context.session->annotator;
  label.cls = fields->cls;
  label.violation = fields->violation;
  label.quality = fields->quality;
  label.note = fields->note;
  label.labelled_at = context.now_iso();
  Status saved = context.annotations.SaveLabels(round_name, {label});
  if (!saved.ok()) {
    if (saved.code() == StatusCode::kInvalidArgument) {
      return LabelErrorPage(context, round_name, saved.message());
    }
    return StatusErrorPage(context, saved);
  }
  Result<int64_t> published = PublishGoldVerdicts(context.runs, context.annotations, round_name);
  if (!published.ok()) {
    return ErrorPage(context, 500,
                     "the label was saved, but the gold labels were not published: " +
                         published.status().message());
  }
  return Redirect(RoundUrl(round_name));
}

}  // namespace safeval
