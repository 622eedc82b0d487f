// Template text with {{name}} placeholders (technique templates, generation prompts).
//
// A placeholder is "{{", optional spaces, a name of [a-z_], optional spaces, "}}". Any other
// "{{" is plain text. Values are inserted as they are and never scanned again, so a request
// that itself contains "{{request}}" cannot expand twice. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace safeval {

// The placeholder names in `text`, in order of appearance, repeats included.
std::vector<std::string> PlaceholderNames(std::string_view text);

// `text` with every placeholder replaced by its value in `values`; a name without a value is
// left as it was written.
std::string RenderTemplate(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace safeval
