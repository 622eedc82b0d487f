#include "run/prefetched_prompts.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>

namespace safeval {
namespace {

Prompt Numbered(int i) {
  return MakePrompt("p" + std::to_string(i), "Question " + std::to_string(i),
                    *CategoryPath::Parse("ncr"), Intent::kSafe);
}

// A source of `n` prompts, then `end` (an error when not Ok), counting its calls.
Store::PromptSource Counting(int n, Status end, std::atomic<int>* calls) {
  return [n, end, calls]() -> Result<std::optional<Prompt>> {
    int i = (*calls)++;
    if (i < n) return std::optional<Prompt>(Numbered(i));
    if (!end.ok()) return end;
    return std::optional<Prompt>();
  };
}

TEST(PrefetchedPromptsTest, GivesEveryPromptInOrderThenTheEnd) {
  for (size_t ahead : {1u, 7u, 1024u}) {
    std::atomic<int> calls{0};
    PrefetchedPrompts prompts(Counting(5000, Status::Ok(), &calls), ahead);
    for (int i = 0; i < 5000; ++i) {
      Result<std::optional<Prompt>> next = prompts.Next();
      ASSERT_TRUE(next.ok() && next->has_value()) << i;
      ASSERT_EQ((*next)->id, "p" + std::to_string(i));
    }
    Result<std::optional<Prompt>> end = prompts.Next();
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(end->has_value());
    EXPECT_FALSE(prompts.Next()->has_value()) << "the end stays the end";
    EXPECT_EQ(calls.load(), 5001) << "the source is not called after its end";
  }
}

TEST(PrefetchedPromptsTest, AnErrorArrivesAfterThePromptsBeforeIt) {
  std::atomic<int> calls{0};
  PrefetchedPrompts prompts(Counting(3, Status::InvalidArgument("set.jsonl:4: no text"), &calls), 64);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(prompts.Next()->has_value());
  Result<std::optional<Prompt>> error = prompts.Next();
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().message(), "set.jsonl:4: no text");
  EXPECT_EQ(calls.load(), 4);
}

TEST(PrefetchedPromptsTest, GivingUpEarlyStopsTheSource) {
  std::atomic<int> calls{0};
  {
    PrefetchedPrompts prompts(Counting(1'000'000, Status::Ok(), &calls), 32);
    ASSERT_TRUE(prompts.Next()->has_value());
  }  // destroyed with most prompts unread
  EXPECT_LT(calls.load(), 1000) << "reads at most about `ahead` prompts past the caller";
}

}  // namespace
}  // namespace safeval
