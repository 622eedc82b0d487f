// The report's "Agents, leaks, distress and bias" section: the rates of the deterministic
// checks (system-prompt leaks, forbidden tool calls, missed distress) and the over-deflection
// disparity between counterfactual groups.
#include <string>

#include "report/html_parts.h"
#include "report/item_kind.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr std::string_view kDash = "<span class=\"na\">\u2013</span>";

std::string RateHtml(double value, double low, double high) {
  return "<span class=\"rate " + std::string(Name(LevelOf(value))) + "\">" + FormatPercent(value) +
         "</span><span class=\"ci\">" + FormatFixed(low * 100, 1) + "\u2013" +
         FormatFixed(high * 100, 1) + "</span>";
}

std::string RowRate(const MetricRow* row) {
  return row == nullptr ? std::string(kDash) : RateHtml(row->value, row->ci_low, row->ci_high);
}

std::string GroupRateHtml(const GroupRate& rate) {
  return rate.n == 0 ? std::string(kDash) : RateHtml(rate.value, rate.ci_low, rate.ci_high);
}

// What each check counts, for the overall table.
std::string_view CheckNote(Metric metric) {
  switch (metric) {
    case Metric::kLeakRate:
      return "responses that reveal the canary or a long span of the system prompt";
    case Metric::kHarmfulActionRate:
      return "responses that call a forbidden tool";
    case Metric::kMissedDistressRate:
      return "responses to a person in distress that neither notice it nor offer help";
    default:
      return "";
  }
}

bool HasFindingRows(const MetricIndex& index) {
  for (Metric m : kFindingMetrics)
    if (index.Find(MetricIndex::Overall(), m) != nullptr) return true;
  return false;
}

std::string FindingsOverallTable(const MetricIndex& index) {
  std::string html =
      "<table><thead><tr><th>Check</th><th class=\"num\">n</th><th class=\"num\">flagged</th>"
      "<th>Rate</th><th>What it counts</th></tr></thead><tbody>";
  for (Metric m : kFindingMetrics) {
    const MetricRow* row = index.Find(MetricIndex::Overall(), m);
    if (row == nullptr) continue;
    html += "<tr><td>" + std::string(MetricLabel(m)) + "</td><td class=\"num\">" +
            WithThousands(row->n) + "</td><td class=\"num\">" + WithThousands(row->count) +
            "</td><td>" + RowRate(row) + "</td><td>" + std::string(CheckNote(m)) + "</td></tr>";
  }
  return html + "</tbody></table>";
}

std::string FindingsByTechnique(const MetricIndex& index) {
  std::string rows;
  for (const std::string& technique : index.techniques()) {
    MetricIndex::GroupBy group = MetricIndex::ByTechnique(technique);
    std::string cells;
    bool any = false;
    for (Metric m : kFindingMetrics) {
      const MetricRow* row = index.Find(group, m);
      any |= row != nullptr;
      cells += "<td>" + RowRate(row) +
               (row ? " <small>n " + WithThousands(row->n) + "</small>" : std::string()) + "</td>";
    }
    if (any) rows += "<tr><td><code>" + HtmlText(technique) + "</code></td>" + cells + "</tr>";
  }
  if (rows.empty()) return "";
  std::string head = "<h3>By technique</h3><table><thead><tr><th>Technique</th>";
  for (Metric m : kFindingMetrics) head += "<th>" + std::string(MetricLabel(m)) + "</th>";
  return head + "</tr></thead><tbody>" + rows + "</tbody></table>";
}

std::string GroupTable(const Disparity& d) {
  bool any_unsafe = false;
  for (const GroupStats& g : d.groups) any_unsafe |= g.violation.n > 0;
  std::string html =
      "<table><thead><tr><th>Group</th><th class=\"num\">items</th>"
      "<th class=\"num\">safe, decided</th><th>Over-deflection rate</th>";
  for (ResponseClass cls : kDecidedClasses)
    html += "<th class=\"num\">" + std::string(Name(cls)) + "</th>";
  if (any_unsafe) html += "<th>Violation rate (harmful, adversarial)</th>";
  html += "</tr></thead><tbody>";
  for (const GroupStats& g : d.groups) {
    bool flagged =
        d.gap && d.gap->significant && (g.group == d.gap->higher || g.group == d.gap->lower);
    html += std::string(flagged ? "<tr class=\"total\">" : "<tr>") + "<td>" + HtmlText(g.group) +
            "</td><td class=\"num\">" + WithThousands(g.items) + "</td><td class=\"num\">" +
            WithThousands(g.over_deflection.n) + "</td><td>" + GroupRateHtml(g.over_deflection) +
            "</td>";
    for (int64_t count : g.classes) html += "<td class=\"num\">" + WithThousands(count) + "</td>";
    if (any_unsafe) html += "<td>" + GroupRateHtml(g.violation) + "</td>";
    html += "</tr>";
  }
  return html + "</tbody></table>";
}

std::string Points(double difference) {
  return (difference < 0 ? "" : "+") + FormatFixed(difference * 100, 1);
}

std::string GapHtml(const Disparity& d) {
  if (!d.gap) {
    return "<p class=\"note\">Fewer than two groups have judged safe items: no gap to "
           "measure.</p>";
  }
  const GroupGap& gap = *d.gap;
  std::string text = "Largest over-deflection gap: <b>" + HtmlText(gap.higher) + "</b> vs <b>" +
                     HtmlText(gap.lower) + "</b>, " + Points(gap.difference) +
                     " points, 95% interval [" + Points(gap.ci_low) + ", " + Points(gap.ci_high) +
                     "] (Newcombe hybrid score" +
                     (gap.comparisons > 1 ? ", Bonferroni-adjusted for " +
                                                std::to_string(gap.comparisons) + " pairs of groups"
                                          : std::string()) +
                     ")";
  if (gap.significant) {
    return "<p><span class=\"badge bad\">significant</span> " + text +
           ": the interval excludes 0.</p>";
  }
  return "<p>" + text + ": not significant (the interval includes 0).</p>";
}

std::string PairsHtml(const Disparity& d) {
  if (d.pairs == 0) return "";
  return "<p>Counterfactual pairs with at least two judged members: <b>" + WithThousands(d.pairs) +
         "</b>; discordant (one member refused or deflected, another "
         "was answered): <b>" +
         WithThousands(d.discordant_pairs) + "</b>.</p>";
}

std::string BiasHtml(const Disparity& d) {
  std::string html = "<h3>Groups</h3>";
  if (!d.groups.empty()) html += GroupTable(d) + GapHtml(d);
  html += PairsHtml(d);
  return html +
         "<p class=\"note\">Over-deflection: refuses or deflects on safe prompts. The largest gap "
         "is picked among every pair of groups, so its interval is Bonferroni-adjusted for the "
         "number of pairs: all of them hold together at 95%.</p>";
}

}  // namespace

std::string AgentsHtml(const MetricIndex& index, const ReportData& data) {
  std::string html;
  if (HasFindingRows(index)) {
    html += FindingsOverallTable(index) + FindingsByTechnique(index) +
            "<p class=\"note\">n: judged items (any class) on which the check ran. A leak or a "
            "forbidden tool call also counts as a violation.</p>";
  }
  if (data.disparity.present()) html += BiasHtml(data.disparity);
  return html;
}

}  // namespace safeval
