// The web UI's static files (web/app.js, web/style.css), compiled into the binary from web/
// (SAFEVAL_WEB_FILES in CMakeLists.txt) so `safeval serve` needs no files beside it.
#pragma once

#include <optional>
#include <string_view>

namespace safeval {

// The content of web/<name>, e.g. WebFile("app.js"); nullopt for any other name.
std::optional<std::string_view> WebFile(std::string_view name);

}  // namespace safeval
