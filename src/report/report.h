// Renders ReportData as results.json, a self-contained report.html, and the
// terminal summary table. Pure functions of their input: the same data gives
// byte-identical output.
#pragma once

#include <string>
#include <string_view>

#include "report/report_data.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// results.json as in FORMATS.md: schema_version, run, totals, metrics (each row's
// group_by as an object whose keys keep their order), and notable (the items in
// ReportData::notable with their prompt turns, response and deciding verdict).
// Invalid UTF-8 in any text is replaced by U+FFFD. Ends with a newline.
std::string RenderResultsJson(const ReportData& data);

// One HTML5 file, no external assets and no scripts (inline CSS and SVG), every
// model, prompt and identifier text HTML-escaped. Hazards are shown by their
// taxonomy names ("Violent Crimes (vcr)"); a run on the demo target carries a banner.
std::string RenderHtmlReport(const ReportData& data, const Taxonomy& taxonomy);

// Per hazard and intent (plus a total row per hazard and an overall row): n,
// violation rate, attack success rate, over-deflection rate, each with its 95%
// interval ("12.5% [8.1–18.7]", "–" where it does not apply). Every table line has
// the same display width. `color` adds ANSI colours to rates (for a TTY). Starts
// with a demo warning when run.demo; ends with a totals line.
std::string RenderSummaryTable(const ReportData& data, const Taxonomy& taxonomy, bool color);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(std::string_view text);

}  // namespace safeval
