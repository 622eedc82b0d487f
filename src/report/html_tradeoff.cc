// The safety / over-deflection trade-off: this run and its references as points with whiskers.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "report/html_parts.h"
#include "report/report_format.h"

namespace safeval {
namespace {

// Geometry in SVG user units (the viewBox scales to the page width).
constexpr double kWidth = 720;
constexpr double kHeight = 440;
constexpr double kLeft = 64, kRight = 20, kTop = 16, kBottom = 48;
constexpr double kPlotWidth = kWidth - kLeft - kRight;
constexpr double kPlotHeight = kHeight - kTop - kBottom;

constexpr std::string_view kRunColor = "#d1503f";
constexpr std::string_view kReferenceColor = "#5d6576";

struct Point {
  std::string label;
  bool is_run = false;
  MetricRow violation;        // y
  MetricRow over_deflection;  // x
};

std::string Num(double v) { return FormatFixed(v, 1); }

// The axis maximum: the smallest of 5%, 10%, 20%, 25%, 50%, 100% that holds every whisker.
double AxisMax(const std::vector<Point>& points) {
  double highest = 0;
  for (const Point& p : points)
    highest = std::max({highest, p.violation.ci_high, p.over_deflection.ci_high});
  for (double step : {0.05, 0.10, 0.20, 0.25, 0.50})
    if (highest <= step) return step;
  return 1.0;
}

struct Scale {
  double max;
  double X(double rate) const { return kLeft + rate / max * kPlotWidth; }
  double Y(double rate) const { return kTop + kPlotHeight - rate / max * kPlotHeight; }
};

// Axis ticks are multiples of 1% (the axis maximum is 5% or more, in five steps).
std::string Tick(double rate) { return FormatFixed(rate * 100, 0) + "%"; }

std::string Axes(const Scale& s) {
  std::string svg = "<g class=\"axis\">";
  for (int i = 0; i <= 5; ++i) {
    double rate = s.max * i / 5;
    std::string x = Num(s.X(rate)), y = Num(s.Y(rate));
    svg += "<line class=\"grid\" x1=\"" + x + "\" y1=\"" + Num(kTop) + "\" x2=\"" + x + "\" y2=\"" +
           Num(kTop + kPlotHeight) + "\"/><line class=\"grid\" x1=\"" + Num(kLeft) + "\" y1=\"" +
           y + "\" x2=\"" + Num(kLeft + kPlotWidth) + "\" y2=\"" + y + "\"/>";
    svg += "<text x=\"" + x + "\" y=\"" + Num(kTop + kPlotHeight + 16) +
           "\" text-anchor=\"middle\">" + Tick(rate) + "</text><text x=\"" + Num(kLeft - 6) +
           "\" y=\"" + Num(s.Y(rate) + 4) + "\" text-anchor=\"end\">" + Tick(rate) + "</text>";
  }
  svg += "</g><text x=\"" + Num(kLeft + kPlotWidth / 2) + "\" y=\"" + Num(kHeight - 8) +
         "\" text-anchor=\"middle\">over-deflection rate (safe prompts declined) \u2192</text>";
  svg += "<text transform=\"translate(14 " + Num(kTop + kPlotHeight / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">violation rate \u2192</text>";
  return svg;
}

std::string Line(double x1, double y1, double x2, double y2) {
  return "<line class=\"whisker\" x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) +
         "\" y2=\"" + Num(y2) + "\"/>";
}

std::string PointSvg(const Point& p, const Scale& s) {
  double x = s.X(p.over_deflection.value), y = s.Y(p.violation.value);
  std::string_view color = p.is_run ? kRunColor : kReferenceColor;
  std::string svg = "<g><title>" + HtmlText(p.label) + ": violation rate " +
                    HtmlText(FormatValueWithCi(p.violation)) + ", over-deflection " +
                    HtmlText(FormatValueWithCi(p.over_deflection)) + "</title>";
  svg += Line(s.X(p.over_deflection.ci_low), y, s.X(p.over_deflection.ci_high), y);
  svg += Line(x, s.Y(p.violation.ci_low), x, s.Y(p.violation.ci_high));
  svg += "<circle cx=\"" + Num(x) + "\" cy=\"" + Num(y) + "\" r=\"" + (p.is_run ? "7" : "5") +
         "\" fill=\"" + std::string(color) + "\"/>";
  svg += "<text x=\"" + Num(x + 9) + "\" y=\"" + Num(y - 8) + "\"" +
         (p.is_run ? " font-weight=\"700\"" : "") + ">" + HtmlText(p.label) + "</text></g>";
  return svg;
}

std::optional<Point> RunPoint(const MetricIndex& index, const ReportData& data) {
  const MetricRow* vr = index.Find(MetricIndex::Overall(), Metric::kViolationRate);
  const MetricRow* od = index.Find(MetricIndex::Overall(), Metric::kOverDeflectionRate);
  if (vr == nullptr || od == nullptr) return std::nullopt;
  return Point{"this run (" + data.run.target_name + ")", true, *vr, *od};
}

}  // namespace

std::string TradeoffSvg(const MetricIndex& index, const ReportData& data) {
  if (data.references.empty()) return "";
  std::vector<Point> points;
  std::vector<std::string> missing;
  for (const ReferenceSummary& r : data.references) {
    if (r.violation_rate && r.over_deflection_rate) {
      points.push_back(
          {r.id + " (" + r.target_name + ")", false, *r.violation_rate, *r.over_deflection_rate});
    } else {
      missing.push_back(r.id);
    }
  }
  std::optional<Point> run = RunPoint(index, data);
  if (run) points.push_back(*run);  // drawn last, on top
  if (!run) missing.insert(missing.begin(), "this run");
  Scale scale{AxisMax(points)};
  std::string svg = "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) + "\" width=\"" +
                    Num(kWidth) + "\" height=\"" + Num(kHeight) +
                    "\" role=\"img\" aria-label=\"Violation rate against over-deflection rate\">" +
                    Axes(scale);
  for (const Point& p : points) svg += PointSvg(p, scale);
  svg +=
      "</svg><p class=\"note\">Lower left is better: fewer harmful answers and fewer refused "
      "safe requests. Whiskers: 95% intervals.";
  if (!missing.empty()) {
    std::string names;
    for (const std::string& m : missing) names += (names.empty() ? "" : ", ") + m;
    svg += " Not drawn (no decided safe or unsafe items): " + HtmlText(names) + ".";
  }
  return svg + "</p>";
}

}  // namespace safeval
