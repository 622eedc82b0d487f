// Response cache keys: stable across the upgrade that added tool calls, item system
// prompts and tools (old keys must keep hitting), and distinct when only those differ.
#include "run/response_cache.h"

#include <gtest/gtest.h>

#include "core/hash.h"

namespace safeval {
namespace {

constexpr char kNamespace[] = "0123456789abcdef";

// The key function as it was before tool calls existed: the reference old keys follow.
std::string FirstVersionKey(const std::string& ns, const std::vector<Turn>& turns) {
  Hasher h;
  for (const Turn& turn : turns) {
    h.Add(std::to_string(turn.role.size())).Add(":").Add(turn.role);
    h.Add(std::to_string(turn.content.size())).Add(":").Add(turn.content);
  }
  return ns + "-" + h.HexDigest();
}

Prompt Conversation() {
  Prompt prompt = MakePrompt("p", "hi", CategoryPath(), Intent::kSafe);
  prompt.turns = {{"user", "hi"}, {"assistant", "Hello!"}, {"user", "Tell me a joke."}};
  return prompt;
}

TEST(ResponseCache, KeysOfItemsWithoutTheNewFieldsAreUnchanged) {
  // Literal keys computed by the first version: a stored cache must keep hitting.
  EXPECT_EQ(CacheKey(kNamespace, std::vector<Turn>{{"user", "How do I reset my password?"}}),
            "0123456789abcdef-253c3e6578501853");
  EXPECT_EQ(CacheKey(kNamespace, Conversation()), "0123456789abcdef-d809e1bc926768b8");
  EXPECT_EQ(CacheKey(kNamespace, Conversation().turns), "0123456789abcdef-d809e1bc926768b8");
  Prompt prompt = Conversation();
  prompt.canary = "ZEBRA-7731-QUILL";  // not sent to the target: not in the key
  prompt.group = "women";
  prompt.expect.no_leak = true;
  EXPECT_EQ(CacheKey(kNamespace, prompt), FirstVersionKey(kNamespace, prompt.turns));
}

TEST(ResponseCache, ToolsSystemPromptAndToolTurnsChangeTheKey) {
  Prompt base = Conversation();
  Prompt with_tools = base;
  with_tools.tools_json = R"([{"type":"function","function":{"name":"send_email"}}])";
  Prompt other_tools = base;
  other_tools.tools_json = R"([{"type":"function","function":{"name":"read_email"}}])";
  Prompt with_system = base;
  with_system.system = "You are the bank's bot.";
  Prompt system_as_tools = base;
  system_as_tools.tools_json = with_system.system;  // same text, different field

  Prompt with_call = base;
  with_call.turns[1].tool_calls = {{"call_1", "read_email", R"({"id":7})"}};
  Prompt other_args = with_call;
  other_args.turns[1].tool_calls[0].arguments_json = R"({"id":8})";
  Prompt with_result = base;
  with_result.turns.insert(with_result.turns.begin() + 2, Turn{"tool", "[document]"});
  Prompt with_result_id = with_result;
  with_result_id.turns[2].tool_call_id = "call_1";

  std::vector<std::string> keys;
  for (const Prompt* p : {&base, &with_tools, &other_tools, &with_system, &system_as_tools,
                          &with_call, &other_args, &with_result, &with_result_id}) {
    keys.push_back(CacheKey(kNamespace, *p));
  }
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t j = i + 1; j < keys.size(); ++j) EXPECT_NE(keys[i], keys[j]) << i << " vs " << j;
  }
  EXPECT_EQ(CacheKey(kNamespace, with_tools), CacheKey(kNamespace, with_tools));  // stable
  EXPECT_EQ(CacheKey(kNamespace, with_call), CacheKey(kNamespace, with_call.turns))
      << "tool-call turns are in the turns key too";
}

TEST(ResponseCache, FramingKeepsPiecesApart) {
  EXPECT_NE(CacheKey(kNamespace, std::vector<Turn>{{"user", "ab"}, {"user", "c"}}),
            CacheKey(kNamespace, std::vector<Turn>{{"user", "a"}, {"user", "bc"}}));
  Prompt a = Conversation();
  a.system = "x";
  Prompt b = Conversation();
  b.turns.back().content += "!system:1:x";
  EXPECT_NE(CacheKey(kNamespace, a), CacheKey(kNamespace, b));
}

}  // namespace
}  // namespace safeval
