// Resolving a suite's `taxonomy:` value: a built-in taxonomy or a taxonomy.yaml file.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

constexpr std::string_view kBuiltinPrefix = "builtin:";

std::string KnownBuiltins() { return std::string(kBuiltinPrefix) + "ailuminate-v1"; }

}  // namespace

Result<Taxonomy> Taxonomy::LoadFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("taxonomy file '" + path + "' not found");
  }
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument("taxonomy file '" + path + "' is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Status::IoError("cannot read taxonomy file '" + path + "'");
  return FromYaml(text.str(), path);
}

Result<Taxonomy> Taxonomy::Resolve(const std::string& spec, const std::string& base_dir) {
  if (spec.starts_with(kBuiltinPrefix)) {
    if (spec == KnownBuiltins()) return AiluminateV1();
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
