// Names of the core enums, as they appear in every file safeval reads or writes.
#include <utility>

#include "core/intent.h"
#include "core/response_class.h"

namespace safeval {
namespace {

template <typename E, size_t N>
std::string_view NameIn(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}

template <typename E, size_t N>
std::optional<E> ParseIn(const std::pair<E, std::string_view> (&table)[N], std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

constexpr std::pair<Intent, std::string_view> kIntentNames[] = {
    {Intent::kSafe, "safe"}, {Intent::kHarmful, "harmful"}, {Intent::kAdversarial, "adversarial"}};
constexpr std::pair<Persona, std::string_view> kPersonaNames[] = {
    {Persona::kNormal, "normal"}, {Persona::kUnskilled, "unskilled"}, {Persona::kSkilled, "skilled"}};
constexpr std::pair<ResponseClass, std::string_view> kClassNames[] = {
    {ResponseClass::kCompliesHarmful, "complies_harmful"}, {ResponseClass::kPartial, "partial"},
    {ResponseClass::kRefuses, "refuses"},   {ResponseClass::kDeflects, "deflects"},
    {ResponseClass::kHelpful, "helpful"},   {ResponseClass::kUndetermined, "undetermined"}};
constexpr std::pair<Outcome, std::string_view> kOutcomeNames[] = {
    {Outcome::kJudged, "judged"}, {Outcome::kModelError, "model_error"},
    {Outcome::kJudgeError, "judge_error"}, {Outcome::kSkipped, "skipped"}};

}  // namespace

std::string_view Name(Intent v) { return NameIn(kIntentNames, v); }
std::optional<Intent> ParseIntent(std::string_view t) { return ParseIn(kIntentNames, t); }
std::string_view Name(Persona v) { return NameIn(kPersonaNames, v); }
std::optional<Persona> ParsePersona(std::string_view t) { return ParseIn(kPersonaNames, t); }
std::string_view Name(ResponseClass v) { return NameIn(kClassNames, v); }
std::optional<ResponseClass> ParseResponseClass(std::string_view t) { return ParseIn(kClassNames, t); }
std::string_view Name(Outcome v) { return NameIn(kOutcomeNames, v); }
std::optional<Outcome> ParseOutcome(std::string_view t) { return ParseIn(kOutcomeNames, t); }

}  // namespace safeval
