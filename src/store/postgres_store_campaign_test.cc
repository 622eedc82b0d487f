// PostgresStore's response cache against a live server (SAFEVAL_TEST_POSTGRES; skipped without
// it): FindCachedResponses answers a whole window of keys in one query, so keys that need
// quoting in a text[] literal, absent and repeated keys, and the order of the answer matter.
#include <gtest/gtest.h>

#include "store/open_store.h"
#include "testing/pg_test_server.h"
#include "testing/store_test_data.h"

namespace safeval {
namespace {

ItemResult Cached(int64_t index, Outcome outcome, const std::string& key,
                  const std::string& response) {
  ItemResult r;
  r.index = index;
  r.outcome = outcome;
  r.response = response;
  r.http_status = 200;
  r.attempts = 1;
  r.prompt_tokens = 10 + static_cast<int>(index);
  r.completion_tokens = 20;
  r.cache_key = key;
  return r;
}

TEST(PostgresStoreCache, FindsAWindowOfKeysInTheirOrder) {
  SV_REQUIRE_POSTGRES();
  testing::PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  auto store = OpenStore(schema.url());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // Keys a text[] literal must quote: quotes, backslashes, separators, braces, NULL, spaces.
  const std::vector<std::string> odd = {"ns-\"quoted\"", "ns-back\\slash", "ns-a,b",
                                        "ns-{brace}",    "NULL",           "ns- spaced "};
  std::vector<Prompt> prompts;
  for (int i = 0; i < 8; ++i) {
    prompts.push_back(MakePrompt("p" + std::to_string(i), "prompt " + std::to_string(i),
                                 *CategoryPath::Parse("ncr"), Intent::kHarmful));
  }
  ASSERT_TRUE((*store)->CreateRun(testing::TestRun("r"), prompts).ok());
  std::vector<ItemResult> results;
  for (size_t i = 0; i < odd.size(); ++i) {
    results.push_back(
        Cached(static_cast<int64_t>(i), Outcome::kJudged, odd[i], "answer " + std::to_string(i)));
  }
  // Not judged: never served from the cache.
  results.push_back(Cached(6, Outcome::kModelError, "ns-failed", "error"));
  ASSERT_TRUE((*store)->SaveResults("r", results).ok());

  std::vector<std::string> keys = {odd[3], "ns-absent", odd[0], "ns-failed", odd[1],
                                   odd[2], odd[4],      odd[5], odd[3]};
  auto found = (*store)->FindCachedResponses(keys);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  std::vector<std::string> got_keys;
  for (const auto& [key, cached] : *found) got_keys.push_back(key);
  EXPECT_EQ(got_keys,
            (std::vector<std::string>{odd[3], odd[0], odd[1], odd[2], odd[4], odd[5], odd[3]}));
  ASSERT_EQ(found->size(), 7u);
  EXPECT_EQ((*found)[0].second.response, "answer 3");
  EXPECT_EQ((*found)[0].second.prompt_tokens, 13);
  EXPECT_EQ((*found)[0].second.completion_tokens, 20);
  EXPECT_EQ((*found)[1].second.response, "answer 0");
  EXPECT_EQ((*found)[2].second.response, "answer 1");
  EXPECT_EQ((*found)[4].second.response, "answer 4");

  auto none = (*store)->FindCachedResponses({});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace safeval
