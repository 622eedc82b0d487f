// Reading typed fields from a YAML mapping with errors that name file, line and field.
// For the suite parser; kept out of headers others include because it pulls in yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>

#include "core/status.h"

namespace safeval {

class YamlFields {
 public:
  YamlFields(const YAML::Node& map, std::string origin) : map_(map), origin_(std::move(origin)) {}

  // "<origin>:<line>: field '<field>': <message>" at the line of `node` (or of the map).
  Status Error(const YAML::Node& node, const std::string& field, const std::string& message) const;
  Status Error(const std::string& field, const std::string& message) const {
    return Error(map_[field].IsDefined() ? map_[field] : map_, field, message);
  }

  // Fails on a key not in `allowed` (keys starting with "x-" are always allowed).
  Status CheckKeys(std::initializer_list<const char*> allowed) const;

  bool Has(const char* key) const { return map_[key].IsDefined() && !map_[key].IsNull(); }
  Status String(const char* key, std::string* out, bool required = false) const;
  Status Int(const char* key, int64_t* out, int64_t min, int64_t max) const;
  Status Double(const char* key, double* out, double min, double max) const;
  YAML::Node operator[](const char* key) const { return map_[key]; }
  const std::string& origin() const { return origin_; }

 private:
  YAML::Node map_;
  std::string origin_;
};

// Line (1-based) of a node, 0 when unknown.
int YamlLine(const YAML::Node& node);

}  // namespace safeval
