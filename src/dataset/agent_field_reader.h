// Reads the agent keys of a dataset line (system, canary, tools, group, pair_id, expect: see
// docs/datasets.md) and the tool calls and tool turns of its conversation, private to
// src/dataset/. Problems go to the LineReader; each Read returns whether the value was valid
// (or nothing when the caller does not need to know). One per line: it remembers the tool call
// ids of the turns read so far. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "dataset/line_reader.h"

namespace safeval::dataset_internal {

class AgentFieldReader {
 public:
  // REQUIRES: reader outlives this object.
  explicit AgentFieldReader(LineReader& reader) : reader_(reader) {}

  // "system" (a non-empty string) and "canary" (>= 8 characters, occurring in "system").
  void ReadSystemAndCanary(const json& obj, Prompt* prompt);
  // "tools": stores the array's compact dump (keys sorted: the canonical form) in tools_json.
  void ReadTools(const json& tools, Prompt* prompt);
  void ReadExpect(const json& value, Expectations* expect);

  // A turn's "tool_calls" (assistant turns only) and "tool_call_id" (tool turns only, naming a
  // call of an earlier turn). `role` is empty when the turn's role is missing or invalid
  // (reported already). Call them for the turns in order.
  bool ReadTurnToolCalls(const json& turn, const std::string& field, const std::string& role,
                         Turn* out);
  bool ReadTurnToolCallId(const json& turn, const std::string& field, const std::string& role,
                          Turn* out);

 private:
  bool ReadToolCall(const json& value, const std::string& field, ToolCall* call);
  bool ReadCallId(const json& value, const std::string& field, std::string* id);
  bool ReadTool(const json& tool, const std::string& field, std::vector<std::string>* names);
  void ReadToolNames(const json& value, std::vector<std::string>* out);

  LineReader& reader_;
  std::vector<std::string> call_ids_;  // tool call ids of the turns read so far
};

}  // namespace safeval::dataset_internal
