// One step of a technique chain: a technique applied to a prompt's conversation.
//
// Framing, obfuscation and language techniques rewrite the text of the last user turn (a
// single-text prompt is one user turn), so a chain can stack them; earlier turns of a
// conversation are kept as they are. A multi_turn technique replaces a single-turn prompt by
// its scripted conversation (user and assistant turns, the assistant's neutral text written
// in advance, since the executor sends a conversation as it is and never fills turns in);
// it must be the last step of a chain.
//
// Deterministic: the same technique, turns and inputs give the same result. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "augment/technique.h"
#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

struct TransformInputs {
  std::string topic;        // {{topic}}: what the category is about, e.g. "phishing"
  size_t variant = 0;       // which template or conversation; REQUIRES: < variant_count()
  uint64_t seed = 0;        // which letters kHomoglyph replaces; the order of {{shots}}
  std::string translation;  // language techniques: the request in technique.language
};

// The result of applying `technique` to `turns`. Fails (InvalidArgument) when `turns` is
// empty or does not end with a user turn, and for a multi_turn technique on a conversation
// of more than one turn.
Result<std::vector<Turn>> ApplyTechnique(const Technique& technique, const std::vector<Turn>& turns,
                                         const TransformInputs& inputs);

// {{shots}} of a framing technique: technique.shot_count exchanges drawn from its pool in a
// seeded order (the pool is reshuffled each time it runs out), each rendered as
// "User: ...\nAssistant: ...", separated by blank lines.
std::string RenderShots(const Technique& technique, uint64_t seed);

}  // namespace safeval
