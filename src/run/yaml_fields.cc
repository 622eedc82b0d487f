#include "run/yaml_fields.h"

namespace safeval {

int YamlLine(const YAML::Node& node) {
  auto mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

Status YamlFields::Error(const YAML::Node& node, const std::string& field,
                         const std::string& message) const {
  int line = YamlLine(node);
  std::string where = line > 0 ? origin_ + ":" + std::to_string(line) : origin_;
  return Status::InvalidArgument(where + ": field '" + field + "': " + message);
}

Status YamlFields::CheckKeys(std::initializer_list<const char*> allowed) const {
  for (const auto& kv : map_) {
    std::string key = kv.first.as<std::string>();
    if (key.rfind("x-", 0) == 0) continue;
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
    return Error(kv.first, key, "unknown field (allowed: " + list + "; or an x- prefixed key)");
  }
  return Status::Ok();
}

Status YamlFields::String(const char* key, std::string* out, bool required) const {
  YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull()) {
    return required ? Error(map_, key, "required field is missing") : Status::Ok();
  }
  if (!n.IsScalar()) return Error(n, key, "expected a string");
  *out = n.Scalar();
  if (required && out->empty()) return Error(n, key, "must not be empty");
  return Status::Ok();
}

Status YamlFields::Int(const char* key, int64_t* out, int64_t min, int64_t max) const {
  YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull()) return Status::Ok();
  int64_t v;
  if (!n.IsScalar() || !YAML::convert<int64_t>::decode(n, v)) return Error(n, key, "expected an integer");
  if (v < min || v > max) {
    return Error(n, key, "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                             ", got " + std::to_string(v));
  }
  *out = v;
  return Status::Ok();
}

Status YamlFields::Double(const char* key, double* out, double min, double max) const {
  YAML::Node n = map_[key];
  if (!n.IsDefined() || n.IsNull()) return Status::Ok();
  double v;
  if (!n.IsScalar() || !YAML::convert<double>::decode(n, v)) return Error(n, key, "expected a number");
  if (v < min || v > max) {
    return Error(n, key, "expected a number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  *out = v;
  return Status::Ok();
}

}  // namespace safeval
