// GET /rounds, GET /rounds/{round}, GET /api/rounds/{round}/agreement (no login needed) —
// docs/web-ui.md. Agreement is measured over the annotators' classes and, separately, their
// violation yes/no (metrics/agreement.h). Adjudication: pages_adjudicate.cc.
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "report/report.h"
#include "server/annotation_page_parts.h"
#include "server/page_layout.h"
#include "server/pages.h"
#include "server/round_data.h"
#include "server/web_request.h"

namespace safeval {
namespace {

std::string RoundPath(const std::string& round) { return "/rounds/" + UrlEncode(round); }

nlohmann::json Statistic(const std::optional<double>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

std::string AgreementJson(const std::string& round, const RoundAgreement& a) {
  nlohmann::ordered_json j;
  j["round"] = round;
  j["labels"] = a.labels;
  j["items_labelled"] = a.items_labelled;
  j["fleiss_kappa"] = Statistic(a.classes.fleiss_kappa);
  j["krippendorff_alpha"] = Statistic(a.classes.krippendorff_alpha);
  j["observed"] = Statistic(a.classes.observed);
  j["violation_alpha"] = Statistic(a.violation.krippendorff_alpha);
  j["disagreements"] = a.disagreements;
  j["gold"] = a.gold;
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// Whole numbers as such, fractions to `places` decimals (coincidence counts are fractions for
// items rated three times or more).
std::string FormatCount(double value, int places = 2) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", places, value);
  return text;
}

// A statistic as web/app.js shows the JSON value when it refreshes the page (null as "–",
// whole numbers as such, fractions to 3 places), so the first paint and the refreshes agree.
std::string LiveStatistic(const std::optional<double>& value) {
  if (!value || !std::isfinite(*value)) return "\u2013";
  return FormatCount(*value == 0 ? 0.0 : *value, 3);
}

std::string Number(const std::string& id, const std::string& field, const std::string& value) {
  return "<dd id=\"" + id + "\" data-field=\"" + field + "\">" + HtmlEscape(value) + "</dd>";
}

std::string NumbersHtml(const std::string& round, const RoundAgreement& a) {
  return "<section id=\"agreement\" data-live-url=\"/api/rounds/" + UrlEncode(round) +
         "/agreement\"><dl class=\"numbers\">"
         "<dt>Labels</dt>" +
         Number("labels-count", "labels", std::to_string(a.labels)) + "<dt>Items labelled</dt>" +
         Number("items-labelled", "items_labelled", std::to_string(a.items_labelled)) +
         "<dt>Fleiss' kappa (class)</dt>" +
         Number("fleiss-kappa", "fleiss_kappa", LiveStatistic(a.classes.fleiss_kappa)) +
         "<dt>Krippendorff's alpha (class)</dt>" +
         Number("krippendorff-alpha", "krippendorff_alpha",
                LiveStatistic(a.classes.krippendorff_alpha)) +
         "<dt>Observed agreement (class)</dt>" +
         Number("observed-agreement", "observed", LiveStatistic(a.classes.observed)) +
         "<dt>Krippendorff's alpha (violation)</dt>" +
         Number("violation-alpha", "violation_alpha",
                LiveStatistic(a.violation.krippendorff_alpha)) +
         "<dt>Items whose labels disagree</dt>" +
         Number("disagreements-count", "disagreements", std::to_string(a.disagreements)) +
         "<dt>Gold labels</dt>" + Number("gold-count", "gold", std::to_string(a.gold)) +
         "</dl></section>\n";
}

std::string PairwiseHtml(const std::string& id, const AgreementReport& report) {
  std::string html =
      "<table id=\"" + id +
      "\"><thead><tr><th>Annotator</th><th>Annotator</th><th>Items both "
      "labelled</th><th>Observed</th><th>Cohen's kappa</th><th></th></tr></thead><tbody>\n";
  for (const PairAgreement& pair : report.pairs) {
    html += "<tr><td>" + HtmlEscape(pair.rater_a) + "</td><td>" + HtmlEscape(pair.rater_b) +
            "</td><td class=\"num\">" + std::to_string(pair.items) + "</td><td class=\"num\">" +
            FormatAgreement(pair.observed) + "</td><td class=\"num\">" +
            FormatAgreement(pair.kappa) + "</td><td>" +
            HtmlEscape(std::string(DescribeKappa(pair.kappa))) + "</td></tr>\n";
  }
  if (report.pairs.empty()) {
    html +=
        "<tr><td colspan=\"6\" class=\"muted\">No item has labels from two annotators yet."
        "</td></tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string CoincidenceHtml(const std::string& id, const AgreementReport& report) {
  std::string html = "<table id=\"" + id + "\"><thead><tr><th></th>";
  for (const std::string& value : report.values) html += "<th>" + HtmlEscape(value) + "</th>";
  html += "</tr></thead><tbody>\n";
  for (size_t i = 0; i < report.values.size(); ++i) {
    html += "<tr><th>" + HtmlEscape(report.values[i]) + "</th>";
    for (size_t j = 0; j < report.values.size(); ++j) {
      double count = i < report.coincidence.size() && j < report.coincidence[i].size()
                         ? report.coincidence[i][j]
                         : 0.0;
      html += std::string("<td class=\"num") + (i == j ? " diagonal" : "") + "\">" +
              FormatCount(count) + "</td>";
    }
    html += "</tr>\n";
  }
  return html + "</tbody></table>\n";
}

std::string RoundsRow(const RoundState& state) {
  RoundAgreement a = MeasureRound(state.round, state.labels, state.adjudications);
  const AnnotationRound& r = state.round;
  return "<tr data-round=\"" + HtmlEscape(r.name) + "\"><td><a href=\"" + RoundPath(r.name) +
         "\">" + HtmlEscape(r.name) + "</a></td><td><a href=\"/runs/" + UrlEncode(r.run_id) +
         "\">" + HtmlEscape(r.run_id) + "</a></td><td>" + HtmlEscape(std::string(Name(r.sample))) +
         "</td><td class=\"num\">" + std::to_string(r.overlap) + "</td><td class=\"num\">" +
         std::to_string(r.items.size()) + "</td><td class=\"num\">" + std::to_string(a.labels) +
         "</td><td class=\"num\">" + FormatAgreement(a.classes.fleiss_kappa) +
         "</td><td class=\"num\">" + FormatAgreement(a.classes.krippendorff_alpha) +
         "</td><td class=\"num\">" + std::to_string(a.disagreements) + "</td></tr>\n";
}

}  // namespace

WebResponse RoundsPage(PageContext& context, const WebRequest&, const PathParams&) {
  Result<std::vector<AnnotationRound>> rounds = context.annotations.ListRounds();
  if (!rounds.ok()) return StatusErrorPage(context, rounds.status());
  std::string rows;
  for (const AnnotationRound& round : *rounds) {
    Result<RoundState> state = LoadRoundState(context.annotations, round.name);
    if (!state.ok()) return StatusErrorPage(context, state.status());
    rows += RoundsRow(*state);
  }
  if (rounds->empty()) {
    rows =
        "<tr><td colspan=\"9\" class=\"muted\">No rounds yet: <code>safeval annotate create "
        "RUN --sample borderline --n 50 --overlap 2 --name ROUND</code> makes one.</td></tr>\n";
  }
  return HtmlPage(context, "Rounds",
                  "<h1>Annotation rounds</h1>\n<table id=\"rounds\"><thead><tr><th>Round</th>"
                  "<th>Run</th><th>Sample</th><th>Overlap</th><th>Items</th><th>Labels</th>"
                  "<th>Fleiss' kappa</th><th>Krippendorff's alpha</th><th>Disagreements</th>"
                  "</tr></thead><tbody>\n" +
                      rows + "</tbody></table>\n");
}

WebResponse RoundPage(PageContext& context, const WebRequest&, const PathParams& params) {
  Result<RoundState> state = LoadRoundState(context.annotations, params.at(0));
  if (!state.ok()) return StatusErrorPage(context, state.status());
  const AnnotationRound& r = state->round;
  RoundAgreement a = MeasureRound(r, state->labels, state->adjudications);
  std::string body = "<h1>Round " + HtmlEscape(r.name) + "</h1>\n<p>Run <a href=\"/runs/" +
                     UrlEncode(r.run_id) + "\">" + HtmlEscape(r.run_id) + "</a> &middot; " +
                     HtmlEscape(std::string(Name(r.sample))) + " sample &middot; " +
                     std::to_string(r.items.size()) + " items &middot; " +
                     std::to_string(r.overlap) + " annotator(s) per item &middot; created " +
                     HtmlEscape(r.created_at) + "</p>\n";
  body += NumbersHtml(r.name, a);
  body += "<h2>Class: Cohen's kappa per pair of annotators</h2>\n" +
          PairwiseHtml("pairwise", a.classes);
  body +=
      "<h2>Class coincidence between annotators</h2>\n<p class=\"muted\">Pairs of labels of "
      "one item by two annotators (Krippendorff's coincidences).</p>\n" +
      CoincidenceHtml("confusion", a.classes);
  body += "<h2>Violation: Cohen's kappa per pair of annotators</h2>\n" +
          PairwiseHtml("violation-pairwise", a.violation);
  body += "<h2>Violation coincidence</h2>\n" + CoincidenceHtml("violation-confusion", a.violation);
  body += "<p><a id=\"adjudicate-link\" href=\"" + RoundPath(r.name) + "/adjudicate" +
          "\">Decide the " + std::to_string(a.disagreements) + " disagreement(s)</a> (" +
          std::to_string(a.adjudicated) + " decided; adjudicators only)</p>\n";
  return HtmlPage(context, "Round " + r.name, std::move(body));
}

WebResponse RoundAgreementJson(PageContext& context, const WebRequest&, const PathParams& params) {
  Result<RoundState> state = LoadRoundState(context.annotations, params.at(0));
  if (!state.ok()) {
    nlohmann::json error = {{"error", state.status().message()}};
    return JsonResponse(error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        HttpStatusOf(state.status()));
  }
  RoundAgreement a = MeasureRound(state->round, state->labels, state->adjudications);
  return JsonResponse(AgreementJson(state->round.name, a));
}

}  // namespace safeval
