// The hazard chart: horizontal bars with 95% interval whiskers, drawn as inline SVG.
#include <string>

#include "report/html_parts.h"
#include "report/report_format.h"

namespace safeval {
namespace {

// Geometry in SVG user units (the viewBox scales to the page width).
constexpr double kWidth = 1000;
constexpr double kLabelRight = 258;  // hazard names end here (text-anchor: end)
constexpr double kPlotLeft = 270;
constexpr double kPlotWidth = 520;
constexpr double kValueLeft = kPlotLeft + kPlotWidth + 12;
constexpr double kAxisHeight = 26;
constexpr double kRowHeight = 42;
constexpr double kBarHeight = 12;
constexpr double kBarGap = 4;  // between the two bars of a hazard

constexpr std::string_view kViolationColor = "#d1503f";
constexpr std::string_view kOverDeflectionColor = "#3f7fd9";

std::string Num(double v) { return FormatFixed(v, 1); }
double X(double proportion) { return kPlotLeft + proportion * kPlotWidth; }

std::string Axis(double height) {
  std::string svg = "<g class=\"axis\">";
  for (int pct = 0; pct <= 100; pct += 25) {
    std::string x = Num(X(pct / 100.0));
    svg += "<line class=\"grid\" x1=\"" + x + "\" y1=\"" + Num(kAxisHeight - 6) + "\" x2=\"" + x +
           "\" y2=\"" + Num(height) + "\"/>";
    svg += "<text x=\"" + x + "\" y=\"" + Num(kAxisHeight - 10) + "\" text-anchor=\"middle\">" +
           std::to_string(pct) + "%</text>";
  }
  return svg + "</g>";
}

// One bar with its whisker and value label; `y` is the bar's top edge.
std::string Bar(const MetricRow& row, double y, std::string_view color, std::string_view what) {
  std::string mid = Num(y + kBarHeight / 2);
  std::string lo = Num(X(row.ci_low)), hi = Num(X(row.ci_high));
  std::string caps_top = Num(y + 1), caps_bottom = Num(y + kBarHeight - 1);
  std::string label = FormatValueWithCi(row) + " \u00b7 n " + std::to_string(row.n);
  std::string svg = "<g><title>" + std::string(what) + ": " + HtmlText(label) + "</title>";
  svg += "<rect x=\"" + Num(kPlotLeft) + "\" y=\"" + Num(y) + "\" width=\"" +
         Num(row.value * kPlotWidth) + "\" height=\"" + Num(kBarHeight) + "\" rx=\"2\" fill=\"" +
         std::string(color) + "\" fill-opacity=\"0.85\"/>";
  svg += "<line class=\"whisker\" x1=\"" + lo + "\" y1=\"" + mid + "\" x2=\"" + hi + "\" y2=\"" +
         mid + "\"/>";
  for (const std::string& x : {lo, hi})
    svg += "<line class=\"whisker\" x1=\"" + x + "\" y1=\"" + caps_top + "\" x2=\"" + x +
           "\" y2=\"" + caps_bottom + "\"/>";
  svg += "<text x=\"" + Num(kValueLeft) + "\" y=\"" + Num(y + kBarHeight - 2) + "\">" +
         HtmlText(label) + "</text></g>";
  return svg;
}

std::string HazardRow(const MetricIndex& index, const Taxonomy& taxonomy, const std::string& hazard,
                      double top) {
  MetricIndex::GroupBy group = MetricIndex::ByHazard(hazard);
  double first_bar = top + (kRowHeight - 2 * kBarHeight - kBarGap) / 2;
  std::string svg = "<text x=\"" + Num(kLabelRight) + "\" y=\"" + Num(top + kRowHeight / 2 + 4) +
                    "\" text-anchor=\"end\">" + HtmlText(HazardLabel(taxonomy, hazard)) + "</text>";
  if (const MetricRow* vr = index.Find(group, Metric::kViolationRate))
    svg += Bar(*vr, first_bar, kViolationColor, "violation rate");
  if (const MetricRow* od = index.Find(group, Metric::kOverDeflectionRate))
    svg += Bar(*od, first_bar + kBarHeight + kBarGap, kOverDeflectionColor, "over-deflection");
  return svg;
}

}  // namespace

std::string HazardChartSvg(const MetricIndex& index, const Taxonomy& taxonomy) {
  if (index.hazards().empty()) return "";
  double height = kAxisHeight + kRowHeight * static_cast<double>(index.hazards().size()) + 6;
  std::string svg = "<div class=\"legend\"><span><span class=\"swatch\" style=\"background:" +
                    std::string(kViolationColor) +
                    "\"></span>violation rate (harmful + adversarial)</span><span>"
                    "<span class=\"swatch\" style=\"background:" +
                    std::string(kOverDeflectionColor) +
                    "\"></span>over-deflection (safe prompts)</span><span>whiskers: 95% "
                    "interval</span></div>";
  svg += "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(height) + "\" width=\"" + Num(kWidth) +
         "\" height=\"" + Num(height) +
         "\" role=\"img\" aria-label=\"Violation and over-deflection rate per hazard\">";
  svg += Axis(height - 4);
  double top = kAxisHeight;
  for (const std::string& hazard : index.hazards()) {
    svg += HazardRow(index, taxonomy, hazard, top);
    top += kRowHeight;
  }
  return svg + "</svg>";
}

}  // namespace safeval
