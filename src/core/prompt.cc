#include "core/prompt.h"

namespace safeval {

const std::string& Prompt::LastUserText() const {
  static const std::string kEmpty;
  for (auto it = turns.rbegin(); it != turns.rend(); ++it)
    if (it->role == "user") return it->content;
  return kEmpty;
}

Prompt MakePrompt(std::string id, std::string text, CategoryPath category, Intent intent) {
  Prompt p;
  p.id = std::move(id);
  p.turns.push_back({"user", std::move(text)});
  p.category = std::move(category);
  p.intent = intent;
  return p;
}

}  // namespace safeval
