// Formatting shared by the report renderers: numbers, rates with intervals,
// rate levels (the colour scale), hazard labels and display widths.
// Internal to src/report/. Pure functions; thread-safe; locale-independent.
#pragma once

#include <string>
#include <string_view>

#include "metrics/metrics.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// `value` with exactly `decimals` digits after the point ("12.5"), in the C locale.
std::string FormatFixed(double value, int decimals);

// A proportion as a percentage with one decimal: 0.125 → "12.5%".
std::string FormatPercent(double proportion);

// The interval of a rate row in percent, without the sign: "8.1–18.7" (an en dash).
std::string FormatCiPercent(const MetricRow& row);

// "12.5% [8.1–18.7]"; for quality_mean "3.75 [3.1–4.4]".
std::string FormatValueWithCi(const MetricRow& row);

// A metric as people read it: "Violation rate", "Attack success rate", "Over-deflection rate",
// "Response quality", "Leak rate", "Harmful action rate", "Missed distress rate".
std::string_view MetricLabel(Metric metric);

// The colour scale of rates (violation, attack success, over-deflection alike):
// low below 5%, medium below 20%, high from 20% on.
enum class RateLevel { kLow, kMedium, kHigh };
RateLevel LevelOf(double proportion);
// "low" | "medium" | "high" (CSS class names).
std::string_view Name(RateLevel level);

// "Violent Crimes (vcr)" for a hazard id or path known to the taxonomy; the
// id itself when it is not (or does not parse as a path).
std::string HazardLabel(const Taxonomy& taxonomy, std::string_view hazard);

// Terminal display width: the number of UTF-8 code points (continuation bytes
// do not count). Wide CJK characters are counted as one, which is acceptable here.
size_t DisplayWidth(std::string_view utf8);

// `text` padded with spaces to `width` display columns (never truncated).
std::string PadRight(std::string_view text, size_t width);
std::string PadLeft(std::string_view text, size_t width);

}  // namespace safeval
