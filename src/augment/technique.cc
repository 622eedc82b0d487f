#include "augment/technique.h"

#include <utility>

namespace safeval {
namespace {

constexpr std::pair<TechniqueFamily, std::string_view> kFamilyNames[] = {
    {TechniqueFamily::kFraming, "framing"},
    {TechniqueFamily::kObfuscation, "obfuscation"},
    {TechniqueFamily::kLanguage, "language"},
    {TechniqueFamily::kMultiTurn, "multi_turn"}};

constexpr std::pair<Encoding, std::string_view> kEncodingNames[] = {
    {Encoding::kNone, "none"},           {Encoding::kBase64, "base64"},
    {Encoding::kRot13, "rot13"},         {Encoding::kLeetspeak, "leetspeak"},
    {Encoding::kHomoglyph, "homoglyph"}, {Encoding::kCharSpacing, "char_spacing"},
    {Encoding::kReversed, "reversed"},   {Encoding::kPayloadSplit, "payload_split"}};

}  // namespace

std::string_view Name(TechniqueFamily family) {
  for (const auto& [value, name] : kFamilyNames)
    if (value == family) return name;
  return "?";
}

std::optional<TechniqueFamily> ParseTechniqueFamily(std::string_view text) {
  for (const auto& [value, name] : kFamilyNames)
    if (name == text) return value;
  return std::nullopt;
}

std::string_view Name(Encoding encoding) {
  for (const auto& [value, name] : kEncodingNames)
    if (value == encoding) return name;
  return "?";
}

std::optional<Encoding> ParseEncoding(std::string_view text) {
  for (const auto& [value, name] : kEncodingNames)
    if (name == text) return value;
  return std::nullopt;
}

}  // namespace safeval
