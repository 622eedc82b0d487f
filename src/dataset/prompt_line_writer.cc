// PromptToJsonLine: the canonical JSONL form of a prompt, also what the dataset hash covers.
#include <nlohmann/json.hpp>

#include "dataset/dataset.h"

namespace safeval {
namespace {

// ordered_json keeps insertion order, which makes the key order part of the canonical form.
using nlohmann::ordered_json;

ordered_json TurnsToJson(const std::vector<Turn>& turns) {
  ordered_json out = ordered_json::array();
  for (const Turn& turn : turns) {
    ordered_json item;
    item["role"] = turn.role;
    item["content"] = turn.content;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::string PromptToJsonLine(const Prompt& prompt) {
  ordered_json line;
  line["id"] = prompt.id;
  if (prompt.turns.size() == 1 && prompt.turns[0].role == "user") {
    line["text"] = prompt.turns[0].content;
  } else {
    line["turns"] = TurnsToJson(prompt.turns);
  }
  line["category"] = prompt.category.str();
  line["intent"] = std::string(Name(prompt.intent));
  if (prompt.persona) line["persona"] = std::string(Name(*prompt.persona));
  if (!prompt.locale.empty()) line["locale"] = prompt.locale;
  if (!prompt.tags.empty()) line["tags"] = prompt.tags;
  if (!prompt.parent_id.empty()) line["parent_id"] = prompt.parent_id;
  if (!prompt.techniques.empty()) line["techniques"] = prompt.techniques;
  // replace, not the default strict handler: a prompt built in code may hold
  // invalid UTF-8, and this function must not throw.
  return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace safeval
