// Tool definitions and calls on the wire: every call shape endpoints use, argument texts,
// and the OpenAI -> Anthropic tool conversion.
#include "model/tool_wire.h"

#include <gtest/gtest.h>

namespace safeval::tool_wire {
namespace {

using nlohmann::json;

TEST(ToolWire, ArgumentsTextIsCompactJsonWhateverTheShape) {
  EXPECT_EQ(ArgumentsText(json::parse(R"({"b": 1, "a": [1, 2]})")), R"({"a":[1,2],"b":1})");
  EXPECT_EQ(ArgumentsText("{ \"a\" : 1 }"), R"({"a":1})");
  EXPECT_EQ(ArgumentsText(""), "{}");
  EXPECT_EQ(ArgumentsText("  \n"), "{}");
  EXPECT_EQ(ArgumentsText(json()), "{}");
  EXPECT_EQ(ArgumentsText("not json"), R"("not json")");
  EXPECT_EQ(ArgumentsText(std::string(200, '[')), "\"" + std::string(200, '[') + "\"");
}

TEST(ToolWire, ArgumentsObjectIsAlwaysAnObject) {
  EXPECT_EQ(ArgumentsObject(R"({"id":7})"), json::parse(R"({"id": 7})"));
  EXPECT_EQ(ArgumentsObject(""), json::object());
  EXPECT_EQ(ArgumentsObject("{broken"), json::object());
  EXPECT_EQ(ArgumentsObject("[1]"), json::parse(R"({"value": [1]})"));
}

TEST(ToolWire, ReadsOpenAiFlatAndAnthropicCalls) {
  Result<std::vector<ToolCall>> calls = ToolCallsFromJson(json::parse(R"([
      {"id": "call_1", "type": "function", "function": {"name": "a", "arguments": "{\"x\":1}"}},
      {"name": "b", "arguments": {"y": 2}},
      {"type": "tool_use", "id": "toolu_1", "name": "c", "input": {"z": 3}},
      {"name": "d"}])"),
                                                          "calls");
  ASSERT_TRUE(calls.ok()) << calls.status().ToString();
  EXPECT_EQ(*calls, (std::vector<ToolCall>{{"call_1", "a", R"({"x":1})"},
                                           {"", "b", R"({"y":2})"},
                                           {"toolu_1", "c", R"({"z":3})"},
                                           {"", "d", "{}"}}));
}

TEST(ToolWire, BadCallsSayWhere) {
  Result<std::vector<ToolCall>> calls =
      ToolCallsFromJson(json::parse(R"([{"name": "a"}, 3])"), "x");
  ASSERT_FALSE(calls.ok());
  EXPECT_EQ(calls.status().message(), "x[1] is not an object");
  calls = ToolCallsFromJson(json::parse(R"([{"function": {"name": 5}}])"), "x");
  ASSERT_FALSE(calls.ok());
  EXPECT_EQ(calls.status().message(), "x[0] has no function name");
  EXPECT_FALSE(ToolCallsFromJson(json::object(), "x").ok());
}

TEST(ToolWire, OpenAiToolCallsRoundTrip) {
  std::vector<ToolCall> calls = {{"c1", "f", R"({"a":1})"}, {"c2", "g", ""}};
  json wire = ToOpenAiToolCalls(calls);
  EXPECT_EQ(wire[1]["function"]["arguments"], "{}");
  Result<std::vector<ToolCall>> back = ToolCallsFromJson(wire, "w");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ((*back)[0], calls[0]);
  EXPECT_EQ((*back)[1], (ToolCall{"c2", "g", "{}"}));
}

TEST(ToolWire, ParseToolsNeverFails) {
  EXPECT_EQ(ParseTools(""), json::array());
  EXPECT_EQ(ParseTools("{}"), json::array());
  EXPECT_EQ(ParseTools("[broken"), json::array());
  EXPECT_EQ(ParseTools(R"([{"type":"function"}])").size(), 1u);
}

TEST(ToolWire, AnthropicToolsTakeNameDescriptionAndSchema) {
  json tools = ToAnthropicTools(json::parse(R"([
      {"type": "function", "function": {"name": "a", "description": "A.",
       "parameters": {"type": "object", "properties": {"x": {"type": "string"}}}}},
      {"name": "b"},
      {"type": "function", "function": {"description": "no name"}}])"));
  EXPECT_EQ(tools, json::parse(R"([
      {"name": "a", "description": "A.",
       "input_schema": {"type": "object", "properties": {"x": {"type": "string"}}}},
      {"name": "b", "input_schema": {"type": "object", "properties": {}}}])"));
}

}  // namespace
}  // namespace safeval::tool_wire
