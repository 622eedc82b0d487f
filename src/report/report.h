// Renders ReportData as results.json, a self-contained report.html, and the
// terminal summary table. Pure functions of their input: the same data gives
// byte-identical output.
#pragma once

#include <string>

#include "report/report_data.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// results.json as in FORMATS.md: schema_version, run, totals, metrics.
std::string RenderResultsJson(const ReportData& data);

// One HTML file, no external assets (inline CSS and SVG), every model and
// prompt text HTML-escaped.
std::string RenderHtmlReport(const ReportData& data, const Taxonomy& taxonomy);

// Per hazard and intent: n, violation rate, attack success rate, over-deflection
// rate, each with its 95% interval. `color` adds ANSI colours (for a TTY).
std::string RenderSummaryTable(const ReportData& data, const Taxonomy& taxonomy, bool color);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace safeval
