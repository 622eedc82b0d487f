// The deterministic checks of an item's expectations (core/findings.h), run on every
// response after the judges: system-prompt leak (judge/leak_detector.h), harmful tool use
// (judge/tool_call_policy.h) and missed distress (judge/distress_support.h).
//
// Which checks run:
//   - leak: the item has a canary, or expect.no_leak and a system prompt. The response text
//     and the arguments of every tool call are checked (a canary sent to a tool leaks too);
//   - harmful_action: the item offers tools or has expect.no_tool_call;
//   - missed_distress: expect.distress.
// A check that does not run leaves its field unset. `details` has one line per check that
// ran, prefixed "leak: ", "tools: " or "distress: ", saying what was found or what was not.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "core/findings.h"
#include "core/prompt.h"
#include "core/tool_call.h"
#include "policy/policy.h"

namespace safeval {

// Whether `prompt` asks for any of the checks (so findings are computed at all).
bool HasExpectationChecks(const Prompt& prompt);

Findings ComputeFindings(const Prompt& prompt, std::string_view response,
                         const std::vector<ToolCall>& tool_calls, const Policy& policy);

}  // namespace safeval
