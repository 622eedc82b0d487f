// Adversarial techniques: how a plain request is turned into an adversarial one.
//
// A Technique is data (read from YAML by technique_registry.h): an id, a family, a
// description, and the variants of its transform — templates for framings, encodings and
// translations, scripted conversations for multi-turn escalation. The transform itself is
// ApplyTechnique (transform.h). Value types only; safe to share across threads once built.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"

namespace safeval {

// framing: the request in a context that makes it look legitimate (history, fiction,
// research, an expert's voice, primed with examples, ...);
// obfuscation: the request encoded so that keyword filters miss it (base64, leetspeak, ...);
// language: the request translated by a generator model;
// multi_turn: a scripted conversation that escalates to the request.
enum class TechniqueFamily { kFraming, kObfuscation, kLanguage, kMultiTurn };

// "framing" | "obfuscation" | "language" | "multi_turn"
std::string_view Name(TechniqueFamily family);
std::optional<TechniqueFamily> ParseTechniqueFamily(std::string_view text);

// What an obfuscation technique does to the request before it is put in a template.
// Each is a pure function of the text (and a seed for kHomoglyph); encodings.h decodes them.
enum class Encoding {
  kNone,          // framing, language and multi_turn techniques
  kBase64,        // the UTF-8 bytes in standard padded base64
  kRot13,         // ASCII letters rotated by 13
  kLeetspeak,     // a→4 e→3 i→1 o→0 s→5 t→7 (either case)
  kHomoglyph,     // some Latin letters replaced by look-alike Cyrillic ones
  kCharSpacing,   // a space after every character
  kReversed,      // the characters in reverse order
  kPayloadSplit,  // the request cut into parts assigned to variables a, b, c, ...
};

// "none" | "base64" | "rot13" | "leetspeak" | "homoglyph" | "char_spacing" | "reversed" |
// "payload_split"
std::string_view Name(Encoding encoding);
std::optional<Encoding> ParseEncoding(std::string_view text);

// One example exchange for few-shot and many-shot priming.
struct Shot {
  std::string user;
  std::string assistant;
};

struct Technique {
  std::string id;                    // what a derived prompt's `techniques` records
  std::vector<std::string> aliases;  // other names accepted by --techniques
  TechniqueFamily family = TechniqueFamily::kFraming;
  std::string description;

  // framing, obfuscation, language: the variants, one chosen per derived prompt. Placeholders
  // (technique_registry.h checks which ones each family may use): {{request}} the text so far,
  // {{payload}} the encoded or translated text, {{topic}} the category's name, {{shots}} the
  // rendered example exchanges, {{language}}, {{variables}} ("a + b + c", payload_split).
  std::vector<std::string> templates;
  // multi_turn: the variants; each alternates user and assistant turns and ends with a user
  // turn holding {{request}}. Assistant turns are fixed, neutral text written in advance.
  std::vector<std::vector<Turn>> conversations;

  Encoding encoding = Encoding::kNone;  // obfuscation
  int parts = 3;                        // payload_split: how many variables (2..10)
  std::string language;                 // language: e.g. "French"
  std::string locale;                   // language: the derived prompt's locale, e.g. "fr_FR"
  std::vector<Shot> shots;              // framing with {{shots}}: the pool of exchanges
  int shot_count = 0;                   // how many shots {{shots}} renders (drawn from the pool)

  std::string origin;  // "file:line" of its definition, for messages

  // Number of variants to choose from (templates or conversations).
  size_t variant_count() const {
    return family == TechniqueFamily::kMultiTurn ? conversations.size() : templates.size();
  }
};

}  // namespace safeval
