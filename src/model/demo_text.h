// Text helpers of the built-in demo target (demo_client.cc, demo_agent.cc): cue matching
// on lower-cased text and stable "rates" from a hash of the text. Pure functions,
// thread-safe. Changing any of them changes the demo's answers (and the report goldens).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace safeval::demo_text {

using Cues = std::span<const std::string_view>;

bool IsWordChar(char c);

// True when text[end..] is a word end, possibly after a simple suffix
// ("s", "es", "ed", "d", "ing", "er", "ers").
bool EndsWordAt(std::string_view text, size_t end);

// `cue` occurs in `text` at a word start and ends at a word end (allowing simple
// suffixes): "kill" matches "killing", not "skill".
bool HasCue(std::string_view text, std::string_view cue);
bool HasAny(std::string_view text, Cues cues);

// ASCII lower-case, with typographic apostrophes folded to "'".
std::string Normalize(std::string_view text);

int WordCount(std::string_view text);

// A stable number in [0, 100) for `text`, independent per `salt`.
int Percent(std::string_view salt, std::string_view text);

// One of `templates`, chosen by a hash of `text`. REQUIRES: templates not empty.
std::string Pick(Cues templates, std::string_view text);

}  // namespace safeval::demo_text
