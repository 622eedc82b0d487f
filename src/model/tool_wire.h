// Tool definitions and tool calls on the wire, shared by the adapters that speak them
// (openai, anthropic, http, exec): reading tool calls out of a reply in any of the shapes
// endpoints use, and writing a conversation's tool calls back in the OpenAI shape.
//
// Shapes read by ToolCallFromJson (one element of a reply's tool-call array):
//   OpenAI      {"id": "call_1", "type": "function",
//                "function": {"name": "f", "arguments": "{\"a\":1}"}}
//   flat        {"id"?: "...", "name": "f", "arguments": {...} | "<json text>"}
//   Anthropic   {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {...}}
// The arguments become ToolCall::arguments_json by ArgumentsText.
//
// Include only from .cc files of model/: it pulls in nlohmann/json. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/tool_call.h"

namespace safeval::tool_wire {

// `tools_json` (a JSON array, as Prompt::tools_json) parsed; an empty array when it is
// empty, not JSON or not an array (the dataset loader validated it: encoders must not fail).
nlohmann::json ParseTools(const std::string& tools_json);

// Tools in the OpenAI function-calling shape ({"type":"function","function":{"name",
// "description","parameters"}}; a bare {"name",...} is accepted too) as Anthropic tools
// {"name", "description"?, "input_schema"} (an empty object schema when no parameters).
// Entries without a name are dropped.
nlohmann::json ToAnthropicTools(const nlohmann::json& tools);

// Compact JSON text of a call's arguments: an object or other non-string value is dumped;
// a string holding JSON is re-dumped compactly; any other string becomes a JSON string
// (so the result is always JSON text); null or absent gives "{}".
std::string ArgumentsText(const nlohmann::json& arguments);

// The arguments text as a JSON value (Anthropic's "input" must be an object): the parsed
// text when it is an object, else {} when empty or unparsable, else {"value": <parsed>}.
nlohmann::json ArgumentsObject(const std::string& arguments_json);

// One tool call in any of the shapes above; InvalidArgument "<where>: ..." when it is not
// an object or has no string name.
Result<ToolCall> ToolCallFromJson(const nlohmann::json& element, const std::string& where);

// Every element of `array` (which must be an array) through ToolCallFromJson, with
// "<where>[i]" in errors.
Result<std::vector<ToolCall>> ToolCallsFromJson(const nlohmann::json& array,
                                                const std::string& where);

// `calls` as OpenAI tool_calls: [{"id","type":"function","function":{"name","arguments"}}].
nlohmann::json ToOpenAiToolCalls(const std::vector<ToolCall>& calls);

}  // namespace safeval::tool_wire
