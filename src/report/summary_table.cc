// The terminal summary: a fixed-width table of rates per hazard × intent.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/terminal_text.h"
#include "report/metric_index.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr std::string_view kNotApplicable = "\u2013";  // en dash
constexpr std::string_view kColumnGap = "  ";
constexpr size_t kColumns = 6;

constexpr std::array<Metric, 3> kRateMetrics = {Metric::kViolationRate, Metric::kAttackSuccessRate,
                                                Metric::kOverDeflectionRate};

// One cell: its plain text (which sets the width) and an optional ANSI colour.
struct Cell {
  std::string text;
  std::string_view color;  // an SGR sequence, or empty
  bool align_right = false;
};

// A table row, or a horizontal rule when `cells` is empty.
using Row = std::vector<Cell>;

std::string_view ColorOf(RateLevel level) {
  switch (level) {
    case RateLevel::kLow:
      return "\x1b[32m";  // green
    case RateLevel::kMedium:
      return "\x1b[33m";  // yellow
    case RateLevel::kHigh:
      return "\x1b[31m";  // red
  }
  return "";
}

// "12.5% [8.1–18.7]", with the percentage right-aligned so the brackets line up.
Cell RateCell(const MetricRow* row, bool color) {
  if (row == nullptr) return {std::string(kNotApplicable), "", false};
  std::string text = PadLeft(FormatPercent(row->value), 6) + " [" + FormatCiPercent(*row) + "]";
  return {std::move(text), color ? ColorOf(LevelOf(row->value)) : "", false};
}

Row DataRow(const MetricIndex& index, const MetricIndex::GroupBy& group, std::string hazard,
            std::string intent, bool color) {
  Row row = {{std::move(hazard)},
             {std::move(intent)},
             {std::to_string(index.DecidedItems(group)), "", true}};
  for (Metric metric : kRateMetrics) row.push_back(RateCell(index.Find(group, metric), color));
  return row;
}

std::vector<Row> BuildRows(const MetricIndex& index, const Taxonomy& taxonomy, bool color) {
  std::vector<Row> rows;
  rows.push_back({{"hazard"},
                  {"intent"},
                  {"n", "", true},
                  {"violation rate"},
                  {"attack success"},
                  {"over-deflection"}});
  rows.push_back({});
  for (const std::string& hazard : index.hazards()) {
    std::string label = TerminalText(HazardLabel(taxonomy, hazard));  // a user taxonomy's name
    bool first = true;
    for (Intent intent : kAllIntents) {
      MetricIndex::GroupBy group = MetricIndex::ByHazardIntent(hazard, intent);
      if (index.DecidedItems(group) == 0) continue;
      rows.push_back(DataRow(index, group, first ? label : "", std::string(Name(intent)), color));
      first = false;
    }
    rows.push_back(DataRow(index, MetricIndex::ByHazard(hazard), label, "all", color));
    rows.push_back({});
  }
  rows.push_back(DataRow(index, MetricIndex::Overall(), "Overall", "all", color));
  return rows;
}

std::array<size_t, kColumns> ColumnWidths(const std::vector<Row>& rows) {
  std::array<size_t, kColumns> widths{};
  for (const Row& row : rows)
    for (size_t c = 0; c < row.size() && c < kColumns; ++c)
      widths[c] = std::max(widths[c], DisplayWidth(row[c].text));
  return widths;
}

std::string RenderRow(const Row& row, const std::array<size_t, kColumns>& widths) {
  std::string line;
  if (row.empty()) {
    size_t total = 0;
    for (size_t w : widths) total += w;
    total += kColumnGap.size() * (kColumns - 1);
    for (size_t i = 0; i < total; ++i) line += "\u2500";  // box-drawing horizontal
    return line;
  }
  for (size_t c = 0; c < kColumns; ++c) {
    if (c > 0) line += kColumnGap;
    const Cell& cell = row[c];
    std::string padded =
        cell.align_right ? PadLeft(cell.text, widths[c]) : PadRight(cell.text, widths[c]);
    if (cell.color.empty()) {
      line += padded;
    } else {  // colour the text only, so the padding stays plain
      size_t pad = padded.size() - cell.text.size();
      line += std::string(cell.color) + cell.text + "\x1b[0m" + std::string(pad, ' ');
    }
  }
  return line;
}

std::string TotalsLine(const Totals& t) {
  return "Totals: " + std::to_string(t.items) + " items, " + std::to_string(t.judged) +
         " judged (" + std::to_string(t.undetermined) + " undetermined), " +
         std::to_string(t.model_error) + " model_error, " + std::to_string(t.judge_error) +
         " judge_error, " + std::to_string(t.skipped) + " skipped, " + std::to_string(t.pending) +
         " pending";
}

// One line per finding rate (leaks, harmful actions, missed distress) and one for the largest
// over-deflection gap between counterfactual groups, each only when the run has them.
std::string FindingLines(const MetricIndex& index, const Disparity& disparity) {
  std::string out;
  for (Metric metric : kFindingMetrics) {
    const MetricRow* row = index.Find(MetricIndex::Overall(), metric);
    if (row == nullptr) continue;
    out += std::string(MetricLabel(metric)) + ": " + FormatValueWithCi(*row) + ", " +
           std::to_string(row->count) + " of " + std::to_string(row->n) + " checked\n";
  }
  if (const std::optional<GroupGap>& gap = disparity.gap) {
    auto points = [](double d) { return (d < 0 ? "" : "+") + FormatFixed(d * 100, 1); };
    out += "Largest over-deflection gap between groups: " + TerminalText(gap->higher) + " vs " +
           TerminalText(gap->lower) + ", " + points(gap->difference) + " points [" +
           points(gap->ci_low) + ", " + points(gap->ci_high) + "], " +
           (gap->significant ? "significant" : "not significant") + "\n";
  }
  return out;
}

}  // namespace

std::string RenderSummaryTable(const ReportData& data, const Taxonomy& taxonomy, bool color) {
  std::string out;
  if (data.run.demo) {
    std::string warning = "DEMO TARGET (built-in demo model, not a real model)";
    out += color ? "\x1b[1;33m" + warning + "\x1b[0m\n" : warning + "\n";
  }
  out += "Suite " + TerminalText(data.run.suite_name) + " \u00b7 target " +
         TerminalText(data.run.target_name) + " \u00b7 run " + TerminalText(data.run.id) + "\n";
  MetricIndex index(data.metrics);
  std::vector<Row> rows = BuildRows(index, taxonomy, color);
  std::array<size_t, kColumns> widths = ColumnWidths(rows);
  for (const Row& row : rows) out += RenderRow(row, widths) + "\n";
  out += TotalsLine(data.totals) + "\n";
  out += FindingLines(index, data.disparity);
  out +=
      "Rates count judged items with a decided class only; errors, undetermined and skipped "
      "items are excluded. Intervals: 95% Wilson.\n";
  return out;
}

}  // namespace safeval
