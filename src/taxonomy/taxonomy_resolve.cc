// Resolving a suite's `taxonomy:` value: a built-in taxonomy or a taxonomy.yaml file.
#include <filesystem>

#include "core/embedded.h"
#include "taxonomy/taxonomy.h"
#include "taxonomy/yaml_map.h"

namespace safeval {
namespace {

constexpr std::string_view kBuiltinPrefix = "builtin:";
constexpr std::string_view kAiluminateV1 = "builtin:ailuminate-v1";
constexpr std::string_view kSafevalV1 = "builtin:safeval-v1";

std::string KnownBuiltins() { return std::string(kAiluminateV1) + ", " + std::string(kSafevalV1); }

// safeval-v1 lives as YAML in data/ (compiled in) rather than as a C++ table: at 74 nodes the
// file is the readable source, and users copy it to start their own taxonomy.
Result<Taxonomy> SafevalV1() {
  std::optional<std::string_view> yaml = EmbeddedFile("taxonomies/safeval-v1.yaml");
  if (!yaml) return Status::Internal("taxonomies/safeval-v1.yaml is not compiled in");
  return Taxonomy::FromYaml(*yaml, std::string(kSafevalV1));
}

}  // namespace

Result<Taxonomy> Taxonomy::LoadFile(const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::string text, ReadUserFile(path, "taxonomy file"));
  return FromYaml(text, path);
}

Result<Taxonomy> Taxonomy::Resolve(const std::string& spec, const std::string& base_dir) {
  if (spec.starts_with(kBuiltinPrefix)) {
    if (spec == kAiluminateV1) return AiluminateV1();
    if (spec == kSafevalV1) return SafevalV1();
    return Status::InvalidArgument("unknown built-in taxonomy '" + spec +
                                   "' (known: " + KnownBuiltins() + ")");
  }
  if (spec.empty()) {
    return Status::InvalidArgument("empty taxonomy (expected builtin:ailuminate-v1 or a path)");
  }
  std::filesystem::path path(spec);
  if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
  return LoadFile(path.string());
}

}  // namespace safeval
