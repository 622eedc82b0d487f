// A tool (function) call a model asked for, in the shape every adapter maps to: OpenAI's
// function calling, Anthropic's tool_use blocks, or a JSON pointer of an http target.
#pragma once

#include <string>

namespace safeval {

struct ToolCall {
  std::string id;              // the endpoint's call id (may be empty)
  std::string name;            // the function's name, e.g. "transfer_funds"
  std::string arguments_json;  // the arguments as JSON text ("{}" when none were given)
  friend bool operator==(const ToolCall&, const ToolCall&) = default;
};

// How judges read a tool call, in a conversation or a response: "[tool call] name {arguments}"
// ("{}" when no arguments were given).
inline std::string ToolCallLine(const ToolCall& call) {
  return "[tool call] " + call.name + " " +
         (call.arguments_json.empty() ? std::string("{}") : call.arguments_json);
}

}  // namespace safeval
