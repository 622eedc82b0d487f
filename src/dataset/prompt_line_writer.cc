// PromptToJsonLine: the canonical JSONL form of a prompt, also what the dataset hash covers.
//
// The form is, byte for byte, what nlohmann's ordered_json DOM dumped
// (dump(-1, ' ', false, error_handler_t::replace)) when this function was built on it: every
// stored run's dataset_hash was computed over it. That DOM path stays (PromptToJsonLineViaDom)
// as the reference the direct writer is tested against, and as the writer for the rare prompts
// whose exact output only nlohmann knows: embedded JSON to re-serialise (tools, tool call
// arguments other than "{}") and strings that are not valid UTF-8 (nlohmann's replacement of
// invalid sequences by U+FFFD). The direct writer spares the dataset reader a DOM per prompt.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "core/json_string.h"
#include "dataset/dataset.h"
#include "dataset/prompt_line_internal.h"

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

// --- The direct writer -------------------------------------------------------------------

// The member `"key":"value"` after a comma (keys are plain ASCII: no escaping).
bool AppendMember(std::string_view key, std::string_view value, std::string* out) {
  out->push_back(',');
  out->push_back('"');
  out->append(key);
  out->append("\":");
  return AppendJsonString(value, out);
}

// `["a","b"]`.
bool AppendStringList(const std::vector<std::string>& values, std::string* out) {
  out->push_back('[');
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out->push_back(',');
    if (!AppendJsonString(values[i], out)) return false;
  }
  out->push_back(']');
  return true;
}

bool AppendStringArray(std::string_view key, const std::vector<std::string>& values,
                       std::string* out) {
  out->append(",\"").append(key).append("\":");
  return AppendStringList(values, out);
}

// Only the arguments every call without arguments has; any other JSON text is re-serialised,
// which is the DOM path's job.
bool AppendToolCalls(const std::vector<ToolCall>& calls, std::string* out) {
  out->append(",\"tool_calls\":[");
  for (size_t i = 0; i < calls.size(); ++i) {
    const ToolCall& call = calls[i];
    if (!call.arguments_json.empty() && call.arguments_json != "{}") return false;
    out->append(i > 0 ? ",{" : "{");
    if (!call.id.empty()) {
      out->append("\"id\":");
      if (!AppendJsonString(call.id, out)) return false;
      out->push_back(',');
    }
    out->append("\"name\":");
    if (!AppendJsonString(call.name, out)) return false;
    out->append(",\"arguments\":{}}");
  }
  out->push_back(']');
  return true;
}

bool AppendTurns(const std::vector<Turn>& turns, std::string* out) {
  out->append(",\"turns\":[");
  for (size_t i = 0; i < turns.size(); ++i) {
    const Turn& turn = turns[i];
    out->append(i > 0 ? ",{\"role\":" : "{\"role\":");
    if (!AppendJsonString(turn.role, out) || !AppendMember("content", turn.content, out)) return false;
    if (!turn.tool_calls.empty() && !AppendToolCalls(turn.tool_calls, out)) return false;
    if (!turn.tool_call_id.empty() && !AppendMember("tool_call_id", turn.tool_call_id, out)) {
      return false;
    }
    out->push_back('}');
  }
  out->push_back(']');
  return true;
}

bool AppendExpect(const Expectations& expect, std::string* out) {
  out->append(",\"expect\":{");
  const char* separator = "";
  if (!expect.no_tool_call.empty()) {
    out->append("\"no_tool_call\":");
    if (!AppendStringList(expect.no_tool_call, out)) return false;
    separator = ",";
  }
  if (expect.no_leak) {
    out->append(separator).append("\"no_leak\":true");
    separator = ",";
  }
  if (expect.distress) out->append(separator).append("\"distress\":true");
  out->push_back('}');
  return true;
}

// The canonical line written directly, or false when only the DOM path knows it (see the top).
bool AppendPromptLine(const Prompt& prompt, std::string* out) {
  out->append("{\"id\":");
  if (!AppendJsonString(prompt.id, out)) return false;
  if (prompt.turns.size() == 1 && prompt.turns[0].role == "user") {
    if (!AppendMember("text", prompt.turns[0].content, out)) return false;
  } else if (!AppendTurns(prompt.turns, out)) {
    return false;
  }
  if (!AppendMember("category", prompt.category.str(), out)) return false;
  if (!AppendMember("intent", Name(prompt.intent), out)) return false;
  if (prompt.persona && !AppendMember("persona", Name(*prompt.persona), out)) return false;
  if (!prompt.locale.empty() && !AppendMember("locale", prompt.locale, out)) return false;
  if (!prompt.tags.empty() && !AppendStringArray("tags", prompt.tags, out)) return false;
  if (!prompt.parent_id.empty() && !AppendMember("parent_id", prompt.parent_id, out)) return false;
  if (!prompt.techniques.empty() && !AppendStringArray("techniques", prompt.techniques, out)) {
    return false;
  }
  if (!prompt.system.empty() && !AppendMember("system", prompt.system, out)) return false;
  if (!prompt.canary.empty() && !AppendMember("canary", prompt.canary, out)) return false;
  if (!prompt.tools_json.empty()) return false;
  if (!prompt.group.empty() && !AppendMember("group", prompt.group, out)) return false;
  if (!prompt.pair_id.empty() && !AppendMember("pair_id", prompt.pair_id, out)) return false;
  if (!prompt.expect.empty() && !AppendExpect(prompt.expect, out)) return false;
  out->push_back('}');
  return true;
}

}  // namespace

namespace dataset_internal {

std::string PromptToJsonLineViaDom(const Prompt& prompt) {
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

bool PromptToJsonLineDirect(const Prompt& prompt, std::string* out) {
  out->clear();
  return AppendPromptLine(prompt, out);
}

}  // namespace dataset_internal

std::string PromptToJsonLine(const Prompt& prompt) {
  std::string line;
  if (dataset_internal::PromptToJsonLineDirect(prompt, &line)) return line;
  return dataset_internal::PromptToJsonLineViaDom(prompt);
}

}  // namespace safeval
