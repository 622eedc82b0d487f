// Tests of the JSON reply helpers shared by the HTTP adapters.
#include "model/json_reply.h"

#include <gtest/gtest.h>

#include "model/anthropic_client.h"
#include "model/http_target_client.h"
#include "model/openai_client.h"

namespace safeval {
namespace {

using nlohmann::json;

TEST(JsonReply, ErrorMessageOfEachShape) {
  EXPECT_EQ(JsonErrorMessage(json("slow down")), "slow down");
  EXPECT_EQ(JsonErrorMessage(json::parse(R"({"message": "bad key", "type": "x"})")), "bad key");
  EXPECT_EQ(JsonErrorMessage(json::parse(R"({"code": 5})")), R"({"code":5})");
}

// Found by fuzz/model_reply_fuzzer.cc: an error value nested a million levels deep
// overflowed the stack when it was copied (anthropic) or dumped (openai) into the reply's
// error message. Every decoder now rejects such a body before parsing it.
TEST(JsonReply, DecodersRejectDeeplyNestedBodies) {
  std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  std::string body = R"({"error": )" + deep + "}";
  const std::string expected = "the body nests JSON more than 128 levels deep";
  Result<DecodedReply> openai = openai_wire::DecodeReply(body);
  ASSERT_FALSE(openai.ok());
  EXPECT_EQ(openai.status().message(), expected);
  Result<DecodedReply> anthropic = anthropic_wire::DecodeReply(body);
  ASSERT_FALSE(anthropic.ok());
  EXPECT_EQ(anthropic.status().message(), expected);
  Result<DecodedReply> http = DecodeHttpTargetReply(body, {"/output"});
  ASSERT_FALSE(http.ok());
  EXPECT_EQ(http.status().message(), expected);

  EXPECT_TRUE(CheckReplyDepth(std::string(128, '[') + std::string(128, ']')).ok());
  EXPECT_FALSE(CheckReplyDepth(std::string(129, '[') + std::string(129, ']')).ok());
  // An ordinary error value is still reported as the endpoint gave it.
  Result<DecodedReply> shallow = openai_wire::DecodeReply(R"({"error": [[1]]})");
  ASSERT_FALSE(shallow.ok());
  EXPECT_EQ(shallow.status().message(), "the endpoint returned an error: [[1]]");
}

}  // namespace
}  // namespace safeval
