// Reading YAML mappings with errors that name file, line and field — shared by
// every parser of a user-written YAML file (taxonomy, policy, suite, patterns).
// Lives in taxonomy/, the lowest layer that parses YAML; include it only from
// .cc files, since it pulls in yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace safeval {

// The 1-based line of `node`, or `fallback` when yaml-cpp does not know it.
int YamlLine(const YAML::Node& node, int fallback);

// InvalidArgument "<origin>:<line>: field '<field>': <what>".
Status YamlFieldError(const std::string& origin, int line, std::string_view field,
                      std::string_view what);

// "a, b, c"
std::string JoinNames(std::initializer_list<std::string_view> names);

// The entries of one YAML mapping, read once so that every key's line is at hand
// and repeated keys (which yaml-cpp accepts silently) are caught.
class YamlMap {
 public:
  YamlMap(const YAML::Node& map, const std::string& origin, int fallback_line);

  int line() const { return line_; }
  const std::string& origin() const { return origin_; }
  Status Error(int line, std::string_view field, std::string_view what) const {
    return YamlFieldError(origin_, line, field, what);
  }
  // The error at the line of `key` (or of the mapping when the key is absent).
  Status ErrorAt(std::string_view key, std::string_view what) const;

  // Keys outside `known` are errors unless they start with "x-" (user extensions);
  // so are repeated keys and non-scalar keys.
  Status CheckKeys(std::initializer_list<std::string_view> known) const;

  // The value of `key`; nullptr when the key is absent or its value is null.
  // *line (when given) receives the key's line when present.
  const YAML::Node* Find(std::string_view key, int* line = nullptr) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }

  // A scalar's text; "" when absent and not `required`. Fails when it is not valid UTF-8
  // (yaml-cpp unescapes "\N" and "\_" in double quotes to single bytes that are not).
  Result<std::string> String(std::string_view key, bool required) const;
  // An integer in [min, max]; `fallback` when absent.
  Result<int64_t> Int(std::string_view key, int64_t fallback, int64_t min, int64_t max) const;
  // A number in [min, max]; `fallback` when absent.
  Result<double> Double(std::string_view key, double fallback, double min, double max) const;

 private:
  struct Entry {
    std::string key;
    int line;
    YAML::Node value;
  };

  std::string origin_;
  int line_;
  std::vector<Entry> entries_;
};

// InvalidArgument "<origin>:<line>: invalid UTF-8 at byte <column> of the line" unless `text`
// is well-formed UTF-8 (yaml-cpp would pass bad bytes through to every later stage), and
// "<origin>:<line>: a control character (YAML allows tab, LF and CR only) at byte <column>
// of the line" for any other C0 control character, which YAML forbids.
Status CheckUtf8(std::string_view text, const std::string& origin);

// The whole content of a file the user named; NotFound / InvalidArgument (a
// folder) / IoError name the path and `what` it is ("taxonomy file", ...).
Result<std::string> ReadUserFile(const std::string& path, std::string_view what);

}  // namespace safeval
