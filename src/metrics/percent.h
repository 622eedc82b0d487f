// Percentages as people read and write them on the command line and in tables:
// "12.5%", "[8.1–18.7]", and thresholds given as "0.5%" or "0.5".
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace safeval {

// A fraction as a percentage: one decimal ("12.5%", "0.0%"), two below 0.1% so
// small rates do not show as zero ("0.04%").
std::string RateText(double fraction);

// An interval of fractions as "[8.1–18.7]" (percent, same precision rule, no % signs).
std::string RateIntervalText(double low, double high);

// A threshold as given, without trailing zeros: 0.005 → "0.5%", 0.1 → "10%".
std::string ThresholdText(double fraction);

// Parses a percentage with or without the sign ("0.5%" and "0.5" are both half a
// percent) into a fraction (0.005). InvalidArgument for anything but a number from
// 0 to 100, naming `what` (e.g. "--max-violation-rate").
Result<double> ParsePercent(std::string_view text, std::string_view what);

}  // namespace safeval
