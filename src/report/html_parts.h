// The sections of the HTML report, one renderer each, and the escaping they share.
// Internal to src/report/. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/metric_index.h"
#include "report/report_data.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// Text for HTML: invalid UTF-8 replaced by U+FFFD, then HtmlEscape'd.
std::string HtmlText(std::string_view text);

// The page's inline stylesheet (the content of <style>).
std::string_view HtmlStyle();

// An inline <svg> bar chart: per hazard, the violation rate and the over-deflection
// rate with their 95% interval whiskers. Empty when there are no hazard rows.
std::string HazardChartSvg(const MetricIndex& index, const Taxonomy& taxonomy);

// The notable items grouped by why they are notable (violations, over-deflections,
// undetermined, errors, other), each with its prompt turns, response (evidence
// spans marked), class, verdict and error.
std::string NotableItemsHtml(const std::vector<ReportItem>& items, const Taxonomy& taxonomy);

}  // namespace safeval
