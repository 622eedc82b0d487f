#include "augment/template_text.h"

namespace safeval {
namespace {

struct Placeholder {
  size_t begin = 0;  // offset of "{{"
  size_t end = 0;    // offset just past "}}"
  std::string name;
};

bool IsNameChar(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }

// The first placeholder at or after `from`, or one with end == 0 when there is none.
Placeholder NextPlaceholder(std::string_view text, size_t from) {
  for (size_t open = text.find("{{", from); open != std::string_view::npos;
       open = text.find("{{", open + 1)) {
    size_t i = open + 2;
    while (i < text.size() && text[i] == ' ') ++i;
    size_t name_begin = i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    size_t name_end = i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (name_end > name_begin && text.substr(i, 2) == "}}") {
      return {open, i + 2, std::string(text.substr(name_begin, name_end - name_begin))};
    }
  }
  return {};
}

}  // namespace

std::vector<std::string> PlaceholderNames(std::string_view text) {
  std::vector<std::string> names;
  for (Placeholder p = NextPlaceholder(text, 0); p.end != 0; p = NextPlaceholder(text, p.end)) {
    names.push_back(std::move(p.name));
  }
  return names;
}

std::string RenderTemplate(std::string_view text,
                           const std::map<std::string, std::string>& values) {
  std::string out;
  size_t done = 0;
  for (Placeholder p = NextPlaceholder(text, 0); p.end != 0; p = NextPlaceholder(text, p.end)) {
    auto it = values.find(p.name);
    if (it == values.end()) continue;
    out.append(text.substr(done, p.begin - done));
    out += it->second;
    done = p.end;
  }
  out.append(text.substr(done));
  return out;
}

}  // namespace safeval
