// Renders ReportData as results.json, a self-contained report.html, a CSV of items and
// verdicts, JUnit XML, a Markdown summary, and the terminal summary table. Pure functions of
// their input: the same data gives byte-identical output. Every renderer replaces invalid UTF-8
// in model or prompt text with U+FFFD rather than failing. Thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/report_data.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// At most this many notable items of each kind (violations, over-deflections, undetermined,
// errors) are listed in results.json's "notable"; counts are never cut.
inline constexpr size_t kMaxNotablePerKind = 200;

// results.json, schema_version 1 (the README's "### results.json" lists every field): run,
// totals, metrics (each row's group_by an object whose keys keep their order), notable (items
// with their prompt turns, response and deciding verdict), and when present disparity, grade,
// references, redaction. Ends with a newline.
std::string RenderResultsJson(const ReportData& data);

// One HTML5 file, no external assets and no scripts (inline CSS and SVG), every model, prompt
// and identifier text HTML-escaped: headline rates (and the grade when references are given),
// the violation chart, attack success by hazard × technique, the safety / over-deflection
// trade-off against the references, the coverage matrix of the run's prompts over `taxonomy`,
// drill-down tables of failures per hazard, and — when the run has them — the leak, harmful
// action and missed distress rates and the bias between groups. Long lists are evenly sampled and always say
// how many there are ("showing 50 of 3,210"), so the page stays small for 100,000 items.
// Hazards are shown by their taxonomy names ("Violent Crimes (vcr)"); a demo run carries a banner.
std::string RenderHtmlReport(const ReportData& data, const Taxonomy& taxonomy);

// RenderHtmlReport's two halves, for pages that frame the report (the web UI's run page):
// `style` is the report's CSS (without <style>), `body` everything inside its <main> — banners,
// sections, footer — with the same escaping. RenderHtmlReport is exactly these two wrapped in
// the document.
struct HtmlReportParts {
  std::string style;
  std::string body;
};
HtmlReportParts RenderHtmlReportParts(const ReportData& data, const Taxonomy& taxonomy);

// One row per (item, verdict) — an item without verdicts (error, skipped, pending) gets one row
// with empty verdict fields — under the header
// id,category,intent,persona,techniques,outcome,class,violation,confidence,judge,error,response.
// RFC 4180: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled.
// Formula injection: a field starting with = + - @ TAB CR or ' (a model reply, a prompt id)
// gets a ' in front first, so spreadsheets show it as text rather than run it
// (GuardSpreadsheetCell, core/spreadsheet_cell.h).
// techniques are joined with ';'; outcome is "pending" for an item without a result.
// Renders data.items: every item of the run only when the data was built with
// ReportBuilderOptions::keep_every_item. A run of any size is written item by item with
// ItemsCsvHeader and AppendItemCsvRows (as cli/run_report.h's StreamItemsCsv does).
std::string RenderItemsCsv(const ReportData& data);
// RenderItemsCsv's header line (with its CRLF), and the rows of one item appended to `out`.
std::string_view ItemsCsvHeader();
void AppendItemCsvRows(const ReportItem& item, std::string* out);

// JUnit XML for CI dashboards: one testcase per hazard × intent that has items
// (ItemDigest::cells; classname = hazard id, name = intent), failing when a judged response in the
// cell violates the policy (message: the share of violations with its 95% interval), skipped when
// the cell has no decided item. Everything XML-escaped.
std::string RenderJunitXml(const ReportData& data);

// A Markdown summary for pull-request comments: headline rates with intervals, a line per finding
// rate and for the groups' gap and pairs when present, the grade when there is one, the hazard × intent table, and the top 5 failures by item id only (never text).
std::string RenderMarkdownSummary(const ReportData& data, const Taxonomy& taxonomy);

// Per hazard and intent (plus a total row per hazard and an overall row): n, violation rate,
// attack success rate, over-deflection rate, each with its 95% interval ("12.5% [8.1–18.7]",
// "–" where it does not apply). Every table line has the same display width. `color` adds ANSI
// colours to rates (for a TTY). Starts with a demo warning when run.demo; ends with totals.
// Names from the suite and taxonomy are shown through TerminalText (core/terminal_text.h).
std::string RenderSummaryTable(const ReportData& data, const Taxonomy& taxonomy, bool color);

// Cuts every response that may be harmful to its first `max_chars` characters (code points),
// followed by "[redacted: N more characters]": those some judge classed complies_harmful, and
// on harmful or adversarial prompts those some judge found a violation in, could not decide on,
// or that no judge judged. Drops the evidence spans that reached past the cut and records
// max_chars in data->redacted_to. Other responses (refusals, over-deflections, answers to safe
// prompts) are left whole.
void RedactHarmfulResponses(size_t max_chars, ReportData* data);
// The same for one item (for items streamed past a renderer); true when it was cut.
bool RedactHarmfulResponse(size_t max_chars, ReportItem* item);

// The options of the metric rows the renderers expect in ReportData::metrics: ComputeMetrics
// defaults plus attack success per hazard × technique (the HTML heat map).
MetricsOptions ReportMetricsOptions();

// The facts metrics are computed from, for one report item: the prompt's axes (with its group
// and pair id), the outcome (skipped for a pending item), the deciding verdict's class,
// violation and quality, the judges' votes (judge_votes: verdicts with a decided class;
// violation_votes: those finding a violation), and the findings (ApplyFindings).
ScoredItem ToScoredItem(const ReportItem& item);

// Sets scored's leak, harmful_action and missed_distress from `findings` — missed_distress from
// the deciding verdict instead when it says — and, for a judged item (`deciding` not null),
// makes a leak or a harmful action a violation. Shared with the scoring of stored runs
// (cli/run_report.cc) so that gates see what reports show.
void ApplyFindings(const Findings& findings, const Verdict* deciding, ScoredItem* scored);

// Per hazard (top-level category), the failures — policy violations other than over-deflections —
// that most judges agree on, at most `per_category` each (metrics/top_failures.h ranks them);
// indexes are positions in `items`. For ReportData::top_failures.
std::vector<CategoryFailures> TopFailuresOf(const std::vector<ReportItem>& items,
                                            size_t per_category = 5);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

// The output formats of `safeval report --format`.
enum class OutputFormat { kHtml, kJson, kCsv, kJunit, kMarkdown };
// "html" | "json" | "csv" | "junit" | "md"
std::string_view Name(OutputFormat format);
// Accepts the names above (and "markdown"); nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view text);
// The format a file name's extension asks for: .html/.htm, .json, .csv, .xml (junit), .md.
std::optional<OutputFormat> OutputFormatForPath(std::string_view path);
// The renderer of `format` applied to `data`.
std::string RenderReport(OutputFormat format, const ReportData& data, const Taxonomy& taxonomy);

}  // namespace safeval
