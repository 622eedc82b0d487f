// AgentFieldReader: the dataset keys for agents, system-prompt leaks, distress and bias
// (docs/datasets.md), and the tool calls and tool turns of a conversation.
#include "dataset/agent_field_reader.h"

#include <algorithm>

#include "dataset/line_json.h"

namespace safeval::dataset_internal {
namespace {

constexpr std::string_view kToolCallFields[] = {"id", "name", "arguments"};
constexpr std::string_view kExpectFields[] = {"no_tool_call", "no_leak", "distress"};
constexpr char kToolShape[] =
    "an array of {\"type\": \"function\", \"function\": {\"name\": ...}} objects";
// A canary shorter than this could occur in a response by chance.
constexpr size_t kMinCanaryChars = 8;

size_t CountCodePoints(const std::string& text) {
  // Valid UTF-8 (checked first): every byte but continuation bytes starts a code point.
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace
// `role` is empty when the turn's role is missing or invalid (reported already).
template <typename View>
bool AgentFieldReader<View>::ReadTurnToolCalls(const View& turn, const std::string& field,
                                               const std::string& role, Turn* out) {
  std::optional<View> calls = reader_.Find(turn, "tool_calls");
  if (!calls) return true;
  const std::string calls_field = field + ".tool_calls";
  if (!role.empty() && role != "assistant") {
    reader_.Add(calls_field,
                "only an assistant turn may call tools, this turn's role is '" + role + "'");
    return false;
  }
  if (!calls->is_array() || calls->size() == 0) {
    reader_.Add(calls_field, std::string("expected a non-empty array of {id, name, arguments} "
                                         "objects, got ") +
                                 (calls->is_array() ? "an empty array" : calls->type_name()));
    return false;
  }
  bool ok = true;
  calls->ForEachElement([&](size_t i, const View& value) {
    ToolCall call;
    if (ReadToolCall(value, calls_field + "[" + std::to_string(i) + "]", &call)) {
      out->tool_calls.push_back(std::move(call));
    } else {
      ok = false;
    }
  });
  return ok;
}

template <typename View>
bool AgentFieldReader<View>::ReadToolCall(const View& value, const std::string& field,
                                          ToolCall* call) {
  if (!value.is_object()) {
    reader_.Add(field,
                std::string("expected an object {id, name, arguments}, got ") + value.type_name());
    return false;
  }
  bool ok = true;
  value.ForEachKey([&](std::string_view key) {
    if (OneOf(kToolCallFields, key)) return;
    reader_.Add(field + "." + std::string(key), "unknown field; allowed: id, name, arguments");
    ok = false;
  });
  if (std::optional<View> id = reader_.Find(value, "id"))
    ok = ReadCallId(*id, field + ".id", &call->id) && ok;
  std::optional<View> name = reader_.Find(value, "name");
  if (!name) {
    reader_.Add(field + ".name", "missing required field (the name of the tool called)");
    ok = false;
  } else {
    ok = reader_.ReadNonEmptyString(*name, field + ".name", &call->name) && ok;
  }
  call->arguments_json = "{}";
  if (std::optional<View> arguments = reader_.Find(value, "arguments")) {
    if (arguments->is_object()) {
      call->arguments_json = reader_.Dump(*arguments);
    } else {
      reader_.Add(
          field + ".arguments",
          std::string("expected an object (the call's arguments), got ") + arguments->type_name());
      ok = false;
    }
  }
  return ok;
}

// A tool call's id, remembered so that a later "tool" turn can answer it.
template <typename View>
bool AgentFieldReader<View>::ReadCallId(const View& value, const std::string& field,
                                        std::string* id) {
  if (!reader_.ReadNonEmptyString(value, field, id)) return false;
  if (std::find(call_ids_.begin(), call_ids_.end(), *id) != call_ids_.end()) {
    reader_.Add(field, "tool call id '" + *id + "' is used by an earlier tool call");
    return false;
  }
  call_ids_.push_back(*id);
  return true;
}

template <typename View>
bool AgentFieldReader<View>::ReadTurnToolCallId(const View& turn, const std::string& field,
                                                const std::string& role, Turn* out) {
  std::optional<View> id = reader_.Find(turn, "tool_call_id");
  const std::string id_field = field + ".tool_call_id";
  if (role == "tool" && !id) {
    reader_.Add(id_field,
                "missing required field (a tool turn answers the tool call with this id)");
    return false;
  }
  if (!id) return true;
  if (!role.empty() && role != "tool") {
    reader_.Add(id_field,
                "only a tool turn has a tool_call_id, this turn's role is '" + role + "'");
    return false;
  }
  if (!reader_.ReadNonEmptyString(*id, id_field, &out->tool_call_id)) return false;
  if (std::find(call_ids_.begin(), call_ids_.end(), out->tool_call_id) == call_ids_.end()) {
    reader_.Add(id_field,
                "no earlier assistant turn has a tool call with id '" + out->tool_call_id + "'");
    return false;
  }
  return true;
}

// The system prompt, and the canary that must be planted in it.
template <typename View>
void AgentFieldReader<View>::ReadSystemAndCanary(const View& obj, Prompt* prompt) {
  std::optional<View> system = reader_.Find(obj, "system");
  if (system) reader_.ReadNonEmptyString(*system, "system", &prompt->system);
  std::optional<View> canary = reader_.Find(obj, "canary");
  std::string text;
  if (!canary || !reader_.ReadNonEmptyString(*canary, "canary", &text)) return;
  size_t chars = CountCodePoints(text);
  if (chars < kMinCanaryChars) {
    return reader_.Add("canary", "expected at least " + std::to_string(kMinCanaryChars) +
                                     " characters (a string that cannot occur by chance), got " +
                                     std::to_string(chars));
  }
  if (!system) return reader_.Add("canary", "needs a 'system' prompt that contains it");
  if (prompt->system.empty()) return;  // the system problem is reported already
  if (prompt->system.find(text) == std::string::npos) {
    return reader_.Add("canary",
                       "'" + text + "' does not occur in 'system' (write it there literally)");
  }
  prompt->canary = std::move(text);
}

// Stores the array as its compact dump (keys sorted: the canonical form).
template <typename View>
void AgentFieldReader<View>::ReadTools(const View& tools, Prompt* prompt) {
  if (!tools.is_array() || tools.size() == 0) {
    return reader_.Add("tools", std::string("expected ") + kToolShape + ", got " +
                                    (tools.is_array() ? "an empty array" : tools.type_name()));
  }
  bool ok = true;
  std::vector<std::string> names;
  tools.ForEachElement([&](size_t i, const View& tool) {
    ok = ReadTool(tool, "tools[" + std::to_string(i) + "]", &names) && ok;
  });
  if (ok) prompt->tools_json = reader_.Dump(tools);
}

template <typename View>
bool AgentFieldReader<View>::ReadTool(const View& tool, const std::string& field,
                                      std::vector<std::string>* names) {
  if (!tool.is_object()) {
    reader_.Add(field, std::string("expected an object {\"type\": \"function\", \"function\": "
                                   "{\"name\": ...}}, got ") +
                           tool.type_name());
    return false;
  }
  bool ok = true;
  std::optional<View> type = reader_.Find(tool, "type");
  if (!type || !type->is_string() || type->str() != "function") {
    reader_.Add(field + ".type", "expected \"function\", got " +
                                     (!type ? std::string("nothing") : reader_.Dump(*type)));
    ok = false;
  }
  std::optional<View> function = reader_.Find(tool, "function");
  if (!function || !function->is_object()) {
    reader_.Add(field + ".function",
                std::string("expected an object {name, description, parameters}, "
                            "got ") +
                    (function ? function->type_name() : "nothing"));
    return false;
  }
  std::string name;
  std::optional<View> name_value = reader_.Find(*function, "name");
  if (!name_value) {
    reader_.Add(field + ".function.name", "missing required field (the tool's name)");
    return false;
  }
  if (!reader_.ReadNonEmptyString(*name_value, field + ".function.name", &name)) return false;
  if (std::find(names->begin(), names->end(), name) != names->end()) {
    reader_.Add(field + ".function.name", "tool '" + name + "' is defined twice");
    return false;
  }
  names->push_back(name);
  std::optional<View> parameters = reader_.Find(*function, "parameters");
  if (parameters && !parameters->is_object()) {
    reader_.Add(field + ".function.parameters",
                std::string("expected a JSON schema object, got ") + parameters->type_name());
    ok = false;
  }
  return ok;
}

template <typename View>
void AgentFieldReader<View>::ReadExpect(const View& value, Expectations* expect) {
  if (!value.is_object()) {
    return reader_.Add("expect",
                       std::string("expected an object {no_tool_call, no_leak, distress}, "
                                   "got ") +
                           value.type_name());
  }
  value.ForEachKey([&](std::string_view key) {
    if (!OneOf(kExpectFields, key)) {
      reader_.Add("expect." + std::string(key),
                  "unknown key; allowed: no_tool_call, no_leak, distress");
    }
  });
  if (std::optional<View> v = reader_.Find(value, "no_tool_call"))
    ReadToolNames(*v, &expect->no_tool_call);
  if (std::optional<View> v = reader_.Find(value, "no_leak"))
    reader_.ReadBool(*v, "expect.no_leak", &expect->no_leak);
  if (std::optional<View> v = reader_.Find(value, "distress")) {
    reader_.ReadBool(*v, "expect.distress", &expect->distress);
  }
}

template <typename View>
void AgentFieldReader<View>::ReadToolNames(const View& value, std::vector<std::string>* out) {
  const std::string field = "expect.no_tool_call";
  if (!value.is_array()) {
    return reader_.Add(field, std::string("expected an array of tool names (strings; \"*\" for any "
                                          "tool), got ") +
                                  value.type_name());
  }
  value.ForEachElement([&](size_t i, const View& element) {
    std::string name;
    if (reader_.ReadNonEmptyString(element, field + "[" + std::to_string(i) + "]", &name)) {
      out->push_back(std::move(name));
    }
  });
}

template class AgentFieldReader<NlohmannView>;
template class AgentFieldReader<SimdjsonView>;

}  // namespace safeval::dataset_internal
