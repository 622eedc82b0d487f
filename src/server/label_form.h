// The fields of a human label as the web UI's forms carry them (docs/web-ui.md: `class`,
// `violation`, `quality`, `note`), shared by the labelling form (pages_annotate.cc) and the
// adjudication forms (pages_rounds.cc): reading and checking a posted form, and drawing the
// fields. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/response_class.h"
#include "core/status.h"
#include "server/web_request.h"

namespace safeval {

// The longest note a label may carry, in bytes (AnnotationLabel::note).
inline constexpr size_t kMaxNoteBytes = 2000;

struct LabelFields {
  ResponseClass cls = ResponseClass::kUndetermined;  // a decided class
  bool violation = false;
  std::optional<int> quality;  // 1..5
  std::string note;            // UTF-8, at most kMaxNoteBytes
};

// The label in `request`'s form. InvalidArgument with a reason written for the annotator
// ("choose a class", "quality must be 1 to 5, got '7'", "the note is 2,345 bytes; at most
// 2000") when a required field is missing or a field is invalid. The message may quote what
// was posted: escape it before showing it.
Result<LabelFields> ParseLabelFields(const WebRequest& request);

// A path segment that is an item index ("0", "17"): digits only, at most 18 of them.
std::optional<int64_t> ParseItemIndex(const std::string& segment);

// What the fields show when the form is drawn: nothing chosen, an earlier decision, or what was
// posted when the form comes back with an error.
struct LabelFormValues {
  std::optional<ResponseClass> cls;
  std::optional<bool> violation;
  std::optional<int> quality;
  std::string note;
};
// The values of a posted form, as far as they can be read (for redrawing it with an error).
LabelFormValues PostedLabelValues(const WebRequest& request);

// What the policy says of each decided class for the item being labelled: true = a
// violation. Index: position in kDecidedClasses.
using ViolationByClass = std::array<bool, kDecidedClasses.size()>;

// The fields of a label form (not the <form> element itself): the class radios, each with
// `data-violation` ("yes"/"no") from `violation_of`, the violation and quality radios, the note
// and the keyboard hints. Element ids are `<id_prefix>class-refuses`, `<id_prefix>violation-yes`,
// `<id_prefix>quality-3`, `<id_prefix>note`: the labelling page uses prefix "" (the ids of
// docs/web-ui.md); a page with several forms gives each its own prefix. `shortcuts` adds the
// key of each choice (c, p, r, d, h, y, n, 1-5) beside it.
std::string LabelFieldsHtml(const std::string& id_prefix, const LabelFormValues& values,
                            const ViolationByClass& violation_of, bool shortcuts);

}  // namespace safeval
