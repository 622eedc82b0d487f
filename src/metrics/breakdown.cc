#include "metrics/breakdown.h"

#include <algorithm>
#include <charconv>

namespace safeval {
namespace {

constexpr size_t kMaxCategoryDepth = 64;
constexpr std::string_view kValidKeys =
    "hazard, category:N, intent, persona, technique, locale, tag";

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

Status UnknownKey(std::string_view text) {
  return Status::InvalidArgument("unknown breakdown key '" + std::string(text) +
                                 "' (expected one of " + std::string(kValidKeys) + ")");
}

Result<BreakdownKey> ParseCategoryKey(std::string_view text) {
  std::string_view digits = text.substr(std::string_view("category:").size());
  size_t depth = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), depth);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || depth < 1 ||
      depth > kMaxCategoryDepth) {
    return Status::InvalidArgument(
        "breakdown key '" + std::string(text) +
        "': the level N of category:N must be a whole number from 1 to " +
        std::to_string(kMaxCategoryDepth));
  }
  return BreakdownKey{Dimension::kCategory, depth};
}

// Splits on `separator`, trimming each piece (pieces may be empty).
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    size_t at = text.find(separator);
    pieces.push_back(Trim(text.substr(0, at)));
    if (at == std::string_view::npos) return pieces;
    text.remove_prefix(at + 1);
  }
}

Result<Breakdown> ParseOneBreakdown(std::string_view text) {
  Breakdown breakdown;
  for (std::string_view piece : Split(text, '+')) {
    SV_ASSIGN_OR_RETURN(BreakdownKey key, ParseBreakdownKey(piece));
    if (std::find(breakdown.begin(), breakdown.end(), key) != breakdown.end()) {
      return Status::InvalidArgument("breakdown '" + std::string(text) + "' repeats the key '" +
                                     KeyName(key) + "'");
    }
    breakdown.push_back(key);
  }
  if (breakdown.size() > kMaxBreakdownKeys) {
    return Status::InvalidArgument("breakdown '" + std::string(text) + "' crosses " +
                                   std::to_string(breakdown.size()) + " keys; at most " +
                                   std::to_string(kMaxBreakdownKeys) + " are allowed");
  }
  return breakdown;
}

}  // namespace

std::string KeyName(const BreakdownKey& key) {
  switch (key.dimension) {
    case Dimension::kHazard:
      return "hazard";
    case Dimension::kCategory:
      return "category:" + std::to_string(std::max<size_t>(key.depth, 1));
    case Dimension::kIntent:
      return "intent";
    case Dimension::kPersona:
      return "persona";
    case Dimension::kTechnique:
      return "technique";
    case Dimension::kLocale:
      return "locale";
    case Dimension::kTag:
      return "tag";
  }
  return "?";
}

Result<BreakdownKey> ParseBreakdownKey(std::string_view text) {
  if (text.empty()) {
    return Status::InvalidArgument("empty breakdown key (expected one of " +
                                   std::string(kValidKeys) + ")");
  }
  if (text.starts_with("category:")) return ParseCategoryKey(text);
  static constexpr std::pair<std::string_view, Dimension> kSimple[] = {
      {"hazard", Dimension::kHazard},   {"intent", Dimension::kIntent},
      {"persona", Dimension::kPersona}, {"technique", Dimension::kTechnique},
      {"locale", Dimension::kLocale},   {"tag", Dimension::kTag},
  };
  for (const auto& [name, dimension] : kSimple) {
    if (text == name) return BreakdownKey{dimension, 1};
  }
  return UnknownKey(text);
}

Result<std::vector<Breakdown>> ParseBreakdowns(std::string_view text) {
  std::vector<Breakdown> breakdowns;
  if (Trim(text).empty()) return breakdowns;
  for (std::string_view piece : Split(text, ',')) {
    SV_ASSIGN_OR_RETURN(Breakdown breakdown, ParseOneBreakdown(piece));
    breakdowns.push_back(std::move(breakdown));
  }
  return breakdowns;
}

}  // namespace safeval
