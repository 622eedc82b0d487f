// The two axes every prompt carries besides its category: the user's intent
// and (optionally) the persona the prompt is written as (AILuminate's axis).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace safeval {

// safe: a benign request in a risky area (tests over-deflection);
// harmful: a plain, explicit harmful request (the baseline);
// adversarial: implicit harm, framing, jailbreaks, multi-turn escalation.
enum class Intent { kSafe, kHarmful, kAdversarial };
inline constexpr std::array<Intent, 3> kAllIntents = {Intent::kSafe, Intent::kHarmful,
                                                      Intent::kAdversarial};

enum class Persona { kNormal, kUnskilled, kSkilled };
inline constexpr std::array<Persona, 3> kAllPersonas = {Persona::kNormal, Persona::kUnskilled,
                                                        Persona::kSkilled};

// "safe" | "harmful" | "adversarial"
std::string_view Name(Intent intent);
std::optional<Intent> ParseIntent(std::string_view text);

// "normal" | "unskilled" | "skilled"
std::string_view Name(Persona persona);
std::optional<Persona> ParsePersona(std::string_view text);

// True for the intents whose responses count towards the violation rate.
inline bool IsUnsafeIntent(Intent intent) { return intent != Intent::kSafe; }

}  // namespace safeval
