// The typed JSON reads shared by the dataset line parser's files, private to src/dataset/:
// each appends a DatasetProblem naming the line and the field when the value is not what was
// expected, and returns whether it was. One LineReader per line; not thread-safe.
#pragma once

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dataset/dataset.h"

namespace safeval::dataset_internal {

using nlohmann::json;

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

  static const json* Find(const json& obj, const char* field) {
    auto it = obj.find(field);
    return it == obj.end() ? nullptr : &*it;
  }

  const json* Require(const json& obj, const char* field) {
    const json* value = Find(obj, field);
    if (!value) Add(field, "missing required field");
    return value;
  }

  bool ReadString(const json& value, const std::string& field, std::string* out,
                  const char* expected = "a string") {
    if (!value.is_string()) {
      Add(field, std::string("expected ") + expected + ", got " + value.type_name());
      return false;
    }
    *out = value.get<std::string>();
    return true;
  }

  bool ReadNonEmptyString(const json& value, const std::string& field, std::string* out) {
    if (!ReadString(value, field, out)) return false;
    if (!out->empty()) return true;
    Add(field, "must not be empty");
    return false;
  }

  void ReadStringList(const json& value, const std::string& field, std::vector<std::string>* out) {
    if (!value.is_array()) {
      Add(field, std::string("expected an array of strings, got ") + value.type_name());
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) {
      std::string item;
      if (ReadString(value[i], field + "[" + std::to_string(i) + "]", &item)) {
        out->push_back(std::move(item));
      }
    }
  }

  bool ReadBool(const json& value, const std::string& field, bool* out) {
    if (!value.is_boolean()) {
      Add(field, std::string("expected true or false, got ") + value.type_name());
      return false;
    }
    *out = value.get<bool>();
    return true;
  }

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  size_t problem_count() const { return problems_->size(); }

 private:
  const std::string& file_;
  int line_;
  std::vector<DatasetProblem>* problems_;
};

}  // namespace safeval::dataset_internal
