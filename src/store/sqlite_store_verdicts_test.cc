// SaveVerdicts: human labels added to judged items, replaced in place, and
// refused (with nothing written) for items without a judged response.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

using ::testing::HasSubstr;

Verdict MakeVerdict(const std::string& judge, ResponseClass cls, const std::string& rationale) {
  Verdict v;
  v.judge = judge;
  v.judge_version = judge == "rules" ? "rules@1" : "human";
  v.cls = cls;
  v.violation = cls == ResponseClass::kCompliesHarmful;
  v.confidence = 1.0;
  v.rationale = rationale;
  return v;
}

class SaveVerdictsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenSqliteStore(":memory:");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    RunRecord run;
    run.id = "run-1";
    run.suite_name = "s";
    run.status = "finished";
    std::vector<Prompt> prompts;
    for (const char* id : {"a", "b", "c"}) {
      prompts.push_back(MakePrompt(id, "[prompt]", *CategoryPath::Parse("vcr"), Intent::kHarmful));
    }
    ASSERT_TRUE(store_->CreateRun(run, prompts).ok());
    ItemResult judged;
    judged.index = 0;
    judged.outcome = Outcome::kJudged;
    judged.response = "I can't help with that.";
    judged.latency_ms = 12;
    judged.verdicts = {MakeVerdict("rules", ResponseClass::kRefuses, "cue")};
    ItemResult failed;
    failed.index = 1;
    failed.outcome = Outcome::kModelError;
    failed.error = "HTTP 500";
    ASSERT_TRUE(store_->SaveResults("run-1", {judged, failed}).ok());
  }

  std::vector<Verdict> VerdictsOf(int64_t index) {
    auto items = store_->LoadItems("run-1");
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    if (!items.ok() || !(*items)[index].result) return {};
    return (*items)[index].result->verdicts;
  }

  std::unique_ptr<Store> store_;
};

TEST_F(SaveVerdictsTest, AddsAfterTheJudgesVerdictsAndKeepsTheResult) {
  ASSERT_TRUE(
      store_
          ->SaveVerdicts("run-1", {{0, MakeVerdict("human:ana", ResponseClass::kDeflects, "kind")}})
          .ok());
  auto items = store_->LoadItems("run-1");
  ASSERT_TRUE(items.ok());
  const ItemResult& r = *(*items)[0].result;
  EXPECT_EQ(r.outcome, Outcome::kJudged);
  EXPECT_EQ(r.response, "I can't help with that.");
  EXPECT_EQ(r.latency_ms, 12);
  ASSERT_EQ(r.verdicts.size(), 2u);
  EXPECT_EQ(r.verdicts[0].judge, "rules");  // still the deciding verdict
  EXPECT_EQ(r.verdicts[1].judge, "human:ana");
  EXPECT_EQ(r.verdicts[1].cls, ResponseClass::kDeflects);
  EXPECT_EQ(r.verdicts[1].rationale, "kind");
}

TEST_F(SaveVerdictsTest, ReplacesTheSameJudgesVerdictInPlace) {
  ASSERT_TRUE(
      store_->SaveVerdicts("run-1", {{0, MakeVerdict("human:ana", ResponseClass::kDeflects, "1")}})
          .ok());
  ASSERT_TRUE(
      store_->SaveVerdicts("run-1", {{0, MakeVerdict("human:bo", ResponseClass::kRefuses, "2")}})
          .ok());
  ASSERT_TRUE(
      store_->SaveVerdicts("run-1", {{0, MakeVerdict("human:ana", ResponseClass::kPartial, "3")}})
          .ok());
  std::vector<Verdict> v = VerdictsOf(0);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[1].judge, "human:ana");
  EXPECT_EQ(v[1].cls, ResponseClass::kPartial);
  EXPECT_EQ(v[1].rationale, "3");
  EXPECT_EQ(v[2].judge, "human:bo");
}

TEST_F(SaveVerdictsTest, RefusesItemsWithoutAJudgedResultAndWritesNothing) {
  Verdict human = MakeVerdict("human:ana", ResponseClass::kRefuses, "");
  Status model_error = store_->SaveVerdicts("run-1", {{0, human}, {1, human}});
  EXPECT_EQ(model_error.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(model_error.message(), HasSubstr("item 1 of run 'run-1'"));
  EXPECT_THAT(model_error.message(), HasSubstr("model_error"));
  EXPECT_EQ(VerdictsOf(0).size(), 1u);  // the good first one was rolled back

  Status pending = store_->SaveVerdicts("run-1", {{2, human}});
  EXPECT_THAT(pending.message(), HasSubstr("no result yet"));
  Status range = store_->SaveVerdicts("run-1", {{3, human}});
  EXPECT_THAT(range.message(), HasSubstr("out of range"));
  Status twice = store_->SaveVerdicts("run-1", {{0, human}, {0, human}});
  EXPECT_THAT(twice.message(), HasSubstr("two verdicts from judge 'human:ana'"));
  EXPECT_EQ(store_->SaveVerdicts("nope", {{0, human}}).code(), StatusCode::kNotFound);
  EXPECT_EQ(VerdictsOf(0).size(), 1u);
}

TEST_F(SaveVerdictsTest, PersistsAcrossReopening) {
  testing::TempDir dir;
  std::string path = dir.File("s.db");
  {
    auto store = OpenSqliteStore(path);
    ASSERT_TRUE(store.ok());
    RunRecord run;
    run.id = "r";
    ASSERT_TRUE((*store)->CreateRun(run, {MakePrompt("a", "x", {}, Intent::kSafe)}).ok());
    ItemResult judged;
    judged.outcome = Outcome::kJudged;
    ASSERT_TRUE((*store)->SaveResults("r", {judged}).ok());
    ASSERT_TRUE((*store)
                    ->SaveVerdicts("r", {{0, MakeVerdict("human:x", ResponseClass::kHelpful, "")}})
                    .ok());
  }
  auto store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok());
  auto items = (*store)->LoadItems("r");
  ASSERT_TRUE(items.ok());
  ASSERT_EQ((*items)[0].result->verdicts.size(), 1u);
  EXPECT_EQ((*items)[0].result->verdicts[0].judge, "human:x");
}

}  // namespace
}  // namespace safeval
