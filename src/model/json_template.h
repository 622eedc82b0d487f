// The request body template of an http target: JSON text with placeholders that are
// filled per request, and the {{api_key}} placeholder of its headers.
//
// Body placeholders ({{ name }}, spaces inside the braces allowed):
//   {{prompt}}         the content of the last user turn
//   {{system}}         the system prompt: the item's when it has one, else the target's
//                      ("" when none)
//   {{var.NAME}}       the suite variable NAME
//   {{messages_json}}  the whole conversation as a JSON array of {"role", "content"},
//                      system prompt first when set -- raw JSON, so it sits outside quotes.
//                      Turns with tool calls and tool results carry them in the OpenAI
//                      shape ("tool_calls" / "tool_call_id").
//   {{tools_json}}     the item's tool definitions (OpenAI function-calling shape) as a raw
//                      JSON array, "[]" when it has none -- outside quotes too
// Every other placeholder is substituted JSON-escaped and without quotes, so it belongs
// inside a JSON string: {"input": "{{prompt}}"}. Escaping follows RFC 8259: quote,
// backslash and control characters are escaped (\n, \t, \u001f...); other characters,
// non-ASCII included, are kept as UTF-8; invalid UTF-8 becomes U+FFFD.
//
// A template is checked once, at Parse: unknown placeholders and variables, an unclosed
// "{{", and whether the template filled with sample values is valid JSON. Thread-safe
// after construction (Render is const).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

// `text` JSON-escaped, without the surrounding quotes: a"b\n -> a\"b\\n.
std::string JsonEscape(std::string_view text);

// The conversation as a JSON array [{"role", "content"}...], `system` (when not empty)
// first as a "system" message. An assistant turn with tool calls also has "tool_calls"
// (OpenAI shape), a "tool" turn "tool_call_id"; other turns have only role and content.
std::string MessagesJson(const std::string& system, const std::vector<Turn>& conversation);

class BodyTemplate {
 public:
  // InvalidArgument starting "body: ", naming the placeholder or variable at fault, or
  // saying why the filled-in template is not JSON.
  static Result<BodyTemplate> Parse(std::string_view text,
                                    const std::map<std::string, std::string>& variables);

  // The body for one request: `system` is the system prompt in force (the item's or the
  // target's); `tools_json` the item's tools (empty: none, rendered as "[]").
  std::string Render(const std::string& system, const std::vector<Turn>& conversation,
                     const std::string& tools_json = "") const;

  // Whether the template sends anything that changes from prompt to prompt.
  bool UsesConversation() const;

 private:
  enum class Kind { kLiteral, kPrompt, kSystem, kMessagesJson, kToolsJson };
  struct Segment {
    Kind kind = Kind::kLiteral;
    std::string text;  // kLiteral only (variables are resolved into literals at Parse)
  };
  std::string Fill(std::string_view prompt, std::string_view system,
                   std::string_view messages_json, std::string_view tools_json) const;
  bool Uses(Kind kind) const;

  std::vector<Segment> segments_;
};

// `headers` with {{api_key}} in their values replaced by `api_key` (verbatim: header
// values are not JSON). InvalidArgument starting "headers: " for any other placeholder,
// or for {{api_key}} when `api_key` is empty (naming the header, never a value).
Result<std::map<std::string, std::string>> ExpandHeaderPlaceholders(
    const std::map<std::string, std::string>& headers, const std::string& api_key);

// The text of the last turn whose role is "user" (of the last turn when none is).
std::string LastUserText(const std::vector<Turn>& conversation);

}  // namespace safeval
