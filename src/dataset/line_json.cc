// NlohmannLine and SimdjsonLine: a dataset line into a DOM (see line_json.h).
#include "dataset/line_json.h"

#include <algorithm>
#include <vector>

namespace safeval::dataset_internal {
namespace {

namespace dom = simdjson::dom;

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1,
// column 5: ..."; the tag means nothing to users and "line 1" is relative to the
// JSON text, not the file, so both go.
std::string JsonErrorMessage(const std::string& what) {
  std::string message = what;
  if (message.rfind("[json.exception.", 0) == 0) {
    size_t end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  size_t at = message.find("at line 1, column");
  if (at != std::string::npos) message.erase(at + 3, sizeof("line 1, ") - 1);
  return message;
}

// Checks the top-level object and the objects inside turns, tools and expect (tool calls,
// arguments, tool definitions); x- values are not ours to judge.
void NoteKey(const std::string& key, const std::string& top_key,
             std::vector<std::vector<std::string>>* open_objects, LineReader& reader) {
  bool top_level = open_objects->size() == 1;
  if (!top_level && top_key != "turns" && top_key != "tools" && top_key != "expect") return;
  std::vector<std::string>& seen = open_objects->back();
  if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
    seen.push_back(key);
  } else if (top_level) {
    reader.Add(key, "appears more than once in the object");
  } else if (top_key == "turns" && open_objects->size() == 2) {
    reader.Add("turns", "key '" + key + "' appears more than once in a turn");
  } else {
    reader.Add(top_key, "key '" + key + "' appears more than once in an object");
  }
}

// Whether any object in `value` has a key twice. Objects are small: a quadratic search, except
// for a large one, whose keys are sorted.
bool HasDuplicateKeys(dom::element value) {
  dom::array array;
  if (value.get(array) == simdjson::SUCCESS) {
    for (dom::element element : array) {
      if (HasDuplicateKeys(element)) return true;
    }
    return false;
  }
  dom::object object;
  if (value.get(object) != simdjson::SUCCESS) return false;
  constexpr size_t kQuadraticUpTo = 16;
  if (object.size() > kQuadraticUpTo) {
    std::vector<std::string_view> keys;
    for (dom::key_value_pair member : object) keys.push_back(member.key);
    std::sort(keys.begin(), keys.end());
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) return true;
  } else {
    std::string_view keys[kQuadraticUpTo];
    size_t count = 0;
    for (dom::key_value_pair member : object) {
      if (std::find(keys, keys + count, member.key) != keys + count) return true;
      keys[count++] = member.key;
    }
  }
  for (dom::key_value_pair member : object) {
    if (HasDuplicateKeys(member.value)) return true;
  }
  return false;
}

}  // namespace

const char* SimdjsonView::type_name() const {
  switch (value_.type()) {
    case dom::element_type::OBJECT:
      return "object";
    case dom::element_type::ARRAY:
      return "array";
    case dom::element_type::STRING:
      return "string";
    case dom::element_type::BOOL:
      return "boolean";
    case dom::element_type::NULL_VALUE:
      return "null";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE:
      return "number";
  }
  return "number";
}

std::optional<NlohmannView> NlohmannLine::Parse(std::string_view text, LineReader& reader) {
  // nlohmann keeps the last of duplicate keys silently; a second "intent"
  // in a line is almost always a mistake, so the callback reports it.
  std::vector<std::vector<std::string>> open_objects;  // keys seen in each
  std::string top_key;  // the top-level key whose value is being parsed
  auto on_event = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == json::parse_event_t::object_end) open_objects.pop_back();
    if (event == json::parse_event_t::key) {
      const std::string& key = parsed.get_ref<const std::string&>();
      if (open_objects.size() == 1) top_key = key;
      NoteKey(key, top_key, &open_objects, reader);
    }
    return true;
  };
  try {
    document_ = json::parse(text.begin(), text.end(), on_event);
  } catch (const json::exception& e) {
    reader.Add("", "malformed JSON: " + JsonErrorMessage(e.what()));
    return std::nullopt;
  }
  return NlohmannView(document_);
}

std::optional<SimdjsonView> SimdjsonLine::Parse(std::string_view text, LineReader& reader) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the text, hence the copy.
  thread_local dom::parser parser;
  thread_local std::string buffer;
  dom::element root;
  if (text.size() <= kMaxLineBytes) {
    buffer.assign(text);
    buffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    if (!parser.parse(buffer.data(), buffer.size(), /*realloc_if_needed=*/false).get(root) &&
        !HasDuplicateKeys(root)) {
      return SimdjsonView(root);
    }
  }
  reader.GiveUp();
  return std::nullopt;
}

}  // namespace safeval::dataset_internal
