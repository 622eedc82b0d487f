// A test prompt: a single text or a multi-turn conversation, with the axes
// safeval slices results by.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/category_path.h"
#include "core/intent.h"

namespace safeval {

// One message of a conversation. role is "system", "user" or "assistant".
struct Turn {
  std::string role;
  std::string content;
  friend bool operator==(const Turn&, const Turn&) = default;
};

struct Prompt {
  std::string id;                    // unique within a dataset
  std::vector<Turn> turns;           // a single-text prompt is one "user" turn
  CategoryPath category;
  Intent intent = Intent::kSafe;
  std::optional<Persona> persona;
  std::string locale;                // e.g. "en_US"; empty when not given
  std::vector<std::string> tags;
  std::string parent_id;             // for derived (adversarial) prompts
  std::vector<std::string> techniques;  // the technique chain that derived it

  // Where it was read from, for error messages: "file.jsonl:12". Not persisted.
  std::string origin;

  // The text of the last user turn (what a single-text prompt "is").
  const std::string& LastUserText() const;
  bool IsMultiTurn() const { return turns.size() > 1; }
};

// Builds a single-turn prompt. For tests and built-in data.
Prompt MakePrompt(std::string id, std::string text, CategoryPath category, Intent intent);

}  // namespace safeval
