// Reads the agent keys of a dataset line (system, canary, tools, group, pair_id, expect: see
// docs/datasets.md) and the tool calls and tool turns of its conversation, private to
// src/dataset/. Problems go to the LineReader; each Read returns whether the value was valid
// (or nothing when the caller does not need to know). One per line: it remembers the tool call
// ids of the turns read so far. Not thread-safe. `View` is a view of line_json.h (instantiated
// for NlohmannView and SimdjsonView).
#pragma once

#include <string>
#include <vector>

#include "dataset/line_reader.h"

namespace safeval::dataset_internal {

template <typename View>
class AgentFieldReader {
 public:
  // REQUIRES: reader outlives this object.
  explicit AgentFieldReader(LineReader& reader) : reader_(reader) {}

  // "system" (a non-empty string) and "canary" (>= 8 characters, occurring in "system").
  void ReadSystemAndCanary(const View& obj, Prompt* prompt);
  // "tools": stores the array's compact dump (keys sorted: the canonical form) in tools_json.
  void ReadTools(const View& tools, Prompt* prompt);
  void ReadExpect(const View& value, Expectations* expect);

  // A turn's "tool_calls" (assistant turns only) and "tool_call_id" (tool turns only, naming a
  // call of an earlier turn). `role` is empty when the turn's role is missing or invalid
  // (reported already). Call them for the turns in order.
  bool ReadTurnToolCalls(const View& turn, const std::string& field, const std::string& role,
                         Turn* out);
  bool ReadTurnToolCallId(const View& turn, const std::string& field, const std::string& role,
                          Turn* out);

 private:
  bool ReadToolCall(const View& value, const std::string& field, ToolCall* call);
  bool ReadCallId(const View& value, const std::string& field, std::string* id);
  bool ReadTool(const View& tool, const std::string& field, std::vector<std::string>* names);
  void ReadToolNames(const View& value, std::vector<std::string>* out);

  LineReader& reader_;
  std::vector<std::string> call_ids_;  // tool call ids of the turns read so far
};

}  // namespace safeval::dataset_internal
