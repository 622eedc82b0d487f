#include "model/openai_plain_reply.h"

#include <gtest/gtest.h>

#include <string>

#include "core/json_depth.h"
#include "model/openai_client.h"

namespace safeval {
namespace {

TEST(OpenAiPlainReplyTest, ReadsContentAndUsageOfThePlainShape) {
  std::optional<DecodedReply> reply = DecodePlainChatReply(
      R"({"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"I can't help with \"that\" \u00e9\n"},)"
      R"("finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}})");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->text, "I can't help with \"that\" \xc3\xa9\n");
  EXPECT_EQ(reply->prompt_tokens, 12);
  EXPECT_EQ(reply->completion_tokens, 7);
  EXPECT_TRUE(reply->tool_calls.empty());
}

TEST(OpenAiPlainReplyTest, MissingOrOddUsageGivesMinusOne) {
  for (const char* body :
       {R"({"choices":[{"message":{"content":"ok"}}]})",
        R"({"choices":[{"message":{"content":"ok"}}],"usage":{"prompt_tokens":-3,"completion_tokens":"7"}})",
        R"({"choices":[{"message":{"content":"ok"}}],"usage":[1,2]})", R"({"choices":[{"message":{"content":"ok"}}],"error":null})"}) {
    std::optional<DecodedReply> reply = DecodePlainChatReply(body);
    ASSERT_TRUE(reply.has_value()) << body;
    EXPECT_EQ(reply->text, "ok");
    EXPECT_EQ(reply->prompt_tokens, -1) << body;
    EXPECT_EQ(reply->completion_tokens, -1) << body;
  }
}

// Everything else goes to the general decoder, which reads tool calls and words the errors.
TEST(OpenAiPlainReplyTest, OtherShapesAreLeftToTheGeneralDecoder) {
  std::string deep = R"({"choices":[{"message":{"content":"ok"}}],"x":)" +
                     std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']') + "}";
  for (const std::string& body : std::vector<std::string>{
           "not json", "[]", R"({"choices":[]})", R"({"choices":[{"message":{"content":null}}]})",
           R"({"choices":[{"message":{"content":[{"type":"text","text":"hi"}]}}]})",
           R"({"choices":[{"message":{"content":"","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]}}]})",
           R"({"choices":[{"message":{"content":"","function_call":{"name":"f","arguments":"{}"}}}]})",
           R"({"error":{"message":"overloaded"},"choices":[{"message":{"content":"ok"}}]})",
           R"({"choices":[{"message":{"content":"ok"}}]} trailing)", deep}) {
    EXPECT_FALSE(DecodePlainChatReply(body).has_value()) << body;
  }
}

// The decoder the client uses reads the plain shape exactly as the general one does.
TEST(OpenAiPlainReplyTest, TheClientDecoderAgreesOnPlainAndOtherReplies) {
  Result<DecodedReply> plain = openai_wire::DecodeReply(
      R"({"choices":[{"message":{"content":"fine"}}],"usage":{"prompt_tokens":3,"completion_tokens":4}})");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->text, "fine");
  EXPECT_EQ(plain->prompt_tokens, 3);
  Result<DecodedReply> tools = openai_wire::DecodeReply(
      R"({"choices":[{"message":{"content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"get_balance","arguments":"{}"}}]}}]})");
  ASSERT_TRUE(tools.ok()) << tools.status().ToString();
  ASSERT_EQ(tools->tool_calls.size(), 1u);
  EXPECT_EQ(tools->tool_calls[0].name, "get_balance");
  Result<DecodedReply> error =
      openai_wire::DecodeReply(R"({"error":{"message":"overloaded"},"choices":[{"message":{"content":"ok"}}]})");
  ASSERT_FALSE(error.ok());
  EXPECT_NE(error.status().message().find("overloaded"), std::string::npos);
}

}  // namespace
}  // namespace safeval
