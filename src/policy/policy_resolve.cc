// Resolving a suite's `policy:` value: the compiled-in default or a policy.yaml file.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/embedded.h"
#include "policy/policy.h"

namespace safeval {
namespace {

constexpr std::string_view kBuiltinDefault = "builtin:default";

Result<std::string> ReadPolicyFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("policy file '" + path + "' not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("policy file '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Status::IoError("cannot read policy file '" + path + "'");
  return text.str();
}

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
    return FromYaml(*text, spec, taxonomy);
  }
  if (spec.empty()) {
    return Status::InvalidArgument("empty policy (expected builtin:default or a path)");
  }
  std::filesystem::path path(spec);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  SV_ASSIGN_OR_RETURN(std::string text, ReadPolicyFile(path.string()));
  return FromYaml(text, path.string(), taxonomy);
}

}  // namespace safeval
