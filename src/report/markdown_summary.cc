// The Markdown summary for pull-request comments: the numbers a reviewer needs, no model text.
#include <algorithm>
#include <string>
#include <vector>

#include "core/utf8.h"
#include "report/item_kind.h"
#include "report/metric_index.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr size_t kTopFailures = 5;
constexpr std::string_view kDash = "\u2013";

// Text that Markdown (GitHub's flavour) shows literally: the characters that start emphasis,
// code, links or table cells backslash-escaped, and < > & written as entities, so neither a
// table nor the page can be reshaped by a name or an id. (Never used at the start of a line,
// where # + - . would matter too.)
std::string Md(std::string_view raw) {
  std::string out;
  for (char c : SanitizeUtf8(raw)) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        if (std::string_view("\\`*_[]|~").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
  }
  return out;
}

// An inline code span that no backtick in `raw` can close early (CommonMark: the fence is one
// backtick longer than the longest run inside; a space pads text that starts or ends with one).
std::string Code(std::string_view raw) {
  std::string text = SanitizeUtf8(raw);
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

std::string Rate(const MetricRow* row) {
  if (row == nullptr) return std::string(kDash);
  return FormatPercent(row->value) + " [" + FormatCiPercent(*row) + "]";
}

std::string Headline(const MetricIndex& index, const ReportData& data) {
  std::string md = "| metric | rate | 95% CI | n |\n|---|---:|---|---:|\n";
  for (Metric metric :
       {Metric::kViolationRate, Metric::kAttackSuccessRate, Metric::kOverDeflectionRate}) {
    const MetricRow* row = index.Find(MetricIndex::Overall(), metric);
    md += "| " + std::string(MetricLabel(metric)) + " | " +
          (row ? "**" + FormatPercent(row->value) + "**" : std::string(kDash)) + " | " +
          (row ? FormatCiPercent(*row) + "%" : std::string(kDash)) + " | " +
          (row ? WithThousands(row->n) : std::string(kDash)) + " |\n";
  }
  if (data.corrected) {
    for (const CorrectedRow& c : data.corrected->rows) {
      if (!c.group_by.empty()) continue;
      md += "| " + std::string(MetricLabel(c.metric)) + ", corrected for judge error | " +
            FormatPercent(c.rate.value) + " | " + FormatFixed(c.rate.ci_low * 100, 1) +
            std::string(kDash) + FormatFixed(c.rate.ci_high * 100, 1) + "% | " +
            WithThousands(c.rate.n) + " |\n";
    }
  }
  return md;
}

std::string Points(double difference) {
  return (difference < 0 ? "" : "+") + FormatFixed(difference * 100, 1);
}

// One line per finding rate, one for the groups' largest gap and one for the pairs, each only
// when the run has them.
std::string AgentLines(const MetricIndex& index, const Disparity& disparity) {
  std::string md;
  for (Metric metric : kFindingMetrics) {
    const MetricRow* row = index.Find(MetricIndex::Overall(), metric);
    if (row == nullptr) continue;
    md += "- " + std::string(MetricLabel(metric)) + ": **" + FormatPercent(row->value) + "** [" +
          FormatCiPercent(*row) + "%], " + WithThousands(row->count) + " of " +
          WithThousands(row->n) + " checked\n";
  }
  if (const std::optional<GroupGap>& gap = disparity.gap) {
    md += "- Largest over-deflection gap between groups: " + Md(gap->higher) + " vs " +
          Md(gap->lower) + ", " + Points(gap->difference) + " points [" + Points(gap->ci_low) +
          ", " + Points(gap->ci_high) + "], " +
          (gap->significant ? "**significant**" : "not significant") + "\n";
  }
  if (disparity.pairs > 0) {
    md += "- Counterfactual pairs: " + WithThousands(disparity.discordant_pairs) + " of " +
          WithThousands(disparity.pairs) + " discordant (one refused, another answered)\n";
  }
  return md.empty() ? md : md + "\n";
}

std::string GradeLines(const ReportData& data) {
  if (!data.grade) return "";
  std::string refs;
  for (const ReferenceSummary& r : data.references) refs += (refs.empty() ? "" : ", ") + Code(r.id);
  std::string md = "**Grade: " + DescribeGrade(data.grade->overall) + "** (against " + refs + ")";
  if (!data.ungraded.empty()) {
    std::string names;
    for (const std::string& h : data.ungraded) names += (names.empty() ? "" : ", ") + Md(h);
    md += "; not graded: " + names;
  }
  md += "\n\n";
  if (data.grade->hazards.empty()) return md;
  md += "| hazard | grade | unsafe | reference |\n|---|---|---:|---:|\n";
  for (const HazardGrade& g : data.grade->hazards) {
    md += "| " + Md(g.hazard) + " | " + DescribeGrade(g) + " | " + FormatPercent(g.u) + " | " +
          FormatPercent(g.u_ref) + " |\n";
  }
  return md + "\n";
}

std::string HazardTable(const MetricIndex& index, const Taxonomy& taxonomy) {
  std::string md =
      "| hazard | intent | n | violation rate | attack success | over-deflection |\n"
      "|---|---|---:|---|---|---|\n";
  for (const std::string& hazard : index.hazards()) {
    std::string label = Md(HazardLabel(taxonomy, hazard));
    for (Intent intent : kAllIntents) {
      MetricIndex::GroupBy group = MetricIndex::ByHazardIntent(hazard, intent);
      if (index.DecidedItems(group) == 0) continue;
      md += "| " + label + " | " + std::string(Name(intent)) + " | " +
            WithThousands(index.DecidedItems(group)) + " | " +
            Rate(index.Find(group, Metric::kViolationRate)) + " | " +
            Rate(index.Find(group, Metric::kAttackSuccessRate)) + " | " +
            Rate(index.Find(group, Metric::kOverDeflectionRate)) + " |\n";
    }
  }
  return md;
}

// The best-agreed failure of each hazard in turn, then the second of each, and so on, so five
// lines cover as many hazards as possible.
std::vector<const ReportItem*> TopFive(const ReportData& data) {
  std::vector<const ReportItem*> picked;
  for (size_t rank = 0; picked.size() < kTopFailures; ++rank) {
    bool any = false;
    for (const CategoryFailures& c : data.top_failures) {
      if (rank >= c.indexes.size() || picked.size() == kTopFailures) continue;
      any = true;
      if (c.indexes[rank] < data.items.size()) picked.push_back(&data.items[c.indexes[rank]]);
    }
    if (!any) break;
  }
  return picked;
}

std::string Votes(const ReportItem& item) {
  int votes = 0, decided = 0;
  for (const Verdict& v : item.verdicts) {
    if (v.cls == ResponseClass::kUndetermined) continue;
    ++decided;
    if (v.violation) ++votes;
  }
  return std::to_string(votes) + "/" + std::to_string(decided) + " judges";
}

std::string TopFailureLines(const ReportData& data) {
  std::vector<const ReportItem*> top = TopFive(data);
  if (top.empty()) return "No violations.\n";
  std::string md;
  for (const ReportItem* item : top) {
    std::string techniques;
    for (const std::string& t : item->prompt.techniques) techniques += ", " + Md(t);
    md += "- " + Code(item->prompt.id) + " " + Md(item->prompt.category.str()) + ", " +
          std::string(Name(item->prompt.intent)) + techniques + " (" + Votes(*item) + ")\n";
  }
  return md;
}

std::string Counted(int64_t n, std::string_view one, std::string_view many) {
  return WithThousands(n) + " " + std::string(n == 1 ? one : many);
}

std::string TotalsLine(const Totals& t) {
  return Counted(t.items + t.pending, "item", "items") + ": " +
         WithThousands(t.judged - t.undetermined) + " judged with a decided class, " +
         WithThousands(t.undetermined) + " undetermined, " +
         Counted(t.model_error, "model error", "model errors") + ", " +
         Counted(t.judge_error, "judge error", "judge errors") + ", " + WithThousands(t.skipped) +
         " skipped, " + WithThousands(t.pending) + " pending. Only decided items enter a rate.";
}

}  // namespace

std::string RenderMarkdownSummary(const ReportData& data, const Taxonomy& taxonomy) {
  MetricIndex index(data.metrics);
  std::string md =
      "## safeval: " + Md(data.run.suite_name) + " on " + Md(data.run.target_name) + "\n\n";
  if (data.run.demo)
    md += "> **DEMO TARGET** \u2014 results of the built-in demo model, not a real model\n\n";
  std::string judges;
  for (const std::string& j : data.run.judges) judges += (judges.empty() ? "" : ", ") + Md(j);
  md +=
      "Run " + Code(data.run.id) + " \u00b7 judges " + (judges.empty() ? "none" : judges) + "\n\n";
  md += TotalsLine(data.totals) + "\n\n";
  md += Headline(index, data) + "\n";
  md += AgentLines(index, data.disparity);
  md += GradeLines(data);
  md += "### By hazard and intent\n\n" + HazardTable(index, taxonomy) + "\n";
  md += "### Top failures\n\n" + TopFailureLines(data);
  if (data.redacted_to)
    md += "\nHarmful responses were redacted to " + std::to_string(*data.redacted_to) +
          " characters.\n";
  return md;
}

}  // namespace safeval
