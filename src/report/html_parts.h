// The sections of the HTML report, one renderer each, and the escaping they share.
// Internal to src/report/. Pure functions; thread-safe. Every function returns an HTML fragment
// in which all text from the run (model and prompt text, ids, names) is escaped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/metric_index.h"
#include "report/report_data.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// Text for HTML: invalid UTF-8 replaced by U+FFFD, then HtmlEscape'd.
std::string HtmlText(std::string_view text);

// The first `max_chars` characters of `text` as HtmlText, followed by a note of how many
// characters were left out ("… 1,234 more characters") when it is longer.
std::string HtmlExcerpt(std::string_view text, size_t max_chars);

// "<h2>title</h2>" and `body` in a <section>; `id` (an ASCII anchor) when not empty.
std::string HtmlSection(std::string_view title, const std::string& body, std::string_view id = "");

// The page's inline stylesheet (the content of <style>).
std::string_view HtmlStyle();

// An inline <svg> bar chart: per hazard, the violation rate and the over-deflection
// rate with their 95% interval whiskers. Empty when there are no hazard rows.
std::string HazardChartSvg(const MetricIndex& index, const Taxonomy& taxonomy);

// Attack success rate per hazard × technique as a table of cells shaded by rate (from the
// metric rows grouped by {hazard, technique}), with a row over all hazards (the technique rows).
std::string AttackHeatMapHtml(const MetricIndex& index, const Taxonomy& taxonomy);

// An inline <svg> scatter of violation rate (y) against over-deflection rate (x), with 95%
// whiskers both ways, for this run and each reference run. Empty without references.
std::string TradeoffSvg(const MetricIndex& index, const ReportData& data);

// "Agents, leaks, distress and bias": the leak, harmful action and missed distress rates
// (overall and by technique) and the groups' over-deflection table with the largest gap and its
// interval (flagged when significant) and the counterfactual pairs. Empty when the run has no
// finding rows and no item with a group or pair id.
std::string AgentsHtml(const MetricIndex& index, const ReportData& data);

// The grade card of the headline row and the per-hazard grade table. Empty without a grade.
std::string GradeCardHtml(const ReportData& data);
std::string GradeTableHtml(const ReportData& data, const Taxonomy& taxonomy);

// Raw and judge-error-corrected rates side by side, with the calibration used.
// Empty without data.corrected.
std::string CorrectedRatesHtml(const ReportData& data, const Taxonomy& taxonomy);

// The run's prompts (ItemDigest::categories) over the taxonomy's leaves: a leaf × intent table of
// counts with the empty cells (gaps) highlighted. Large taxonomies show only the rows with a gap
// (and say so).
std::string CoverageHtml(const std::vector<CategoryCount>& categories, const Taxonomy& taxonomy);

// Per hazard (ItemDigest::hazards), the number of violations and a table of example failures:
// the best-agreed ones first (ReportData::top_failures), then an even sample of the rest of
// HazardFailures::failures, at most kDrillDownRows rows ("showing 50 of 3,210").
inline constexpr size_t kDrillDownRows = 50;
std::string FailureDrillDownHtml(const ReportData& data, const Taxonomy& taxonomy);

// The other items worth reading — over-deflections, undetermined, errors (the digest's samples) —
// as articles with their prompt turns, response (evidence spans marked), class, verdict and
// error; each kind evenly sampled to kNotableShown ("showing 25 of 1,200").
inline constexpr size_t kNotableShown = 25;
std::string NotableItemsHtml(const ReportData& data, const Taxonomy& taxonomy);

}  // namespace safeval
