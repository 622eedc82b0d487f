// The typed JSON reads shared by the dataset line parser's files, private to src/dataset/:
// each appends a DatasetProblem naming the line and the field when the value is not what was
// expected, and returns whether it was. The reads take any view of line_json.h (a DOM's value),
// so one set of checks runs on both DOMs. One LineReader per line; not thread-safe.
#pragma once

#include <algorithm>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dataset/dataset.h"

namespace safeval::dataset_internal {

template <size_t N>
bool OneOf(const std::string_view (&names)[N], std::string_view name) {
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

class LineReader {
 public:
  // REQUIRES: problems is not null and outlives the reader.
  LineReader(const std::string& file, int line, std::vector<DatasetProblem>* problems)
      : file_(file), line_(line), problems_(problems) {}

  void Add(std::string field, std::string message) {
    problems_->push_back({file_, line_, std::move(field), std::move(message)});
  }

  // Marks the line as one this view's DOM cannot read exactly as the reference (nlohmann) DOM
  // does: whatever was read or reported for it is not to be used (line_json.h).
  void GiveUp() { gave_up_ = true; }
  bool gave_up() const { return gave_up_; }

  // REQUIRES: obj.is_object().
  template <typename View>
  static std::optional<View> Find(const View& obj, std::string_view field) {
    return obj.Find(field);
  }

  template <typename View>
  std::optional<View> Require(const View& obj, const char* field) {
    std::optional<View> value = Find(obj, field);
    if (!value) Add(field, "missing required field");
    return value;
  }

  template <typename View>
  bool ReadString(const View& value, const std::string& field, std::string* out,
                  const char* expected = "a string") {
    if (!value.is_string()) {
      Add(field, std::string("expected ") + expected + ", got " + value.type_name());
      return false;
    }
    out->assign(value.str());
    return true;
  }

  template <typename View>
  bool ReadNonEmptyString(const View& value, const std::string& field, std::string* out) {
    if (!ReadString(value, field, out)) return false;
    if (!out->empty()) return true;
    Add(field, "must not be empty");
    return false;
  }

  template <typename View>
  void ReadStringList(const View& value, const std::string& field, std::vector<std::string>* out) {
    if (!value.is_array()) {
      Add(field, std::string("expected an array of strings, got ") + value.type_name());
      return;
    }
    value.ForEachElement([&](size_t i, const View& element) {
      std::string item;
      if (ReadString(element, field + "[" + std::to_string(i) + "]", &item)) {
        out->push_back(std::move(item));
      }
    });
  }

  template <typename View>
  bool ReadBool(const View& value, const std::string& field, bool* out) {
    if (!value.is_boolean()) {
      Add(field, std::string("expected true or false, got ") + value.type_name());
      return false;
    }
    *out = value.boolean();
    return true;
  }

  // The value's compact JSON as nlohmann's dump() writes it (object keys sorted). A view that
  // cannot write exactly that gives up the line and returns "".
  template <typename View>
  std::string Dump(const View& value) {
    std::optional<std::string> text = value.Dump();
    if (!text) GiveUp();
    return text ? std::move(*text) : std::string();
  }

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  size_t problem_count() const { return problems_->size(); }

 private:
  const std::string& file_;
  int line_;
  std::vector<DatasetProblem>* problems_;
  bool gave_up_ = false;
};

}  // namespace safeval::dataset_internal
