#include "store/annotation_checks.h"

#include <algorithm>
#include <set>

#include "core/utf8.h"

namespace safeval::store_internal {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '@' || c == '-';
}

// Quoted in an error only when it cannot disturb a terminal or a log line.
bool IsShowable(const std::string& name) {
  return name.size() <= kMaxNameBytes && IsValidUtf8(name) &&
         std::none_of(name.begin(), name.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

bool IsDecided(ResponseClass cls) {
  return std::find(kDecidedClasses.begin(), kDecidedClasses.end(), cls) != kDecidedClasses.end();
}

}  // namespace

Status CheckAnnotationName(std::string_view kind, const std::string& name) {
  if (!name.empty() && name.size() <= kMaxNameBytes &&
      std::all_of(name.begin(), name.end(), IsNameChar)) {
    return Status::Ok();
  }
  std::string shown = IsShowable(name) ? " '" + name + "'" : "";
  return Status::InvalidArgument(std::string(kind) + " name" + shown +
                                 " must be 1 to 64 characters of letters, digits, '_', '.', "
                                 "'@' and '-'");
}

Status CheckStoredText(std::string_view field, const std::string& text) {
  size_t bad = 0;
  if (IsValidUtf8(text, &bad)) return Status::Ok();
  return Status::InvalidArgument(std::string(field) + " is not valid UTF-8 (bad byte at offset " +
                                 std::to_string(bad) + ")");
}

Status CheckRoundFields(const AnnotationRound& round) {
  SV_RETURN_IF_ERROR(CheckAnnotationName("round", round.name));
  const std::string where = "round '" + round.name + "'";
  if (round.overlap < 1 || round.overlap > kMaxOverlap) {
    return Status::InvalidArgument(where + ": overlap " + std::to_string(round.overlap) +
                                   " is outside 1.." + std::to_string(kMaxOverlap));
  }
  if (round.items.empty()) return Status::InvalidArgument(where + " has no items");
  std::set<int64_t> seen;
  for (int64_t index : round.items) {
    if (index < 0) {
      return Status::InvalidArgument(where + ": item index " + std::to_string(index) +
                                     " is negative");
    }
    if (!seen.insert(index).second) {
      return Status::InvalidArgument(where + " lists item " + std::to_string(index) + " twice");
    }
  }
  return CheckStoredText(where + ": created_at", round.created_at);
}

Status CheckDecision(const std::string& what, ResponseClass cls, std::optional<int> quality,
                     const std::string& note, const std::string& timestamp) {
  if (!IsDecided(cls)) {
    return Status::InvalidArgument(what + ": class " + std::string(Name(cls)) +
                                   " is not a decided class");
  }
  if (quality && (*quality < 1 || *quality > 5)) {
    return Status::InvalidArgument(what + ": quality " + std::to_string(*quality) +
                                   " is outside 1..5");
  }
  if (note.size() > kMaxNoteBytes) {
    return Status::InvalidArgument(what + ": the note is " + std::to_string(note.size()) +
                                   " bytes; at most " + std::to_string(kMaxNoteBytes) +
                                   " are allowed");
  }
  SV_RETURN_IF_ERROR(CheckStoredText(what + ": the note", note));
  return CheckStoredText(what + ": the timestamp", timestamp);
}

}  // namespace safeval::store_internal
