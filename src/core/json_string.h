// JSON strings written by hand, byte for byte as nlohmann::json's dump() writes them (no
// ensure_ascii), for the hot paths that write JSON without building a DOM: the canonical dataset
// line, OpenAI-style request bodies. Their output must not change with the writer: the canonical
// line is hashed into every run's dataset hash.
#pragma once

#include <string>
#include <string_view>

namespace safeval {

// Appends `text` to *out as a quoted JSON string: `"` and `\` escaped, \b \f \n \r \t, the other
// bytes below 0x20 as \u00xx (lowercase hex), every other byte (0x7f, UTF-8 sequences) as is.
// Returns false, with *out partly written, at the first byte that is not well-formed UTF-8
// (Unicode's table 3-7: no overlongs, surrogates or code points past U+10FFFF, the set
// nlohmann's decoder accepts); nlohmann's dump would throw or replace it, so callers take their
// DOM path for such text.
bool AppendJsonString(std::string_view text, std::string* out);

}  // namespace safeval
