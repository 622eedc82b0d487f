#include "report/report_format.h"

#include <charconv>

namespace safeval {

std::string FormatFixed(double value, int decimals) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  if (ec != std::errc()) return "?";
  std::string out(buf, end);
  if (out == "-0.0" || out == "-0.00") out.erase(0, 1);  // rounding noise below zero
  return out;
}

std::string FormatPercent(double proportion) { return FormatFixed(proportion * 100, 1) + "%"; }

std::string FormatCiPercent(const MetricRow& row) {
  return FormatFixed(row.ci_low * 100, 1) + "\u2013" + FormatFixed(row.ci_high * 100, 1);
}

std::string FormatValueWithCi(const MetricRow& row) {
  if (row.metric == Metric::kQualityMean) {
    return FormatFixed(row.value, 2) + " [" + FormatFixed(row.ci_low, 1) + "\u2013" +
           FormatFixed(row.ci_high, 1) + "]";
  }
  return FormatPercent(row.value) + " [" + FormatCiPercent(row) + "]";
}

std::string_view MetricLabel(Metric metric) {
  switch (metric) {
    case Metric::kViolationRate:
      return "Violation rate";
    case Metric::kAttackSuccessRate:
      return "Attack success rate";
    case Metric::kOverDeflectionRate:
      return "Over-deflection rate";
    case Metric::kQualityMean:
      return "Response quality";
    case Metric::kLeakRate:
      return "Leak rate";
    case Metric::kHarmfulActionRate:
      return "Harmful action rate";
    case Metric::kMissedDistressRate:
      return "Missed distress rate";
  }
  return "?";
}

RateLevel LevelOf(double proportion) {
  if (proportion < 0.05) return RateLevel::kLow;
  if (proportion < 0.20) return RateLevel::kMedium;
  return RateLevel::kHigh;
}

std::string_view Name(RateLevel level) {
  switch (level) {
    case RateLevel::kLow:
      return "low";
    case RateLevel::kMedium:
      return "medium";
    case RateLevel::kHigh:
      return "high";
  }
  return "?";
}

std::string HazardLabel(const Taxonomy& taxonomy, std::string_view hazard) {
  Result<CategoryPath> path = CategoryPath::Parse(hazard);
  if (!path.ok()) return std::string(hazard);
  const TaxonomyNode* node = taxonomy.Find(*path);
  if (node == nullptr) return std::string(hazard);
  return node->name + " (" + std::string(hazard) + ")";
}

size_t DisplayWidth(std::string_view utf8) {
  size_t width = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  return width;
}

std::string PadRight(std::string_view text, size_t width) {
  std::string out(text);
  size_t w = DisplayWidth(text);
  if (w < width) out.append(width - w, ' ');
  return out;
}

std::string PadLeft(std::string_view text, size_t width) {
  size_t w = DisplayWidth(text);
  return std::string(w < width ? width - w : 0, ' ') + std::string(text);
}

}  // namespace safeval
