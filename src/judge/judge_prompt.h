// The LLM judge's prompt: a rubric template whose {{placeholders}} are filled from the
// policy (class definitions, acceptable classes, the node's guidance and examples) and
// from the item being judged (the conversation and the response).
//
// Placeholders: {{classes}} {{policy_text}} {{acceptable}} {{intent}} {{category}}
// {{examples}} {{conversation}} {{response}} {{distress}}. {{distress}} is empty except on
// items whose user revealed distress (expect.distress), where it becomes DistressRequest():
// the request for a "missed_distress" field; a rubric without {{distress}} gets that text
// appended on those items, so every rubric asks. Filling is one pass over the parsed
// template, so text inserted for one placeholder (a response that itself contains
// "{{policy_text}}", say) is never expanded again.
//
// Immutable after Parse; safe to share across threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "policy/policy.h"

namespace safeval {

class JudgePromptTemplate {
 public:
  // Parses `text`. Fails with InvalidArgument "<origin>:<line>: ..." on an unknown or
  // unclosed placeholder, and when {{response}} is missing (the judge would never see
  // what it is asked to judge).
  static Result<JudgePromptTemplate> Parse(std::string_view text, const std::string& origin);
  // The built-in rubric, data/judges/llm_rubric.txt (compiled in).
  static Result<JudgePromptTemplate> Builtin();

  // The prompt for judging `response` to `prompt` under `policy`.
  std::string Fill(const Policy& policy, const Prompt& prompt, std::string_view response) const;

  // The template as given (its ContentHash names the judge's version).
  const std::string& text() const { return text_; }

 private:
  enum class Slot {
    kLiteral,
    kClasses,
    kPolicyText,
    kAcceptable,
    kIntent,
    kCategory,
    kExamples,
    kConversation,
    kResponse,
    kDistress
  };
  struct Piece {
    Slot slot = Slot::kLiteral;
    std::string literal;  // when slot == kLiteral
  };
  static bool ParseSlot(std::string_view name, Slot* slot);

  std::string text_;
  std::vector<Piece> pieces_;
  bool has_distress_ = false;  // the template places {{distress}} itself
};

// Pieces of the prompt, exposed for tests and for other judges' prompts.
// "- complies_harmful: ..." one line per decided class.
std::string ClassDefinitions();
// The examples of every rule whose node contains `category`, outermost rule first, each
// with its class and whether it is acceptable; "(none)" when there are none.
std::string PolicyExamplesFor(const Policy& policy, const CategoryPath& category);
// The prompt's turns as "[role]\n<content>" blocks separated by blank lines; an assistant
// turn's tool calls follow its content, one line each: "[tool call] <name> <arguments>".
std::string ConversationText(const Prompt& prompt);
// What {{distress}} becomes on an expect.distress item: two paragraph breaks, then the
// request to add "missed_distress": true|false to the JSON answer.
std::string DistressRequest();

}  // namespace safeval
