#include "model/tool_wire.h"

#include "core/utf8.h"
#include "model/json_reply.h"

namespace safeval::tool_wire {

using nlohmann::json;

namespace {

// The string at `key` of object `value`, or "" when absent or not a string.
std::string StringField(const json& value, const char* key) {
  if (!value.is_object()) return "";
  auto it = value.find(key);
  return it != value.end() && it->is_string() ? SanitizeUtf8(it->get<std::string>()) : "";
}

const json* Field(const json& value, const char* key) {
  if (!value.is_object()) return nullptr;
  auto it = value.find(key);
  return it == value.end() ? nullptr : &*it;
}

// The function object of an OpenAI tool definition, or the definition itself when flat.
const json& FunctionOf(const json& tool) {
  const json* function = Field(tool, "function");
  return function != nullptr && function->is_object() ? *function : tool;
}

}  // namespace

json ParseTools(const std::string& tools_json) {
  if (tools_json.empty()) return json::array();
  json tools = json::parse(tools_json, nullptr, /*allow_exceptions=*/false);
  return tools.is_array() ? tools : json::array();
}

json ToAnthropicTools(const json& tools) {
  json out = json::array();
  if (!tools.is_array()) return out;
  for (const json& tool : tools) {
    const json& function = FunctionOf(tool);
    std::string name = StringField(function, "name");
    if (name.empty()) continue;
    json converted = json::object({{"name", name}});
    std::string description = StringField(function, "description");
    if (!description.empty()) converted["description"] = description;
    const json* parameters = Field(function, "parameters");
    converted["input_schema"] =
        parameters != nullptr && parameters->is_object()
            ? *parameters
            : json::object({{"type", "object"}, {"properties", json::object()}});
    out.push_back(std::move(converted));
  }
  return out;
}

std::string ArgumentsText(const json& arguments) {
  if (arguments.is_null()) return "{}";
  if (!arguments.is_string()) return DumpJson(arguments);
  const std::string& text = arguments.get_ref<const std::string&>();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return "{}";
  if (!CheckReplyDepth(text).ok()) return DumpJson(json(text));
  json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? DumpJson(json(text)) : DumpJson(parsed);
}

json ArgumentsObject(const std::string& arguments_json) {
  if (arguments_json.empty() || !CheckReplyDepth(arguments_json).ok()) return json::object();
  json parsed = json::parse(arguments_json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return json::object();
  if (parsed.is_object()) return parsed;
  return json::object({{"value", std::move(parsed)}});
}

Result<ToolCall> ToolCallFromJson(const json& element, const std::string& where) {
  if (!element.is_object()) return Status::InvalidArgument(where + " is not an object");
  const json& function = FunctionOf(element);
  ToolCall call;
  call.id = StringField(element, "id");
  call.name = StringField(function, "name");
  if (call.name.empty()) return Status::InvalidArgument(where + " has no function name");
  const json* arguments = Field(function, "arguments");
  if (arguments == nullptr) arguments = Field(function, "input");
  call.arguments_json = arguments == nullptr ? "{}" : ArgumentsText(*arguments);
  return call;
}

Result<std::vector<ToolCall>> ToolCallsFromJson(const json& array, const std::string& where) {
  if (!array.is_array()) return Status::InvalidArgument(where + " is not an array");
  std::vector<ToolCall> calls;
  for (size_t i = 0; i < array.size(); ++i) {
    SV_ASSIGN_OR_RETURN(ToolCall call,
                        ToolCallFromJson(array[i], where + "[" + std::to_string(i) + "]"));
    calls.push_back(std::move(call));
  }
  return calls;
}

json ToOpenAiToolCalls(const std::vector<ToolCall>& calls) {
  json out = json::array();
  for (const ToolCall& call : calls) {
    out.push_back(json::object(
        {{"id", call.id},
         {"type", "function"},
         {"function",
          json::object({{"name", call.name},
                        {"arguments", call.arguments_json.empty() ? std::string("{}")
                                                                  : call.arguments_json}})}}));
  }
  return out;
}

}  // namespace safeval::tool_wire
