// One dataset line parsed into a JSON DOM, and the read-only view of its values that the line
// checks (LineReader, AgentFieldReader, the line parser) are written against, so one set of
// rules runs on either DOM. Private to src/dataset/.
//
// - NlohmannLine / NlohmannView: the reference. Its parse reports every syntax error and
//   duplicate key as the problem users see.
// - SimdjsonLine / SimdjsonView: the fast path for well-formed lines (simdjson's DOM, several
//   times cheaper to build than nlohmann's). It never reports a problem: on a line simdjson
//   rejects, a line with a duplicate key in any object, or a value the reader needs dumped
//   (Dump() is nullopt) it gives up the line (LineReader::GiveUp), which is then read again
//   with nlohmann. For any other line both DOMs hold the same keys and values.
//
// A view borrows its DOM: valid until the line object is destroyed or parses again
// (SimdjsonLine: until the next SimdjsonLine::Parse on the same thread). Not thread-safe.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "dataset/line_reader.h"

namespace safeval::dataset_internal {

using nlohmann::json;

// The interface both views have. Object members: Find and ForEachKey (REQUIRES is_object());
// array members: size, ForEachElement (REQUIRES is_array()); str (REQUIRES is_string());
// boolean (REQUIRES is_boolean()).
class NlohmannView {
 public:
  explicit NlohmannView(const json& value) : value_(&value) {}

  bool is_object() const { return value_->is_object(); }
  bool is_array() const { return value_->is_array(); }
  bool is_string() const { return value_->is_string(); }
  bool is_boolean() const { return value_->is_boolean(); }
  // nlohmann's names: "object", "array", "string", "boolean", "number", "null".
  const char* type_name() const { return value_->type_name(); }

  std::optional<NlohmannView> Find(std::string_view key) const {
    auto it = value_->find(key);
    if (it == value_->end()) return std::nullopt;
    return NlohmannView(*it);
  }
  // f(std::string_view key) for each key once (nlohmann's map: in key order).
  template <typename F>
  void ForEachKey(F&& f) const {
    for (auto it = value_->begin(); it != value_->end(); ++it) f(std::string_view(it.key()));
  }

  size_t size() const { return value_->size(); }
  // f(size_t index, const NlohmannView& element) in order.
  template <typename F>
  void ForEachElement(F&& f) const {
    size_t i = 0;
    for (const json& element : *value_) f(i++, NlohmannView(element));
  }

  std::string_view str() const { return value_->get_ref<const std::string&>(); }
  bool boolean() const { return value_->get<bool>(); }
  // The compact dump (keys sorted); never nullopt.
  std::optional<std::string> Dump() const { return value_->dump(); }

 private:
  const json* value_;
};

class SimdjsonView {
 public:
  explicit SimdjsonView(simdjson::dom::element value) : value_(value) {}

  bool is_object() const { return value_.is_object(); }
  bool is_array() const { return value_.is_array(); }
  bool is_string() const { return value_.is_string(); }
  bool is_boolean() const { return value_.is_bool(); }
  const char* type_name() const;  // the names nlohmann gives

  std::optional<SimdjsonView> Find(std::string_view key) const {
    simdjson::dom::element found;
    if (object().at_key(key).get(found)) return std::nullopt;
    return SimdjsonView(found);
  }
  // In document order; keys are unique (SimdjsonLine gives up lines with duplicates).
  template <typename F>
  void ForEachKey(F&& f) const {
    for (simdjson::dom::key_value_pair member : object()) f(member.key);
  }

  size_t size() const { return array().size(); }
  template <typename F>
  void ForEachElement(F&& f) const {
    size_t i = 0;
    for (simdjson::dom::element element : array()) {
      f(i++, SimdjsonView(element));
    }
  }

  std::string_view str() const { return Get<std::string_view>(); }
  bool boolean() const { return Get<bool>(); }
  // Always nullopt: writing nlohmann's exact dump (its number formatting) is left to nlohmann.
  std::optional<std::string> Dump() const { return std::nullopt; }

 private:
  // By value: simdjson_result::value_unsafe() returns a reference into the temporary result,
  // which a range-for over it would outlive.
  template <typename T>
  T Get() const {
    T out{};
    if (value_.get(out) != simdjson::SUCCESS) return T{};  // the caller checked the type
    return out;
  }
  simdjson::dom::object object() const { return Get<simdjson::dom::object>(); }
  simdjson::dom::array array() const { return Get<simdjson::dom::array>(); }

  simdjson::dom::element value_;
};

// Parses with nlohmann. A syntax error ("malformed JSON: ...") and a duplicate key in the
// top-level object or anywhere in turns, tools or expect are problems added to the reader.
class NlohmannLine {
 public:
  using View = NlohmannView;
  // The document's root, or nullopt when the text is not JSON (a problem was added).
  std::optional<NlohmannView> Parse(std::string_view text, LineReader& reader);

 private:
  json document_;
};

// Parses with simdjson (one parser per thread, reused). Adds no problem: gives up the line
// (reader.GiveUp()) when simdjson rejects it, when any object in it has a key twice, or when it
// is longer than kMaxLineBytes (so the per-thread buffers stay small).
class SimdjsonLine {
 public:
  using View = SimdjsonView;
  static constexpr size_t kMaxLineBytes = 64 * 1024;
  std::optional<SimdjsonView> Parse(std::string_view text, LineReader& reader);
};

}  // namespace safeval::dataset_internal
