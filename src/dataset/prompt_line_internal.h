// The two ways PromptToJsonLine and ParsePromptLine (dataset.h) do their work, exposed for the
// tests that check the fast ways against the reference ones. Private to src/dataset/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dataset/dataset.h"

namespace safeval::dataset_internal {

// PromptToJsonLine through an nlohmann ordered_json DOM: the reference for the canonical line,
// and PromptToJsonLine's writer for the prompts PromptToJsonLineDirect declines.
std::string PromptToJsonLineViaDom(const Prompt& prompt);

// The canonical line written without a DOM into *out (cleared first). Returns false, with *out
// unspecified, for a prompt with tools_json, a tool call whose arguments_json is not empty or
// "{}", or a string that is not valid UTF-8: their exact form is left to the DOM writer.
bool PromptToJsonLineDirect(const Prompt& prompt, std::string* out);

// ParsePromptLine with nlohmann's DOM only: the reference, which reports every problem.
bool ParsePromptLineWithNlohmann(std::string_view line, const std::string& file, int line_number,
                                 const Taxonomy& taxonomy, Prompt* prompt,
                                 std::vector<DatasetProblem>* problems);

// ParsePromptLine's fast path alone (simdjson's DOM, same checks): true, with *prompt filled
// as the reference fills it, when the line has no problem and the fast path could read all of
// it; false otherwise (*prompt then holds a partial read), and ParsePromptLine reads the line
// again with the reference, which reports its problems.
bool ParsePromptLineFast(std::string_view line, const std::string& file, int line_number,
                         const Taxonomy& taxonomy, Prompt* prompt);

}  // namespace safeval::dataset_internal
