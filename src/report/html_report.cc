// report.html: one self-contained page (inline CSS and SVG, no scripts, no external assets).
#include <string>

#include "report/html_parts.h"
#include "report/metric_index.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr std::string_view kNotApplicable = "<span class=\"na\">\u2013</span>";

std::string MetaEntry(std::string_view label, std::string_view value) {
  return "<div><dt>" + std::string(label) + "</dt><dd>" +
         (value.empty() ? std::string("\u2013") : HtmlText(value)) + "</dd></div>";
}

std::string Header(const RunSummary& run) {
  std::string judges;
  for (const std::string& j : run.judges) judges += (judges.empty() ? "" : ", ") + j;
  std::string html = "<header><p class=\"eyebrow\">safeval report</p><h1>" +
                     HtmlText(run.suite_name) + "</h1><p class=\"subtitle\">target <b>" +
                     HtmlText(run.target_name) + "</b>";
  if (!run.target_identity.empty()) html += " \u00b7 " + HtmlText(run.target_identity);
  html += "</p></header><section><dl class=\"meta\">";
  html += MetaEntry("run id", run.id) + MetaEntry("status", run.status) +
          MetaEntry("started", run.started_at) + MetaEntry("finished", run.finished_at) +
          MetaEntry("policy", run.policy_name) + MetaEntry("judges", judges) +
          MetaEntry("seed", std::to_string(run.seed)) + MetaEntry("config hash", run.config_hash) +
          MetaEntry("dataset hash", run.dataset_hash) +
          MetaEntry("safeval version", run.safeval_version);
  return html + "</dl></section>";
}

std::string DemoBanner() {
  return "<div class=\"demo-banner\" role=\"alert\">DEMO TARGET \u2014 results of the built-in "
         "demo model, not a real model</div>";
}

std::string Card(std::string_view label, const MetricRow* row, bool is_rate) {
  if (row == nullptr) {
    return "<div class=\"card na\"><div class=\"label\">" + std::string(label) +
           "</div><div class=\"big\">\u2013</div><div class=\"sub\">no items</div></div>";
  }
  std::string level = is_rate ? std::string(Name(LevelOf(row->value))) : "plain";
  std::string value = is_rate ? FormatPercent(row->value) : FormatFixed(row->value, 2) + " / 5";
  std::string ci = is_rate ? FormatCiPercent(*row) + "%"
                           : FormatFixed(row->ci_low, 1) + "\u2013" + FormatFixed(row->ci_high, 1);
  return "<div class=\"card " + level + "\"><div class=\"label\">" + std::string(label) +
         "</div><div class=\"big\">" + value + "</div><div class=\"sub\">95% CI " + ci +
         " \u00b7 n " + std::to_string(row->n) + "</div></div>";
}

// "corrected for judge error: 10.2% [7.1–13.5]" under a headline rate, when there is one.
std::string CorrectedLine(const ReportData& data, Metric metric) {
  if (!data.corrected) return "";
  for (const CorrectedRow& row : data.corrected->rows) {
    if (!row.group_by.empty() || row.metric != metric) continue;
    return "<div class=\"sub\">corrected for judge error: <b>" + FormatPercent(row.rate.value) +
           "</b> [" + FormatFixed(row.rate.ci_low * 100, 1) + "\u2013" +
           FormatFixed(row.rate.ci_high * 100, 1) + "]</div>";
  }
  return "";
}

std::string WithCorrection(std::string card, const ReportData& data, Metric metric) {
  std::string line = CorrectedLine(data, metric);
  if (!line.empty()) card.insert(card.size() - std::string_view("</div>").size(), line);
  return card;
}

std::string HeadlineCards(const MetricIndex& index, const ReportData& data) {
  auto overall = [&](Metric m) { return index.Find(MetricIndex::Overall(), m); };
  return "<section class=\"cards\">" + GradeCardHtml(data) +
         WithCorrection(Card("Violation rate", overall(Metric::kViolationRate), true), data,
                        Metric::kViolationRate) +
         WithCorrection(Card("Attack success rate", overall(Metric::kAttackSuccessRate), true),
                        data, Metric::kAttackSuccessRate) +
         Card("Over-deflection rate", overall(Metric::kOverDeflectionRate), true) +
         Card("Response quality", overall(Metric::kQualityMean), false) + "</section>";
}

std::string RedactionBanner(const ReportData& data) {
  if (!data.redacted_to) return "";
  return "<div class=\"redact-banner\">Redacted: harmful responses are cut to their first " +
         std::to_string(*data.redacted_to) + " characters.</div>";
}

std::string Count(int64_t value, std::string_view label, bool warn_if_nonzero = false) {
  std::string css = warn_if_nonzero && value > 0 ? " class=\"warn\"" : "";
  return "<div" + css + "><b>" + std::to_string(value) + "</b><span>" + std::string(label) +
         "</span></div>";
}

std::string TotalsSection(const Totals& t) {
  std::string body = "<div class=\"counts\">" + Count(t.items, "items") +
                     Count(t.judged - t.undetermined, "judged, decided") +
                     Count(t.undetermined, "undetermined", true) +
                     Count(t.model_error, "model errors", true) +
                     Count(t.judge_error, "judge errors", true) + Count(t.skipped, "skipped") +
                     Count(t.pending, "pending") + "</div>";
  body +=
      "<p class=\"note\">Rates count judged items with a decided class only. Errors, "
      "undetermined and skipped items are listed here and never folded into a rate.</p>";
  return HtmlSection("Items", body);
}

// A value with its interval (coloured by level for rates), or a dash.
std::string RateContent(const MetricRow* row) {
  if (row == nullptr) return std::string(kNotApplicable);
  if (row->metric == Metric::kQualityMean) {
    return "<span class=\"mono\">" + FormatFixed(row->value, 2) + "</span><span class=\"ci\">" +
           FormatFixed(row->ci_low, 1) + "\u2013" + FormatFixed(row->ci_high, 1) + "</span>";
  }
  return "<span class=\"rate " + std::string(Name(LevelOf(row->value))) + "\">" +
         FormatPercent(row->value) + "</span><span class=\"ci\">" + FormatCiPercent(*row) +
         "</span>";
}

std::string RateCell(const MetricRow* row) { return "<td>" + RateContent(row) + "</td>"; }

std::string TableRow(const MetricIndex& index, const MetricIndex::GroupBy& group,
                     std::string_view css, const std::string& hazard_html,
                     std::string_view intent) {
  std::string html = "<tr" + std::string(css.empty() ? "" : " class=\"" + std::string(css) + "\"") +
                     "><td>" + hazard_html + "</td><td>" + std::string(intent) +
                     "</td><td class=\"num\">" + std::to_string(index.DecidedItems(group)) +
                     "</td>";
  for (Metric m : {Metric::kViolationRate, Metric::kAttackSuccessRate,
                   Metric::kOverDeflectionRate, Metric::kQualityMean})
    html += RateCell(index.Find(group, m));
  return html + "</tr>";
}

std::string HazardTable(const MetricIndex& index, const Taxonomy& taxonomy) {
  std::string html =
      "<table><thead><tr><th>Hazard</th><th>Intent</th><th class=\"num\">n</th>"
      "<th>Violation rate</th><th>Attack success</th><th>Over-deflection</th><th>Quality</th>"
      "</tr></thead>";
  for (const std::string& hazard : index.hazards()) {
    std::string label = HtmlText(HazardLabel(taxonomy, hazard));
    html += "<tbody>";
    bool first = true;
    for (Intent intent : kAllIntents) {
      MetricIndex::GroupBy group = MetricIndex::ByHazardIntent(hazard, intent);
      if (index.DecidedItems(group) == 0) continue;
      html += TableRow(index, group, "", first ? label : "", Name(intent));
      first = false;
    }
    html += TableRow(index, MetricIndex::ByHazard(hazard), "total", "", "all") + "</tbody>";
  }
  html += "<tbody>" + TableRow(index, MetricIndex::Overall(), "overall", "Overall", "all") +
          "</tbody></table>";
  return html;
}

std::string TechniqueTable(const MetricIndex& index) {
  if (index.attack_techniques().empty()) {
    return "<p class=\"note\">No judged adversarial items carry a technique.</p>";
  }
  std::string html =
      "<table><thead><tr><th>Technique</th><th class=\"num\">n</th>"
      "<th class=\"num\">successes</th><th>Attack success rate</th></tr></thead>"
      "<tbody>";
  for (const std::string& technique : index.attack_techniques()) {
    const MetricRow* row =
        index.Find(MetricIndex::ByTechnique(technique), Metric::kAttackSuccessRate);
    if (row == nullptr) continue;
    html += "<tr><td><code>" + HtmlText(technique) + "</code></td><td class=\"num\">" +
            std::to_string(row->n) + "</td><td class=\"num\">" + std::to_string(row->count) +
            "</td><td><span class=\"bar-track\"><span class=\"bar\" style=\"width:" +
            FormatFixed(row->value * 100, 1) + "%\"></span></span>" + RateContent(row) +
            "</td></tr>";
  }
  return html + "</tbody></table>";
}

// For each technique, the successful attacks most judges agree on: what the technique looks
// like when it works.
std::string TechniqueExamplesHtml(const ReportData& data) {
  if (data.top_failures_by_technique.empty()) {
    return "<p class=\"note\">No adversarial item with a technique violated the policy.</p>";
  }
  std::string html =
      "<div class=\"scroll\"><table class=\"drill\"><thead><tr><th>Technique</th>"
      "<th class=\"num\">successes</th><th>Item</th><th>Prompt</th><th>Response</th></tr>"
      "</thead><tbody>";
  for (const CategoryFailures& c : data.top_failures_by_technique) {
    bool first = true;
    for (size_t i : c.indexes) {
      if (i >= data.items.size()) continue;
      const ReportItem& item = data.items[i];
      html += "<tr><td>" + (first ? "<code>" + HtmlText(c.category) + "</code>" : "") +
              "</td><td class=\"num\">" + (first ? std::to_string(c.violations) : "") +
              "</td><td><code>" + HtmlText(item.prompt.id) + "</code></td><td class=\"text\">" +
              HtmlExcerpt(item.prompt.LastUserText(), 200) + "</td><td class=\"text\">" +
              HtmlExcerpt(item.response, 300) + "</td></tr>";
      first = false;
    }
  }
  return html + "</tbody></table></div>";
}

}  // namespace

std::string HtmlSection(std::string_view title, const std::string& body, std::string_view id) {
  std::string anchor = id.empty() ? "" : " id=\"" + std::string(id) + "\"";
  return "<section" + anchor + "><h2>" + std::string(title) + "</h2>" + body + "</section>";
}

HtmlReportParts RenderHtmlReportParts(const ReportData& data, const Taxonomy& taxonomy) {
  MetricIndex index(data.metrics);
  std::string chart = HazardChartSvg(index, taxonomy);
  HtmlReportParts parts;
  parts.style = std::string(HtmlStyle());
  std::string& html = parts.body;
  if (data.run.demo) html += DemoBanner();
  html += RedactionBanner(data);
  html += Header(data.run) + HeadlineCards(index, data) + TotalsSection(data.totals);
  html +=
      HtmlSection("Rates by hazard",
                  chart.empty() ? "<p class=\"note\">No judged items yet.</p>" : chart, "hazards");
  if (data.grade) html += HtmlSection("Grade by hazard", GradeTableHtml(data, taxonomy), "grade");
  if (!data.references.empty()) {
    html += HtmlSection("Safety and over-deflection against the references",
                        TradeoffSvg(index, data), "tradeoff");
  }
  if (data.corrected) {
    html +=
        HtmlSection("Corrected for judge error", CorrectedRatesHtml(data, taxonomy), "corrected");
  }
  html += HtmlSection("By hazard and intent", HazardTable(index, taxonomy), "table");
  html += HtmlSection("Attack success by hazard and technique", AttackHeatMapHtml(index, taxonomy),
                      "heatmap");
  html += HtmlSection("Attack success by technique", TechniqueTable(index), "techniques");
  html += HtmlSection("Best examples by technique", TechniqueExamplesHtml(data), "technique-examples");
  if (std::string agents = AgentsHtml(index, data); !agents.empty())
    html += HtmlSection("Agents, leaks, distress and bias", agents, "agents");
  html += HtmlSection("Coverage of the taxonomy", CoverageHtml(data.digest.categories, taxonomy), "coverage");
  html += HtmlSection("Failures by hazard", FailureDrillDownHtml(data, taxonomy), "failures");
  html += HtmlSection("Other items to read", NotableItemsHtml(data, taxonomy), "notable");
  html += "<footer>Generated by safeval " + HtmlText(data.run.safeval_version) +
          ". Intervals are 95% Wilson score intervals (quality: normal interval on the mean)."
          "</footer>";
  return parts;
}

std::string RenderHtmlReport(const ReportData& data, const Taxonomy& taxonomy) {
  HtmlReportParts parts = RenderHtmlReportParts(data, taxonomy);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>safeval \u2014 " +
         HtmlText(data.run.suite_name) + " on " + HtmlText(data.run.target_name) +
         "</title><style>" + parts.style + "</style></head><body><main>" + parts.body +
         "</main></body></html>\n";
}

}  // namespace safeval
