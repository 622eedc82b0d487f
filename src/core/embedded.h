// Data files compiled into the binary (the list is SAFEVAL_EMBEDDED_FILES in CMakeLists.txt),
// so built-in policies and pattern sets work without a data/ folder beside the binary.
#pragma once

#include <optional>
#include <string_view>

namespace safeval {

// The content of data/<path>, e.g. EmbeddedFile("policies/default.yaml"); nullopt if not embedded.
std::optional<std::string_view> EmbeddedFile(std::string_view path);

}  // namespace safeval
