// The checks AnnotationStore makes of its input before writing anything, private to src/store/.
// Each returns Ok or an InvalidArgument whose message is complete (it names the field and what
// was expected), so the SQLite store can return it as is.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/annotation.h"
#include "core/status.h"

namespace safeval::store_internal {

// The longest note a label or an adjudication may carry, in bytes.
inline constexpr size_t kMaxNoteBytes = 2000;
// The overlap a round may ask for: 1..kMaxOverlap annotators per item.
inline constexpr int kMaxOverlap = 10;

// Annotator and round names: 1..64 of [A-Za-z0-9_.@-]. `kind` is "annotator" or "round".
Status CheckAnnotationName(std::string_view kind, const std::string& name);

// Free text that will be stored (a note, a timestamp): well-formed UTF-8. `field` names it.
Status CheckStoredText(std::string_view field, const std::string& text);

// A round's own fields: its name, overlap 1..10, at least one item, no item twice, no negative
// index, UTF-8 created_at. Whether the run and its items exist is checked against the store.
Status CheckRoundFields(const AnnotationRound& round);

// What a label and an adjudication share: a decided class, quality 1..5 when given, a note of
// at most 2000 bytes of UTF-8, a UTF-8 timestamp. `what` says whose, e.g.
// "label of item 3 by 'ana'".
Status CheckDecision(const std::string& what, ResponseClass cls, std::optional<int> quality,
                     const std::string& note, const std::string& timestamp);

}  // namespace safeval::store_internal
