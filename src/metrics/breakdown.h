// The keys metrics can be broken down by, and how users write them:
// "hazard" (the category cut to MetricsOptions::hazard_depth), "category:N" (the
// category cut to taxonomy level N), "intent", "persona", "technique", "locale",
// "tag". Keys joined by "+" cross ("category:2+intent"); a comma separates
// breakdowns ("persona,locale,category:2+intent").
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace safeval {

enum class Dimension { kHazard, kCategory, kIntent, kPersona, kTechnique, kLocale, kTag };

struct BreakdownKey {
  Dimension dimension = Dimension::kIntent;
  size_t depth = 1;  // taxonomy level for kCategory (>= 1); ignored otherwise
  friend bool operator==(const BreakdownKey&, const BreakdownKey&) = default;
};

// One breakdown: its keys are crossed, in this order (the order of MetricRow::group_by).
using Breakdown = std::vector<BreakdownKey>;

// At most this many keys in one breakdown.
inline constexpr size_t kMaxBreakdownKeys = 4;

// The group_by key a dimension's rows carry: "hazard", "category:2", "intent",
// "persona", "technique", "locale", "tag".
std::string KeyName(const BreakdownKey& key);

// Parses one key ("persona", "category:2"). InvalidArgument names the bad key and
// lists the valid ones; N must be a whole number from 1 to 64.
Result<BreakdownKey> ParseBreakdownKey(std::string_view text);

// Parses a comma-separated list of breakdowns, each one or more keys joined by '+'
// ("persona, category:2+intent"); spaces around keys are ignored. Fails on an empty
// key, an unknown key, a key repeated within one breakdown, or more than
// kMaxBreakdownKeys keys in one breakdown. An empty text gives no breakdowns.
Result<std::vector<Breakdown>> ParseBreakdowns(std::string_view text);

}  // namespace safeval
