// PromptToJsonLine: the canonical JSONL form of a prompt, also what the dataset hash covers.
#include <nlohmann/json.hpp>

#include "dataset/dataset.h"

namespace safeval {
namespace {

// ordered_json keeps insertion order, which makes the key order part of the canonical form.
using nlohmann::ordered_json;

// tools_json and arguments_json hold JSON text; embedded as JSON so the line reads back. Text
// that does not parse (a Prompt built in code) is written as a string, which the reader rejects
// rather than this function throwing.
ordered_json EmbeddedJson(const std::string& text) {
  ordered_json value = ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return text;
  return value;
}

ordered_json ToolCallsToJson(const std::vector<ToolCall>& calls) {
  ordered_json out = ordered_json::array();
  for (const ToolCall& call : calls) {
    ordered_json item;
    if (!call.id.empty()) item["id"] = call.id;
    item["name"] = call.name;
    item["arguments"] = EmbeddedJson(call.arguments_json.empty() ? "{}" : call.arguments_json);
    out.push_back(std::move(item));
  }
  return out;
}

ordered_json TurnsToJson(const std::vector<Turn>& turns) {
  ordered_json out = ordered_json::array();
  for (const Turn& turn : turns) {
    ordered_json item;
    item["role"] = turn.role;
    item["content"] = turn.content;
    if (!turn.tool_calls.empty()) item["tool_calls"] = ToolCallsToJson(turn.tool_calls);
    if (!turn.tool_call_id.empty()) item["tool_call_id"] = turn.tool_call_id;
    out.push_back(std::move(item));
  }
  return out;
}

ordered_json ExpectToJson(const Expectations& expect) {
  ordered_json out = ordered_json::object();
  if (!expect.no_tool_call.empty()) out["no_tool_call"] = expect.no_tool_call;
  if (expect.no_leak) out["no_leak"] = true;
  if (expect.distress) out["distress"] = true;
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
  if (!prompt.system.empty()) line["system"] = prompt.system;
  if (!prompt.canary.empty()) line["canary"] = prompt.canary;
  if (!prompt.tools_json.empty()) line["tools"] = EmbeddedJson(prompt.tools_json);
  if (!prompt.group.empty()) line["group"] = prompt.group;
  if (!prompt.pair_id.empty()) line["pair_id"] = prompt.pair_id;
  if (!prompt.expect.empty()) line["expect"] = ExpectToJson(prompt.expect);
  // replace, not the default strict handler: a prompt built in code may hold
  // invalid UTF-8, and this function must not throw.
  return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace safeval
