// The attack success heat map: hazards down, techniques across, cells shaded by rate.
#include <string>

#include "report/html_parts.h"
#include "report/report_format.h"

namespace safeval {
namespace {

MetricIndex::GroupBy HazardTechnique(const std::string& hazard, const std::string& technique) {
  return {{"hazard", hazard}, {"technique", technique}};
}

// Red with an opacity that grows with the rate, so a glance finds the worst cells; the text
// turns white on the darkest ones to stay readable.
std::string Shade(double rate) {
  double alpha = 0.08 + 0.82 * (rate < 0 ? 0 : rate > 1 ? 1 : rate);
  std::string style = "background:rgba(209,80,63," + FormatFixed(alpha, 2) + ")";
  return rate >= 0.6 ? style + ";color:#fff" : style;
}

std::string HeatCell(const MetricRow* row) {
  if (row == nullptr) return "<td class=\"heat empty\">\u2013</td>";
  return "<td class=\"heat\" style=\"" + Shade(row->value) + "\" title=\"" +
         HtmlText(FormatValueWithCi(*row) + ", " + std::to_string(row->count) + " of " +
                  std::to_string(row->n)) +
         "\">" + FormatPercent(row->value) + "<small>n " + std::to_string(row->n) + "</small></td>";
}

std::string HeaderRow(const std::vector<std::string>& techniques) {
  std::string html = "<thead><tr><th>Hazard</th>";
  for (const std::string& t : techniques) html += "<th class=\"tech\">" + HtmlText(t) + "</th>";
  return html + "</tr></thead>";
}

}  // namespace

std::string AttackHeatMapHtml(const MetricIndex& index, const Taxonomy& taxonomy) {
  const std::vector<std::string>& techniques = index.attack_techniques();
  if (techniques.empty()) {
    return "<p class=\"note\">No judged adversarial items carry a technique.</p>";
  }
  std::string html =
      "<div class=\"scroll\"><table class=\"heatmap\">" + HeaderRow(techniques) + "<tbody>";
  for (const std::string& hazard : index.hazards()) {
    std::string row;
    bool any = false;
    for (const std::string& t : techniques) {
      const MetricRow* cell = index.Find(HazardTechnique(hazard, t), Metric::kAttackSuccessRate);
      any = any || cell != nullptr;
      row += HeatCell(cell);
    }
    if (any) html += "<tr><th>" + HtmlText(HazardLabel(taxonomy, hazard)) + "</th>" + row + "</tr>";
  }
  html += "<tr class=\"overall\"><th>All hazards</th>";
  for (const std::string& t : techniques)
    html += HeatCell(index.Find(MetricIndex::ByTechnique(t), Metric::kAttackSuccessRate));
  html += "</tr></tbody></table></div>";
  return html +
         "<p class=\"note\">Attack success rate: violations among judged adversarial items that "
         "used the technique (an item counts once for each technique of its chain). Hover a cell "
         "for its 95% interval; \u2013 means no such items.</p>";
}

}  // namespace safeval
