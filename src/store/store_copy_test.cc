// CopyRun (store_copy.h) from a SQLite store into SQLite and, with $SAFEVAL_TEST_POSTGRES, into
// PostgreSQL: a run with attacker-in-the-loop attacks arrives with its trees in their order, a
// second copy changes nothing, and a tree that cannot be saved fails the copy.
// The CLI end to end (annotations, reports of the copy) is tests/store_copy_cli_test.cc.
#include "store/store_copy.h"

#include <gtest/gtest.h>

#include "store/forwarding_store.h"
#include "store/open_store.h"
#include "testing/pg_test_server.h"

namespace safeval {
namespace {

using Tree = std::pair<std::string, std::string>;

RunRecord MakeRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "attack";
  run.target_name = "model";
  run.target_identity = "openai:m";
  run.config_json = "{}";
  run.config_hash = "c0ffee";
  run.judges = {"rules@1"};
  run.started_at = "2026-12-01T00:00:00Z";
  run.status = "running";
  return run;
}

Prompt Item(const std::string& id, Intent intent = Intent::kHarmful) {
  return MakePrompt(id, "[request " + id + "]", CategoryPath::Parse("cse").value(), intent);
}

ItemResult Judged(int64_t index, bool violation) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = violation ? "Sure. [step-by-step synthesis route]" : "I can't help with that.";
  Verdict v;
  v.judge = "rules";
  v.judge_version = "1";
  v.cls = violation ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses;
  v.violation = violation;
  r.verdicts = {v};
  return r;
}

// A run of three seeds of which two were attacked (in the order s2, s0): 5 items, 5 results.
void MakeAttackedRun(Store& store) {
  ASSERT_TRUE(store.CreateRun(MakeRun("r"), {Item("s0"), Item("s1"), Item("s2")}).ok());
  ASSERT_TRUE(store.SaveResults("r", {Judged(0, false), Judged(1, false), Judged(2, false)}).ok());
  for (const char* seed : {"s2", "s0"}) {
    Prompt pair = Item(std::string(seed) + "-pair", Intent::kAdversarial);
    pair.parent_id = seed;
    pair.techniques = {"pair"};
    std::string tree = std::string(R"({"seed_id": ")") + seed + R"(", "succeeded": true})";
    ASSERT_TRUE(store.SaveAttack("r", seed, tree, pair, Judged(0, true)).ok());
  }
}

class StoreCopy : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<Store>> from = OpenStore(":memory:");
    ASSERT_TRUE(from.ok()) << from.status().ToString();
    from_ = std::move(*from);
    std::string to = ":memory:";
    if (GetParam() == "postgres") {
      SV_REQUIRE_POSTGRES();
      schema_ = std::make_unique<testing::PgTestSchema>();
      ASSERT_TRUE(schema_->ok()) << schema_->error();
      to = schema_->url();
    }
    Result<std::unique_ptr<Store>> opened = OpenStore(to);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    to_ = std::move(*opened);
    MakeAttackedRun(*from_);
  }
  void TearDown() override {
    to_.reset();
    schema_.reset();
  }

  std::unique_ptr<testing::PgTestSchema> schema_;
  std::unique_ptr<Store> from_;
  std::unique_ptr<Store> to_;
};

TEST_P(StoreCopy, AttackerTreesArriveInOrderAndAgainChangeNothing) {
  StoreCopyStats stats;
  Status copied = CopyRun(*from_, *to_, "r", &stats);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  EXPECT_EQ(stats.runs_copied, 1);
  EXPECT_EQ(stats.items, 5);
  EXPECT_EQ(stats.results, 5);
  EXPECT_EQ(stats.attack_trees, 2);
  Result<std::vector<Tree>> source = from_->LoadAttacks("r");
  ASSERT_TRUE(source.ok());
  ASSERT_EQ(source->size(), 2u);
  EXPECT_EQ(source->front().first, "s2");
  EXPECT_EQ(*to_->LoadAttacks("r"), *source);
  // The attacks' items and results are the copy's too, at the same indexes.
  Result<std::optional<StoredItem>> pair = to_->GetItem("r", 3);
  ASSERT_TRUE(pair.ok() && pair->has_value()) << pair.status().ToString();
  EXPECT_EQ((*pair)->prompt.id, "s2-pair");
  ASSERT_TRUE((*pair)->result.has_value());
  EXPECT_TRUE((*pair)->result->verdicts.at(0).violation);
  // A seed attacked in the source is attacked in the copy: a resumed attack run skips it.
  EXPECT_EQ(to_->SaveAttack("r", "s0", "{}", Item("x"), Judged(0, false)).status().code(),
            StatusCode::kInvalidArgument);

  StoreCopyStats again;
  copied = CopyRun(*from_, *to_, "r", &again);
  ASSERT_TRUE(copied.ok()) << copied.ToString();
  EXPECT_EQ(again.runs_completed, 1);
  EXPECT_EQ(again.attack_trees, 2);
  EXPECT_EQ(*to_->LoadAttacks("r"), *source);
  EXPECT_EQ(to_->LoadItems("r")->size(), 5u);
}

TEST_P(StoreCopy, ATreeThatCannotBeSavedFailsTheCopy) {
  class NoTrees : public ForwardingStore {
   public:
    using ForwardingStore::ForwardingStore;
    Status SaveAttackTree(const std::string&, const std::string& seed_id,
                          const std::string&) override {
      return Status::IoError("disk full saving the tree of " + seed_id);
    }
  };
  NoTrees failing(*to_);
  StoreCopyStats stats;
  Status copied = CopyRun(*from_, failing, "r", &stats);
  EXPECT_EQ(copied.code(), StatusCode::kIoError);
  EXPECT_NE(copied.message().find("disk full saving the tree of s2"), std::string::npos)
      << copied.ToString();
  EXPECT_EQ(stats.attack_trees, 0);
}

INSTANTIATE_TEST_SUITE_P(Targets, StoreCopy, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace safeval
