// Helpers shared by the format converters: category candidates, locale and code normalisation.
#include "dataset/import_formats.h"

namespace safeval {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool AllLetters(std::string_view s) {
  for (char c : s) {
    if (Lower(c) < 'a' || Lower(c) > 'z') return false;
  }
  return !s.empty();
}

// BCP 47 casing of one subtag after the language: region upper, script title case.
std::string CaseSubtag(std::string_view subtag) {
  std::string out;
  for (char c : subtag) out += Lower(c);
  if (out.size() == 2 && AllLetters(out)) {
    for (char& c : out) c = Upper(c);
  } else if (out.size() == 4 && AllLetters(out)) {
    out[0] = Upper(out[0]);
  }
  return out;
}

}  // namespace

CategoryPath FirstKnownCategory(const Taxonomy& taxonomy,
                                const std::vector<std::string_view>& candidates) {
  CategoryPath last;
  for (std::string_view candidate : candidates) {
    Result<CategoryPath> path = CategoryPath::Parse(candidate);
    if (!path.ok()) continue;  // the tables hold valid paths; nothing to report
    if (taxonomy.Find(*path)) return std::move(path).value();
    last = std::move(path).value();
  }
  return last;
}

std::string Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

std::string NormalizeCode(std::string_view text) {
  std::string out = Trim(text);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string NormalizeLocale(std::string_view locale) {
  std::string text = NormalizeCode(locale);
  std::string out;
  size_t start = 0;
  for (bool first = true; start <= text.size(); first = false) {
    size_t end = text.find_first_of("-_", start);
    if (end == std::string::npos) end = text.size();
    std::string_view subtag = std::string_view(text).substr(start, end - start);
    if (!first) out += '_';
    out += first ? std::string(subtag) : CaseSubtag(subtag);
    start = end + 1;
  }
  return out;
}

}  // namespace safeval
