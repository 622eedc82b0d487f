#include "model/demo_text.h"

#include <cctype>

#include "core/hash.h"

namespace safeval::demo_text {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool EndsWordAt(std::string_view text, size_t end) {
  if (end >= text.size() || !IsWordChar(text[end])) return true;
  for (std::string_view suffix : {"s", "es", "ed", "d", "ing", "er", "ers"}) {
    if (text.substr(end, suffix.size()) != suffix) continue;
    size_t after = end + suffix.size();
    if (after >= text.size() || !IsWordChar(text[after])) return true;
  }
  return false;
}

bool HasCue(std::string_view text, std::string_view cue) {
  for (size_t pos = text.find(cue); pos != std::string_view::npos; pos = text.find(cue, pos + 1)) {
    bool starts_word = pos == 0 || !IsWordChar(text[pos - 1]) || !IsWordChar(cue.front());
    bool ends_word = !IsWordChar(cue.back()) || EndsWordAt(text, pos + cue.size());
    if (starts_word && ends_word) return true;
  }
  return false;
}

bool HasAny(std::string_view text, Cues cues) {
  for (std::string_view cue : cues)
    if (HasCue(text, cue)) return true;
  return false;
}

std::string Normalize(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "\xE2\x80\x99") {
      out += '\'';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
  }
  return out;
}

int WordCount(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    bool space = std::isspace(static_cast<unsigned char>(c));
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

int Percent(std::string_view salt, std::string_view text) {
  Hasher hasher;
  hasher.Add(salt).Add(text);
  return static_cast<int>(hasher.Digest() % 100);
}

std::string Pick(Cues templates, std::string_view text) {
  Hasher hasher;
  hasher.Add("style").Add(text);
  return std::string(templates[hasher.Digest() % templates.size()]);
}

}  // namespace safeval::demo_text
