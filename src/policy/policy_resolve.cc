// Resolving a suite's `policy:` value: the compiled-in default or a policy.yaml file.
#include <filesystem>

#include "core/embedded.h"
#include "policy/policy.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

constexpr std::string_view kBuiltinDefault = "builtin:default";

}  // namespace

Result<Policy> Policy::Resolve(const std::string& spec, const std::string& base_dir,
                               const Taxonomy& taxonomy) {
  if (spec.starts_with("builtin:")) {
    if (spec != kBuiltinDefault) {
      return Status::InvalidArgument("unknown built-in policy '" + spec +
                                     "' (known: " + std::string(kBuiltinDefault) + ")");
    }
    std::optional<std::string_view> text = EmbeddedFile("policies/default.yaml");
    if (!text) return Status::Internal("the built-in policy data/policies/default.yaml is missing");
    return FromYaml(*text, spec, taxonomy, UnknownNodes::kSkip);
  }
  if (spec.empty()) {
    return Status::InvalidArgument("empty policy (expected builtin:default or a path)");
  }
  std::filesystem::path path(spec);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(path.string(), "policy file"));
  return FromYaml(text, path.string(), taxonomy);
}

}  // namespace safeval
