// JSON strings written by hand, byte for byte as nlohmann::json's dump() writes them (no
// ensure_ascii), for the hot paths that write JSON without building a DOM: the store's rows,
// the canonical dataset line, OpenAI-style request bodies. Their output must not change with the
// writer: the canonical line is hashed into every run's dataset hash.
#pragma once

#include <string>
#include <string_view>

namespace safeval {

// Appends `text` to `out` as a quoted JSON string: `"` and `\` escaped, \b \f \n \r \t, the other
// bytes below 0x20 as \u00xx (lowercase hex), every other byte (0x7f, UTF-8 sequences) as is.
// REQUIRES: `text` is valid UTF-8 (core/utf8.h) — nlohmann's dump would reject or replace what is
// not; callers check first, or take their DOM path for such text.
void AppendJsonString(std::string& out, std::string_view text);

}  // namespace safeval
