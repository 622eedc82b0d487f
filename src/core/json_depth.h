// How deeply a JSON text nests, checked before parsing text from outside.
//
// nlohmann::json parses any depth without recursion, but copying, comparing and dumping a
// value recurse once per level: a line such as [[[[…]]]] a few megabytes long parses fine
// and then overflows the stack wherever it is copied or written back out. Parsers of
// outside JSON that keep or re-serialise values reject texts nested deeper than a limit
// first (found by fuzz/importers_fuzzer.cc).
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace safeval {

// A nesting limit far above any real dataset line, reply or verdict, and far below what
// the stack can hold.
inline constexpr size_t kMaxJsonDepth = 128;

// True when arrays and objects in `json_text` nest more than `limit` levels deep. Brackets
// inside strings do not count; the text need not be valid JSON (invalid text is left to the
// parser to reject). Linear time, no allocation.
bool JsonNestedDeeperThan(std::string_view json_text, size_t limit = kMaxJsonDepth);

}  // namespace safeval
