#include "taxonomy/yaml_map.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/utf8.h"

namespace safeval {

int YamlLine(const YAML::Node& node, int fallback) {
  int line = node.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

Status YamlFieldError(const std::string& origin, int line, std::string_view field,
                      std::string_view what) {
  return Status::InvalidArgument(origin + ":" + std::to_string(line) + ": field '" +
                                 std::string(field) + "': " + std::string(what));
}

std::string JoinNames(std::initializer_list<std::string_view> names) {
  std::string out;
  for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

YamlMap::YamlMap(const YAML::Node& map, const std::string& origin, int fallback_line)
    : origin_(origin), line_(YamlLine(map, fallback_line)) {
  for (const auto& kv : map) {
    entries_.push_back({kv.first.IsScalar() ? kv.first.Scalar() : std::string(),
                        YamlLine(kv.first, line_), kv.second});
  }
}

Status YamlMap::ErrorAt(std::string_view key, std::string_view what) const {
  int line = line_;
  Find(key, &line);
  return Error(line, key, what);
}

Status YamlMap::CheckKeys(std::initializer_list<std::string_view> known) const {
  std::map<std::string, int> seen;
  for (const Entry& e : entries_) {
    if (auto [it, added] = seen.emplace(e.key, e.line); !added) {
      return Error(e.line, e.key, "repeated key (first at line " + std::to_string(it->second) + ")");
    }
    if (e.key.empty()) return Error(e.line, "?", "expected a plain string as key");
    if (e.key.starts_with("x-")) continue;
    bool ok = false;
    for (std::string_view k : known) ok = ok || k == e.key;
    if (!ok) {
      return Error(e.line, e.key,
                   "unknown key (expected one of " + JoinNames(known) +
                       ", or an extension key starting with 'x-')");
    }
  }
  return Status::Ok();
}

const YAML::Node* YamlMap::Find(std::string_view key, int* line) const {
  for (const Entry& e : entries_) {
    if (e.key != key) continue;
    if (line != nullptr) *line = e.line;
    return e.value.IsNull() ? nullptr : &e.value;
  }
  return nullptr;
}

Result<std::string> YamlMap::String(std::string_view key, bool required) const {
  int line = line_;
  const YAML::Node* value = Find(key, &line);
  if (value == nullptr) {
    if (!required) return std::string();
    return Error(line, key, "required; expected a non-empty string");
  }
  if (!value->IsScalar()) return Error(line, key, "expected a string");
  if (required && value->Scalar().empty()) return Error(line, key, "expected a non-empty string");
  // yaml-cpp writes the escapes \N and \_ as single bytes that are not UTF-8.
  if (!IsValidUtf8(value->Scalar())) {
    return Error(line, key, "not valid UTF-8 once unescaped (write \\N as \\u0085, \\_ as \\u00a0)");
  }
  return value->Scalar();
}

Result<int64_t> YamlMap::Int(std::string_view key, int64_t fallback, int64_t min,
                             int64_t max) const {
  int line = line_;
  const YAML::Node* value = Find(key, &line);
  if (value == nullptr) return fallback;
  int64_t v = 0;
  if (!value->IsScalar() || !YAML::convert<int64_t>::decode(*value, v)) {
    return Error(line, key, "expected an integer");
  }
  if (v < min || v > max) {
    return Error(line, key, "expected an integer from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got " + std::to_string(v));
  }
  return v;
}

Result<double> YamlMap::Double(std::string_view key, double fallback, double min,
                               double max) const {
  int line = line_;
  const YAML::Node* value = Find(key, &line);
  if (value == nullptr) return fallback;
  double v = 0;
  if (!value->IsScalar() || !YAML::convert<double>::decode(*value, v)) {
    return Error(line, key, "expected a number");
  }
  if (v < min || v > max) {
    std::ostringstream range;
    range << "expected a number from " << min << " to " << max << ", got " << v;
    return Error(line, key, range.str());
  }
  return v;
}

Status CheckUtf8(std::string_view text, const std::string& origin) {
  size_t bad = text.size();
  std::string what;
  if (size_t invalid = 0; !IsValidUtf8(text, &invalid)) {
    bad = invalid;
    what = "invalid UTF-8";
  }
  // YAML allows no C0 control character but tab, LF and CR, and yaml-cpp turns some (a NUL)
  // into bytes that are not UTF-8 (found by fuzz/suite_fuzzer.cc).
  for (size_t i = 0; i < bad; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      bad = i;
      what = "a control character (YAML allows tab, LF and CR only)";
      break;
    }
  }
  if (what.empty()) return Status::Ok();
  size_t line_start = bad == 0 ? std::string_view::npos : text.rfind('\n', bad - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + bad, '\n'));
  return Status::InvalidArgument(origin + ":" + std::to_string(line) + ": " + what + " at byte " +
                                 std::to_string(bad - line_start + 1) + " of the line");
}

Result<std::string> ReadUserFile(const std::string& path, std::string_view what) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound(std::string(what) + " '" + path + "' not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(std::string(what) + " '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Status::IoError("cannot read " + std::string(what) + " '" + path + "'");
  return text.str();
}

}  // namespace safeval
