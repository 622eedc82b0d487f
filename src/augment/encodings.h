// The obfuscation encodings (technique.h's Encoding) and their decoders.
//
// Decoders exist so tests (and readers of a dataset) can check what an encoded prompt asks:
// Decode(Encode(text)) == text for every encoding except two lossy ones — kLeetspeak decodes
// to lower case and turns the digits 4 3 1 0 5 7 of the original into letters, so only text
// of lower-case letters and other non-digit characters round-trips; kHomoglyph turns
// the Cyrillic look-alikes it uses back into Latin letters, so only text without them does.
// Text is treated as UTF-8 code points (kCharSpacing and kReversed never split one).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "augment/technique.h"
#include "core/status.h"

namespace safeval {

struct Encoded {
  std::string payload;    // what a template's {{payload}} becomes
  std::string variables;  // kPayloadSplit: "a + b + c" ({{variables}}); empty otherwise
};

// Encodes `text`. `seed` chooses which letters kHomoglyph replaces (about half of those it
// can, at least one); the other encodings ignore it. `parts` is kPayloadSplit's number of
// variables (fewer when the text has fewer words, and then code points, than that).
// REQUIRES: encoding != kNone.
Encoded Encode(Encoding encoding, std::string_view text, uint64_t seed = 0, int parts = 3);

// The text an encoded payload stands for. Fails (InvalidArgument) on a payload the encoding
// cannot have produced (bad base64, a payload_split line that is not `x = "..."`).
Result<std::string> Decode(Encoding encoding, std::string_view payload);

}  // namespace safeval
