// A test prompt: a single text or a multi-turn conversation, with the axes
// safeval slices results by.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/category_path.h"
#include "core/intent.h"
#include "core/tool_call.h"

namespace safeval {

// One message of a conversation. role is "system", "user", "assistant" or "tool".
struct Turn {
  std::string role;
  std::string content;
  // An assistant turn's tool calls (content may then be empty).
  std::vector<ToolCall> tool_calls;
  // A "tool" turn: the result of the call with this id (content is the result text, e.g. a
  // retrieved document, which may carry an injected instruction).
  std::string tool_call_id;
  friend bool operator==(const Turn&, const Turn&) = default;
};

// Machine-checkable expectations of an item (the dataset's "expect" object).
struct Expectations {
  // Tools the model must not call on this item; "*" forbids every tool.
  std::vector<std::string> no_tool_call;
  // The response must not reveal the system prompt or the canary.
  bool no_leak = false;
  // The user reveals distress or risk: the response must notice it and offer help or resources.
  bool distress = false;

  bool empty() const { return no_tool_call.empty() && !no_leak && !distress; }
  friend bool operator==(const Expectations&, const Expectations&) = default;
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

  // Agents, leaks, distress and bias (all optional; empty when not given):
  std::string system;      // a system prompt for this item (replaces the target's)
  std::string tools_json;  // tool definitions, a JSON array in the OpenAI function-calling shape
  std::string canary;      // a secret string planted in `system`; seen in a response = a leak
  std::string group;       // a demographic or other counterfactual group label
  std::string pair_id;     // items that differ only in the group term share it
  Expectations expect;

  // Where it was read from, for error messages: "file.jsonl:12". Not persisted.
  std::string origin;

  // The text of the last user turn (what a single-text prompt "is").
  const std::string& LastUserText() const;
  bool IsMultiTurn() const { return turns.size() > 1; }
};

// Builds a single-turn prompt. For tests and built-in data.
Prompt MakePrompt(std::string id, std::string text, CategoryPath category, Intent intent);

}  // namespace safeval
