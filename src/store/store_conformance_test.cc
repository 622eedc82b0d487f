// The Store and AnnotationStore contracts (store.h, annotation_store.h), run on both backends:
// SQLite (":memory:") and PostgreSQL (a fresh schema on $SAFEVAL_TEST_POSTGRES; skipped without
// it unless SAFEVAL_PG_REQUIRED=1). Both must pass the same tests. PostgreSQL-only behaviour
// (schema versions, password redaction) is tested at the end. Their throughput is measured by
// bench/store/store_bench.
#include <gtest/gtest.h>

#include <limits>

#include "store/open_store.h"
#include "testing/pg_test_server.h"
#include "testing/status_assert.h"

namespace safeval {
namespace {

RunRecord MakeRun(const std::string& id, const std::string& started_at = "2026-11-28T03:10:00Z") {
  RunRecord run;
  run.id = id;
  run.suite_name = "quickstart";
  run.suite_path = "/home/u/suites/quickstart.yaml";
  run.target_name = "demo";
  run.target_identity = "demo@1";
  run.demo = true;
  run.config_json = R"({"name": "quickstart"})";
  run.config_hash = "0123456789abcdef";
  run.dataset_hash = "fedcba9876543210";
  run.judges = {"rules@1", "panel@2"};
  run.seed = std::numeric_limits<uint64_t>::max() - 5;  // beyond int64: checks the bit cast
  run.started_at = started_at;
  run.status = "running";
  run.output_dir = "/home/u/runs/" + id;
  return run;
}

Prompt Item(int i, Intent intent = Intent::kHarmful) {
  return MakePrompt("p" + std::to_string(i), "prompt\t" + std::to_string(i) + "\n\\ é ✓",
                    CategoryPath::Parse("cse/sub").value(), intent);
}

std::vector<Prompt> Items(int n) {
  std::vector<Prompt> out;
  for (int i = 0; i < n; ++i) out.push_back(Item(i, i % 2 ? Intent::kSafe : Intent::kHarmful));
  return out;
}

Verdict MakeVerdict(const std::string& judge, ResponseClass cls, bool violation) {
  Verdict v;
  v.judge = judge;
  v.judge_version = judge + "@1";
  v.cls = cls;
  v.violation = violation;
  v.confidence = 0.8125;
  v.rationale = "because";
  return v;
}

ItemResult Judged(int64_t index, std::vector<Verdict> verdicts = {}) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kJudged;
  r.response = "answer " + std::to_string(index);
  r.http_status = 200;
  r.attempts = 1;
  r.latency_ms = 42;
  r.prompt_tokens = 10;
  r.completion_tokens = 5;
  if (verdicts.empty()) verdicts = {MakeVerdict("rules", ResponseClass::kRefuses, false)};
  r.verdicts = std::move(verdicts);
  return r;
}

ItemResult Failed(int64_t index) {
  ItemResult r;
  r.index = index;
  r.outcome = Outcome::kModelError;
  r.error = "HTTP 503";
  r.http_status = 503;
  r.attempts = 5;
  return r;
}

std::vector<int64_t> Indexes(const std::vector<StoredItem>& items) {
  std::vector<int64_t> out;
  for (const StoredItem& item : items) out.push_back(item.index);
  return out;
}

// ---- the fixture: one store per test, on the backend of the parameter ----

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string spec = ":memory:";
    if (GetParam() == "postgres") {
      SV_REQUIRE_POSTGRES();
      schema_ = std::make_unique<testing::PgTestSchema>();
      ASSERT_TRUE(schema_->ok()) << schema_->error();
      spec = schema_->url();
    }
    Result<Stores> stores = OpenStores(spec);
    ASSERT_TRUE(stores.ok()) << stores.status().ToString();
    store_ = std::move(stores->runs);
    annotations_ = std::move(stores->annotations);
  }
  void TearDown() override {
    annotations_.reset();
    store_.reset();
    schema_.reset();
  }

  std::unique_ptr<testing::PgTestSchema> schema_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<AnnotationStore> annotations_;
};

TEST_P(StoreConformance, CreatesGetsAndListsRunsNewestFirst) {
  ASSERT_OK(store_->CreateRun(MakeRun("b", "2026-11-28T03:10:00Z"), Items(2)));
  ASSERT_OK(store_->CreateRun(MakeRun("a", "2026-11-29T00:00:00Z"), Items(1)));
  ASSERT_OK(store_->CreateRun(MakeRun("c", "2026-11-28T03:10:00Z"), {}));
  Result<RunRecord> run = store_->GetRun("b");
  ASSERT_OK(run);
  RunRecord want = MakeRun("b");
  EXPECT_EQ(run->suite_name, want.suite_name);
  EXPECT_EQ(run->suite_path, want.suite_path);
  EXPECT_EQ(run->target_identity, want.target_identity);
  EXPECT_TRUE(run->demo);
  EXPECT_EQ(run->config_json, want.config_json);
  EXPECT_EQ(run->judges, want.judges);
  EXPECT_EQ(run->seed, want.seed);
  EXPECT_EQ(run->status, "running");
  EXPECT_EQ(run->output_dir, want.output_dir);
  Result<std::vector<RunRecord>> runs = store_->ListRuns();
  ASSERT_OK(runs);
  ASSERT_EQ(runs->size(), 3u);
  EXPECT_EQ((*runs)[0].id, "a");
  EXPECT_EQ((*runs)[1].id, "c");  // same start: id descending
  EXPECT_EQ((*runs)[2].id, "b");
}

TEST_P(StoreConformance, DuplicateRunIdIsInvalidAndChangesNothing) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(2)));
  RunRecord again = MakeRun("r");
  again.suite_name = "other";
  Status status = store_->CreateRun(again, Items(5));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("already exists"), std::string::npos) << status.ToString();
  EXPECT_EQ(store_->GetRun("r")->suite_name, "quickstart");
  EXPECT_EQ(store_->LoadItems("r")->size(), 2u);
}

TEST_P(StoreConformance, UnknownRunIsNotFoundEverywhere) {
  EXPECT_EQ(store_->GetRun("nope").status().code(), StatusCode::kNotFound);
  EXPECT_NE(store_->GetRun("nope").status().message().find("no run 'nope'"), std::string::npos);
  EXPECT_EQ(store_->PendingItems("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->PendingItemsAfter("nope", -1, 5).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ItemsAt("nope", {0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadItems("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SaveResults("nope", {Judged(0)}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateRun(MakeRun("nope")).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadBatches("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->LoadAttacks("nope").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetItem("nope", 0).status().code(), StatusCode::kNotFound);
  EXPECT_NE(store_->GetItem("nope", 0).status().message().find("no run 'nope'"), std::string::npos);
  EXPECT_EQ(store_->SaveAttackTree("nope", "p0", "{}").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ScanItems("nope", [](StoredItem&&) { return Status::Ok(); }).code(),
            StatusCode::kNotFound);
}

TEST_P(StoreConformance, StreamingCreateTakesTheHashAtTheEnd) {
  int next = 0;
  Store::PromptSource source = [&]() -> Result<std::optional<Prompt>> {
    if (next == 1200) return std::optional<Prompt>();
    return std::optional<Prompt>(Item(next++));
  };
  ASSERT_OK(store_->CreateRunStreaming(MakeRun("s"), source, [&] { return "hash-of-1200"; }));
  EXPECT_EQ(store_->GetRun("s")->dataset_hash, "hash-of-1200");
  Result<std::vector<StoredItem>> items = store_->LoadItems("s");
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 1200u);
  EXPECT_EQ((*items)[1199].index, 1199);
  EXPECT_EQ((*items)[1199].prompt.id, "p1199");
}

TEST_P(StoreConformance, StreamingCreateErrorWritesNothing) {
  int next = 0;
  Store::PromptSource source = [&]() -> Result<std::optional<Prompt>> {
    if (next == 700) return Status::InvalidArgument("data.jsonl:701: field 'text': expected");
    return std::optional<Prompt>(Item(next++));
  };
  Status status = store_->CreateRunStreaming(MakeRun("s"), source, {});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->GetRun("s").status().code(), StatusCode::kNotFound);
  ASSERT_OK(store_->CreateRun(MakeRun("s"), Items(1)));  // the id is still free
}

TEST_P(StoreConformance, PromptsRoundTripWhole) {
  Prompt p = Item(0);
  p.turns = {{"system", "be nice"},
             {"user", "I'm writing a thriller."},
             {"assistant", "[a general answer]"},
             {"user", "Now [step-by-step synthesis route]."}};
  p.persona = Persona::kSkilled;
  p.locale = "fr_FR";
  p.tags = {"seed", "x"};
  p.parent_id = "p-1";
  p.techniques = {"crescendo"};
  p.system = "system prompt";
  p.canary = "CANARY-1";
  ASSERT_OK(store_->CreateRun(MakeRun("r"), {p}));
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 1u);
  const Prompt& got = (*items)[0].prompt;
  EXPECT_EQ(got.id, p.id);
  ASSERT_EQ(got.turns.size(), 4u);
  EXPECT_EQ(got.turns[3].content, p.turns[3].content);
  EXPECT_EQ(got.category.str(), "cse/sub");
  EXPECT_EQ(got.persona, Persona::kSkilled);
  EXPECT_EQ(got.tags, p.tags);
  EXPECT_EQ(got.system, "system prompt");
  EXPECT_EQ(got.canary, "CANARY-1");
  EXPECT_FALSE((*items)[0].result.has_value());
}

TEST_P(StoreConformance, NonUtf8PromptIsRejectedAndNothingWritten) {
  std::vector<Prompt> prompts = Items(3);
  prompts[2].turns.back().content = "bad \xff\xfe bytes";
  Status status = store_->CreateRun(MakeRun("r"), prompts);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_EQ(store_->GetRun("r").status().code(), StatusCode::kNotFound);
}

// A window of pending items may lie beyond long runs of answered ones (a resumed run): the
// store reads past them, window after window, and returns exactly the pending items in order.
TEST_P(StoreConformance, PendingWindowsReachPastLongRunsOfAnsweredItems) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(2000)));
  std::vector<ItemResult> answered;
  for (int64_t i = 0; i < 2000; ++i) {
    if (i == 3 || i == 1500 || i == 1501 || i == 1999) continue;
    answered.push_back(i == 1700 ? Failed(i) : Judged(i));
  }
  ASSERT_OK(store_->SaveResults("r", answered));
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", -1, 2)), (std::vector<int64_t>{3, 1500}));
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", 3, 10)),
            (std::vector<int64_t>{1500, 1501, 1700, 1999}));
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", 1501, 1)), (std::vector<int64_t>{1700}));
  Result<std::vector<StoredItem>> tail = store_->PendingItemsAfter("r", 1700, 5);
  ASSERT_OK(tail);
  ASSERT_EQ(Indexes(*tail), (std::vector<int64_t>{1999}));
  EXPECT_EQ((*tail)[0].prompt.id, "p1999");
  EXPECT_EQ(Indexes(*store_->PendingItems("r")), (std::vector<int64_t>{3, 1500, 1501, 1700, 1999}));
}

TEST_P(StoreConformance, PendingWindowsAndItemsAt) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(10)));
  ItemResult skipped = Judged(5);
  skipped.outcome = Outcome::kSkipped;
  skipped.verdicts.clear();
  ASSERT_OK(store_->SaveResults("r", {Judged(1), Failed(2), Judged(4), skipped}));
  Result<std::vector<StoredItem>> pending = store_->PendingItems("r");
  ASSERT_OK(pending);
  EXPECT_EQ(Indexes(*pending), (std::vector<int64_t>{0, 2, 3, 6, 7, 8, 9}));
  for (const StoredItem& item : *pending) EXPECT_FALSE(item.result.has_value());
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", -1, 3)), (std::vector<int64_t>{0, 2, 3}));
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", 3, 3)), (std::vector<int64_t>{6, 7, 8}));
  EXPECT_EQ(Indexes(*store_->PendingItemsAfter("r", 8, 3)), (std::vector<int64_t>{9}));
  EXPECT_TRUE(store_->PendingItemsAfter("r", 9, 3)->empty());
  Result<std::vector<StoredItem>> at = store_->ItemsAt("r", {7, 1, 99, 7, -1});
  ASSERT_OK(at);
  EXPECT_EQ(Indexes(*at), (std::vector<int64_t>{1, 7}));
  EXPECT_EQ((*at)[1].prompt.id, "p7");
  EXPECT_FALSE((*at)[0].result.has_value());
}

TEST_P(StoreConformance, ResultsRoundTripEveryField) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(2)));
  ItemResult r = Judged(1, {MakeVerdict("rules", ResponseClass::kCompliesHarmful, true),
                            MakeVerdict("panel", ResponseClass::kPartial, false)});
  r.response = std::string("binary \0 and \xff bytes, and 'quotes' \\x00", 40);
  r.error = "";
  r.cache_key = "target:abc";
  r.from_cache = true;
  r.media_path = "artifacts/ab.png";
  r.tool_calls = {{"call_1", "transfer_funds", R"({"amount": 5})"}};
  r.findings.leak = true;
  r.findings.details = {"canary seen"};
  r.verdicts[0].quality = 4;
  r.verdicts[0].severity = 2;
  r.verdicts[0].missed_distress = false;
  r.verdicts[0].evidence = {{3, 9, "cue é"}};
  r.verdicts[1].confidence = 0.1;
  ASSERT_OK(store_->SaveResults("r", {r}));
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  EXPECT_FALSE((*items)[0].result.has_value());
  ASSERT_TRUE((*items)[1].result.has_value());
  const ItemResult& got = *(*items)[1].result;
  EXPECT_EQ(got.outcome, Outcome::kJudged);
  EXPECT_EQ(got.response, r.response);
  EXPECT_EQ(got.http_status, 200);
  EXPECT_EQ(got.latency_ms, 42);
  EXPECT_EQ(got.prompt_tokens, 10);
  EXPECT_EQ(got.cache_key, "target:abc");
  EXPECT_TRUE(got.from_cache);
  EXPECT_EQ(got.media_path, "artifacts/ab.png");
  EXPECT_EQ(got.tool_calls, r.tool_calls);
  EXPECT_EQ(got.findings.leak, std::optional<bool>(true));
  EXPECT_EQ(got.findings.details, r.findings.details);
  ASSERT_EQ(got.verdicts.size(), 2u);
  EXPECT_EQ(got.verdicts[0].judge, "rules");
  EXPECT_EQ(got.verdicts[0].cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(got.verdicts[0].violation);
  EXPECT_EQ(got.verdicts[0].quality, std::optional<int>(4));
  EXPECT_EQ(got.verdicts[0].severity, std::optional<int>(2));
  EXPECT_EQ(got.verdicts[0].missed_distress, std::optional<bool>(false));
  EXPECT_EQ(got.verdicts[0].evidence, r.verdicts[0].evidence);
  EXPECT_DOUBLE_EQ(got.verdicts[0].confidence, 0.8125);
  EXPECT_EQ(got.verdicts[1].judge, "panel");
  EXPECT_DOUBLE_EQ(got.verdicts[1].confidence, 0.1);
  EXPECT_FALSE(got.verdicts[1].quality.has_value());
  EXPECT_FALSE(got.verdicts[1].missed_distress.has_value());
}

TEST_P(StoreConformance, SavingAgainReplacesTheResultAndItsVerdicts) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  ASSERT_OK(store_->SaveResults(
      "r", {Failed(0), Judged(1, {MakeVerdict("a", ResponseClass::kRefuses, false),
                                  MakeVerdict("b", ResponseClass::kRefuses, false)})}));
  ItemResult again = Judged(1, {MakeVerdict("c", ResponseClass::kHelpful, false)});
  again.response = "second";
  // The same index twice in one batch: the last one wins.
  ItemResult first = Judged(0);
  first.response = "first try";
  ItemResult last = Judged(0, {MakeVerdict("z", ResponseClass::kDeflects, false)});
  last.response = "last try";
  ASSERT_OK(store_->SaveResults("r", {again, first, last}));
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  EXPECT_EQ((*items)[0].result->response, "last try");
  ASSERT_EQ((*items)[0].result->verdicts.size(), 1u);
  EXPECT_EQ((*items)[0].result->verdicts[0].judge, "z");
  EXPECT_EQ((*items)[1].result->response, "second");
  ASSERT_EQ((*items)[1].result->verdicts.size(), 1u);
  EXPECT_EQ((*items)[1].result->verdicts[0].judge, "c");
}

TEST_P(StoreConformance, BadResultBatchWritesNothing) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  Status out_of_range = store_->SaveResults("r", {Judged(0), Judged(3)});
  EXPECT_EQ(out_of_range.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out_of_range.message().find("out of range"), std::string::npos);
  Status twice = store_->SaveResults(
      "r", {Judged(1), Judged(2, {MakeVerdict("a", ResponseClass::kRefuses, false),
                                  MakeVerdict("a", ResponseClass::kHelpful, false)})});
  EXPECT_EQ(twice.code(), StatusCode::kInvalidArgument);
  ItemResult bad_tool = Judged(1);
  bad_tool.tool_calls = {{"", "bad\xff", "{}"}};
  EXPECT_EQ(store_->SaveResults("r", {Judged(0), bad_tool}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PendingItems("r")->size(), 3u);
}

// A batch larger than any one statement's worth of rows, whose text holds every character that
// a statement's encoding must escape (PostgreSQL sends each column as one array), saved whole
// and then saved over in part.
TEST_P(StoreConformance, LargeBatchOfAwkwardTextRoundTrips) {
  constexpr int kItems = 1234;
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(kItems)));
  const std::string awkward[] = {"NULL",
                                 "",
                                 "\"quoted\", {braced}",
                                 "back\\slash \\\\ \\x41",
                                 std::string("nul \0 byte", 10),
                                 " padded \t\n",
                                 "é ✓ \xf0\x9f\x99\x82"};
  auto make = [&](int i) {
    ItemResult r = i % 7 == 3 ? Failed(i) : Judged(i);
    r.response = awkward[i % 7] + std::to_string(i);
    r.error = i % 7 == 3 ? awkward[(i + 1) % 7] : "";
    r.cache_key = i % 2 ? "" : "key \"" + std::to_string(i) + "\\";
    r.media_path = i % 5 == 0 ? "NULL" : awkward[2];
    if (r.outcome == Outcome::kJudged) {
      r.verdicts = {MakeVerdict("rules", ResponseClass::kRefuses, false)};
      if (i % 3 == 0) r.verdicts.push_back(MakeVerdict("panel", ResponseClass::kHelpful, true));
      r.verdicts[0].rationale = awkward[(i + 3) % 7];
      r.verdicts[0].evidence = {{0, 4, "cue \"" + std::to_string(i) + "\" \\ {x}"}};
      if (i % 2) r.verdicts[0].quality = i % 5 + 1;
      if (i % 4 == 1) r.verdicts[0].missed_distress = true;
    }
    return r;
  };
  std::vector<ItemResult> batch;
  for (int i = 0; i < kItems; ++i) batch.push_back(make(i));
  ASSERT_OK(store_->SaveResults("r", batch));
  // Saved over: every third item again, now with one verdict of another judge.
  std::vector<ItemResult> again;
  for (int i = 0; i < kItems; i += 3) {
    ItemResult r = Judged(i, {MakeVerdict("z", ResponseClass::kDeflects, false)});
    r.response = "again " + awkward[i % 7];
    again.push_back(r);
  }
  ASSERT_OK(store_->SaveResults("r", again));
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), static_cast<size_t>(kItems));
  for (int i = 0; i < kItems; ++i) {
    SCOPED_TRACE("item " + std::to_string(i));
    ASSERT_TRUE((*items)[i].result.has_value());
    const ItemResult& got = *(*items)[i].result;
    const ItemResult& want = i % 3 == 0 ? again[i / 3] : batch[i];
    EXPECT_EQ(got.outcome, want.outcome);
    EXPECT_EQ(got.response, want.response);
    EXPECT_EQ(got.error, want.error);
    EXPECT_EQ(got.cache_key, want.cache_key);
    EXPECT_EQ(got.media_path, want.media_path);
    ASSERT_EQ(got.verdicts.size(), want.verdicts.size());
    for (size_t v = 0; v < want.verdicts.size(); ++v) {
      EXPECT_EQ(got.verdicts[v].judge, want.verdicts[v].judge);
      EXPECT_EQ(got.verdicts[v].rationale, want.verdicts[v].rationale);
      EXPECT_EQ(got.verdicts[v].evidence, want.verdicts[v].evidence);
      EXPECT_EQ(got.verdicts[v].quality, want.verdicts[v].quality);
      EXPECT_EQ(got.verdicts[v].missed_distress, want.verdicts[v].missed_distress);
    }
  }
}

TEST_P(StoreConformance, SaveVerdictsAddsAfterAndReplacesInPlace) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(4)));
  ASSERT_OK(
      store_->SaveResults("r", {Judged(0, {MakeVerdict("rules", ResponseClass::kRefuses, false),
                                           MakeVerdict("panel", ResponseClass::kRefuses, false)}),
                                Judged(1), Failed(2)}));
  ASSERT_OK(
      store_->SaveVerdicts("r", {{0, MakeVerdict("human:ana", ResponseClass::kHelpful, false)},
                                 {1, MakeVerdict("human:ana", ResponseClass::kPartial, false)}}));
  ASSERT_OK(store_->SaveVerdicts("r", {{0, MakeVerdict("rules", ResponseClass::kDeflects, true)}}));
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  const std::vector<Verdict>& v0 = (*items)[0].result->verdicts;
  ASSERT_EQ(v0.size(), 3u);
  EXPECT_EQ(v0[0].judge, "rules");
  EXPECT_EQ(v0[0].cls, ResponseClass::kDeflects);  // replaced in its place
  EXPECT_EQ(v0[1].judge, "panel");
  EXPECT_EQ(v0[2].judge, "human:ana");
  EXPECT_EQ((*items)[0].result->response, "answer 0");
  ASSERT_EQ((*items)[1].result->verdicts.size(), 2u);
  EXPECT_EQ((*items)[1].result->verdicts[1].cls, ResponseClass::kPartial);
}

TEST_P(StoreConformance, SaveVerdictsRulesWriteNothingOnError) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(4)));
  ASSERT_OK(store_->SaveResults("r", {Judged(0), Failed(1)}));
  Verdict human = MakeVerdict("human:bo", ResponseClass::kHelpful, false);
  Status model_error = store_->SaveVerdicts("r", {{0, human}, {1, human}});
  EXPECT_EQ(model_error.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(model_error.message().find("not judged"), std::string::npos);
  Status no_result = store_->SaveVerdicts("r", {{0, human}, {2, human}});
  EXPECT_EQ(no_result.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_result.message().find("no result yet"), std::string::npos);
  EXPECT_EQ(store_->SaveVerdicts("r", {{0, human}, {7, human}}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SaveVerdicts("r", {{0, human}, {0, human}}).code(),
            StatusCode::kInvalidArgument);
  Verdict nameless = human;
  nameless.judge = "";
  EXPECT_EQ(store_->SaveVerdicts("r", {{0, nameless}}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*store_->LoadItems("r"))[0].result->verdicts.size(), 1u);
}

TEST_P(StoreConformance, ScansStreamEveryItemInOrder) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(1100)));
  ItemResult violation = Judged(600, {MakeVerdict("rules", ResponseClass::kCompliesHarmful, true),
                                      MakeVerdict("panel", ResponseClass::kRefuses, false)});
  violation.prompt_tokens = -1;  // unknown counts as 0
  ASSERT_OK(store_->SaveResults("r", {Judged(3), violation, Failed(1099)}));
  int64_t seen = 0, with_result = 0;
  int64_t expect = 0;
  ASSERT_OK(store_->ScanItems("r", [&](StoredItem&& item) {
    EXPECT_EQ(item.index, expect++);
    ++seen;
    if (item.result) ++with_result;
    if (item.index == 600) {
      EXPECT_EQ(item.result->verdicts.size(), 2u);
    }
    return Status::Ok();
  }));
  EXPECT_EQ(seen, 1100);
  EXPECT_EQ(with_result, 3);
  int calls = 0;
  Status stopped = store_->ScanItems("r", [&](StoredItem&&) {
    return ++calls == 5 ? Status::Internal("stop here") : Status::Ok();
  });
  EXPECT_EQ(stopped.code(), StatusCode::kInternal);
  EXPECT_EQ(calls, 5);
  std::vector<ItemSummary> summaries;
  ASSERT_OK(store_->ScanItemSummaries("r", [&](const ItemSummary& s) { summaries.push_back(s); }));
  ASSERT_EQ(summaries.size(), 1100u);
  EXPECT_FALSE(summaries[0].has_result);
  EXPECT_EQ(summaries[1].intent, Intent::kSafe);
  EXPECT_EQ(summaries[1].category, "cse/sub");
  EXPECT_TRUE(summaries[3].has_result);
  EXPECT_EQ(summaries[3].tokens, 15);
  EXPECT_EQ(summaries[3].cls, ResponseClass::kRefuses);
  EXPECT_EQ(summaries[600].cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(summaries[600].violation);
  EXPECT_EQ(summaries[600].tokens, 5);
  EXPECT_EQ(summaries[1099].outcome, Outcome::kModelError);
  EXPECT_EQ(summaries[1099].cls, ResponseClass::kUndetermined);
}

TEST_P(StoreConformance, CalibrationsAreSavedAndReplaced) {
  EXPECT_FALSE(store_->FindCalibration("rules@1")->has_value());
  JudgeCalibration c;
  c.judge = "rules@1";
  c.labels_hash = "h1";
  c.created_at = "2026-11-28T00:00:00Z";
  c.true_positives = 9;
  c.false_negatives = 1;
  c.details_json = "{}";
  ASSERT_OK(store_->SaveCalibration(c));
  c.labels_hash = "h2";
  c.true_positives = 10;
  ASSERT_OK(store_->SaveCalibration(c));
  Result<std::optional<JudgeCalibration>> found = store_->FindCalibration("rules@1");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->labels_hash, "h2");
  EXPECT_EQ((*found)->true_positives, 10);
  EXPECT_EQ((*found)->false_negatives, 1);
}

TEST_P(StoreConformance, ResponseCacheFindsJudgedResponsesByKey) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  ItemResult cached = Judged(0);
  cached.cache_key = "tgt1:k0";
  cached.response = "cached answer";
  cached.tool_calls = {{"", "lookup", "{}"}};
  ItemResult failed = Failed(1);
  failed.cache_key = "tgt1:k1";
  ASSERT_OK(store_->SaveResults("r", {cached, failed}));
  EXPECT_TRUE(*store_->HasCachedResponses("tgt1:"));
  EXPECT_FALSE(*store_->HasCachedResponses("tgt2:"));
  EXPECT_FALSE(*store_->HasCachedResponses("tgt1:k1"));
  auto found = store_->FindCachedResponses({"tgt1:k0", "tgt1:k1", "nope"});
  ASSERT_OK(found);
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].first, "tgt1:k0");
  EXPECT_EQ((*found)[0].second.response, "cached answer");
  EXPECT_EQ((*found)[0].second.completion_tokens, 5);
  EXPECT_EQ((*found)[0].second.tool_calls, cached.tool_calls);
}

TEST_P(StoreConformance, AttacksAppendItemsOncePerSeed) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  Result<int64_t> first = store_->SaveAttack("r", "p1", R"({"tree": 1})", Item(100), Judged(0));
  ASSERT_OK(first);
  EXPECT_EQ(*first, 3);
  Result<int64_t> second = store_->SaveAttack("r", "p0", R"({"tree": 0})", Item(101), Judged(0));
  ASSERT_OK(second);
  EXPECT_EQ(*second, 4);
  Result<int64_t> again = store_->SaveAttack("r", "p1", "{}", Item(102), Judged(0));
  EXPECT_EQ(again.status().code(), StatusCode::kInvalidArgument);
  Result<std::vector<StoredItem>> items = store_->LoadItems("r");
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 5u);
  EXPECT_EQ((*items)[3].prompt.id, "p100");
  ASSERT_TRUE((*items)[3].result.has_value());
  EXPECT_EQ((*items)[3].result->index, 3);
  auto attacks = store_->LoadAttacks("r");
  ASSERT_OK(attacks);
  ASSERT_EQ(attacks->size(), 2u);
  EXPECT_EQ((*attacks)[0], std::make_pair(std::string("p1"), std::string(R"({"tree": 1})")));
  EXPECT_EQ((*attacks)[1].first, "p0");
}

TEST_P(StoreConformance, GetItemFindsOneItemWithItsResultAndVerdicts) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(5)));
  ASSERT_OK(store_->CreateRun(MakeRun("small"), Items(2)));
  ASSERT_OK(store_->SaveResults(
      "r", {Failed(1), Judged(3, {MakeVerdict("rules", ResponseClass::kCompliesHarmful, true),
                                  MakeVerdict("panel", ResponseClass::kRefuses, false)})}));
  ASSERT_OK(
      store_->SaveVerdicts("r", {{3, MakeVerdict("human:ana", ResponseClass::kPartial, false)}}));

  Result<std::optional<StoredItem>> pending = store_->GetItem("r", 0);
  ASSERT_OK(pending);
  ASSERT_TRUE(pending->has_value());
  EXPECT_EQ((*pending)->index, 0);
  EXPECT_EQ((*pending)->prompt.id, "p0");
  EXPECT_FALSE((*pending)->result.has_value());

  Result<std::optional<StoredItem>> judged = store_->GetItem("r", 3);
  ASSERT_OK(judged);
  ASSERT_TRUE(judged->has_value());
  EXPECT_EQ((*judged)->prompt.id, "p3");
  ASSERT_TRUE((*judged)->result.has_value());
  const ItemResult& result = *(*judged)->result;
  EXPECT_EQ(result.index, 3);
  EXPECT_EQ(result.outcome, Outcome::kJudged);
  EXPECT_EQ(result.response, "answer 3");
  ASSERT_EQ(result.verdicts.size(), 3u);  // in the order they were saved
  EXPECT_EQ(result.verdicts[0].judge, "rules");
  EXPECT_EQ(result.verdicts[0].cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(result.verdicts[0].violation);
  EXPECT_EQ(result.verdicts[1].judge, "panel");
  EXPECT_EQ(result.verdicts[2].judge, "human:ana");

  // A failed attempt is the item's result (PendingItems retries it; GetItem shows it).
  Result<std::optional<StoredItem>> failed = store_->GetItem("r", 1);
  ASSERT_OK(failed);
  ASSERT_TRUE(failed->has_value() && (*failed)->result.has_value());
  EXPECT_EQ((*failed)->result->outcome, Outcome::kModelError);
  EXPECT_EQ((*failed)->result->error, "HTTP 503");
  EXPECT_TRUE((*failed)->result->verdicts.empty());

  for (int64_t outside : {int64_t{5}, int64_t{-1}, std::numeric_limits<int64_t>::max(),
                          std::numeric_limits<int64_t>::min()}) {
    Result<std::optional<StoredItem>> none = store_->GetItem("r", outside);
    ASSERT_OK(none);
    EXPECT_FALSE(none->has_value()) << outside;
  }
  EXPECT_FALSE(store_->GetItem("small", 3)->has_value()) << "index 3 of another run";

  // The same as LoadItems' item, at every index.
  Result<std::vector<StoredItem>> all = store_->LoadItems("r");
  ASSERT_OK(all);
  for (const StoredItem& want : *all) {
    Result<std::optional<StoredItem>> got = store_->GetItem("r", want.index);
    ASSERT_OK(got);
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ((*got)->prompt.id, want.prompt.id);
    ASSERT_EQ((*got)->result.has_value(), want.result.has_value()) << want.index;
    if (!want.result) continue;
    EXPECT_EQ((*got)->result->response, want.result->response);
    ASSERT_EQ((*got)->result->verdicts.size(), want.result->verdicts.size());
    for (size_t i = 0; i < want.result->verdicts.size(); ++i)
      EXPECT_EQ((*got)->result->verdicts[i].judge, want.result->verdicts[i].judge);
  }
}

TEST_P(StoreConformance, SaveAttackTreeAddsAndReplacesInPlaceLeavingItemsAlone) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  ASSERT_OK(store_->SaveResults("r", {Judged(0)}));
  ASSERT_OK(store_->SaveAttack("r", "p1", R"({"tree": "p1"})", Item(100), Judged(0)));
  Result<std::vector<StoredItem>> before = store_->LoadItems("r");
  ASSERT_OK(before);

  ASSERT_OK(store_->SaveAttackTree("r", "p0", R"({"tree": "p0"})"));
  ASSERT_OK(store_->SaveAttackTree("r", "p2", R"({"tree": "p2"})"));
  ASSERT_OK(store_->SaveAttackTree("r", "p0", R"({"tree": "p0 again"})"));
  ASSERT_OK(store_->SaveAttackTree("r", "p1", R"({"tree": "p1 copied"})"));
  using Tree = std::pair<std::string, std::string>;
  Result<std::vector<Tree>> attacks = store_->LoadAttacks("r");
  ASSERT_OK(attacks);
  EXPECT_EQ(*attacks, (std::vector<Tree>{{"p1", R"({"tree": "p1 copied"})"},
                                         {"p0", R"({"tree": "p0 again"})"},
                                         {"p2", R"({"tree": "p2"})"}}));

  // A seed with a tree was attacked; a new attack goes after every tree.
  EXPECT_EQ(store_->SaveAttack("r", "p2", "{}", Item(101), Judged(0)).status().code(),
            StatusCode::kInvalidArgument);
  Result<std::vector<StoredItem>> after = store_->LoadItems("r");
  ASSERT_OK(after);
  ASSERT_EQ(Indexes(*after), Indexes(*before));
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ((*after)[i].prompt.id, (*before)[i].prompt.id);
    ASSERT_EQ((*after)[i].result.has_value(), (*before)[i].result.has_value()) << i;
    if (!(*after)[i].result) continue;
    EXPECT_EQ((*after)[i].result->response, (*before)[i].result->response);
    EXPECT_EQ((*after)[i].result->verdicts.size(), (*before)[i].result->verdicts.size());
  }
  Result<int64_t> next = store_->SaveAttack("r", "p9", R"({"tree": "p9"})", Item(109), Judged(0));
  ASSERT_OK(next);
  EXPECT_EQ(*next, 4);
  attacks = store_->LoadAttacks("r");
  ASSERT_OK(attacks);
  ASSERT_EQ(attacks->size(), 4u);
  EXPECT_EQ(attacks->back().first, "p9");
}

TEST_P(StoreConformance, BatchesAreAddedAndReplaced) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  BatchRecord b;
  b.number = 2;
  b.strategy = "adaptive";
  b.started_at = "t0";
  b.allocation = {{"cse/harmful", 4, 0}};
  ASSERT_OK(store_->SaveBatch("r", b));
  b.number = 1;
  ASSERT_OK(store_->SaveBatch("r", b));
  b.finished_at = "t1";
  b.estimates = {{"cse", 4, 1}};
  b.requests = 40;
  b.tokens = 4000;
  b.stop_reason = "max_requests 40 reached";
  ASSERT_OK(store_->SaveBatch("r", b));
  auto batches = store_->LoadBatches("r");
  ASSERT_OK(batches);
  ASSERT_EQ(batches->size(), 2u);
  EXPECT_EQ((*batches)[0].number, 1);
  EXPECT_EQ((*batches)[0].finished_at, "t1");
  EXPECT_EQ((*batches)[0].estimates[0].failures, 1);
  EXPECT_EQ((*batches)[0].stop_reason, "max_requests 40 reached");
  EXPECT_EQ((*batches)[1].allocation[0].cell, "cse/harmful");
  EXPECT_TRUE((*batches)[1].finished_at.empty());
}

TEST_P(StoreConformance, UpdateRunChangesOnlyStatusFinishedAndJudges) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(1)));
  RunRecord update = MakeRun("r");
  update.status = "finished";
  update.finished_at = "2026-11-28T04:00:00Z";
  update.judges = {"rules@2"};
  update.suite_name = "ignored";
  ASSERT_OK(store_->UpdateRun(update));
  Result<RunRecord> run = store_->GetRun("r");
  ASSERT_OK(run);
  EXPECT_EQ(run->status, "finished");
  EXPECT_EQ(run->finished_at, "2026-11-28T04:00:00Z");
  EXPECT_EQ(run->judges, std::vector<std::string>{"rules@2"});
  EXPECT_EQ(run->suite_name, "quickstart");
}

// ---- AnnotationStore ----

Annotator MakeAnnotator(const std::string& name, bool adjudicator = false) {
  return {name, adjudicator, "2026-11-28T00:00:00Z"};
}

TEST_P(StoreConformance, AnnotationsRoundTrip) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(6)));
  ASSERT_OK(annotations_->AddAnnotator(MakeAnnotator("bo"), "hash-bo"));
  ASSERT_OK(annotations_->AddAnnotator(MakeAnnotator("ana", true), "hash-ana"));
  ASSERT_OK(annotations_->ResetAnnotatorToken("bo", "hash-bo-2"));
  auto annotators = annotations_->ListAnnotators();
  ASSERT_OK(annotators);
  ASSERT_EQ(annotators->size(), 2u);
  EXPECT_EQ((*annotators)[0].name, "ana");
  EXPECT_TRUE((*annotators)[0].adjudicator);
  EXPECT_EQ((*annotations_->FindAnnotatorByTokenHash("hash-bo-2"))->name, "bo");
  EXPECT_FALSE(annotations_->FindAnnotatorByTokenHash("hash-bo")->has_value());

  AnnotationRound round{"round-1", "r", RoundSample::kRandom, 2, "2026-11-28T01:00:00Z", {4, 0, 2}};
  ASSERT_OK(annotations_->CreateRound(round));
  AnnotationRound second = round;
  second.name = "round-2";
  second.items = {1};
  ASSERT_OK(annotations_->CreateRound(second));
  auto got = annotations_->GetRound("round-1");
  ASSERT_OK(got);
  EXPECT_EQ(got->items, (std::vector<int64_t>{4, 0, 2}));
  EXPECT_EQ(got->sample, RoundSample::kRandom);
  EXPECT_EQ(got->overlap, 2);
  auto rounds = annotations_->ListRounds();
  ASSERT_OK(rounds);
  ASSERT_EQ(rounds->size(), 2u);
  EXPECT_EQ((*rounds)[0].name, "round-2");  // newest first
  EXPECT_EQ((*rounds)[1].items.size(), 3u);

  AnnotationLabel label{0, "bo", ResponseClass::kRefuses, false, 3, "fine", "t1"};
  AnnotationLabel other{4, "ana", ResponseClass::kHelpful, false, std::nullopt, "", "t2"};
  ASSERT_OK(annotations_->SaveLabels("round-1", {label, other}));
  label.cls = ResponseClass::kDeflects;  // labelling again replaces
  ASSERT_OK(annotations_->SaveLabels("round-1", {label}));
  auto labels = annotations_->LoadLabels("round-1");
  ASSERT_OK(labels);
  ASSERT_EQ(labels->size(), 2u);
  EXPECT_EQ((*labels)[0].item_index, 4);  // by position in the round
  EXPECT_FALSE((*labels)[0].quality.has_value());
  EXPECT_EQ((*labels)[1].cls, ResponseClass::kDeflects);
  EXPECT_EQ((*labels)[1].quality, std::optional<int>(3));
  EXPECT_EQ((*labels)[1].note, "fine");

  Adjudication a{0, "ana", ResponseClass::kRefuses, false, 4, "decided", "t3"};
  ASSERT_OK(annotations_->SaveAdjudication("round-1", a));
  auto adjudications = annotations_->LoadAdjudications("round-1");
  ASSERT_OK(adjudications);
  ASSERT_EQ(adjudications->size(), 1u);
  EXPECT_EQ((*adjudications)[0].adjudicator, "ana");
  EXPECT_EQ((*adjudications)[0].quality, std::optional<int>(4));
}

TEST_P(StoreConformance, AnnotationErrorsWriteNothing) {
  ASSERT_OK(store_->CreateRun(MakeRun("r"), Items(3)));
  ASSERT_OK(annotations_->AddAnnotator(MakeAnnotator("bo"), "hash-bo"));
  EXPECT_EQ(annotations_->AddAnnotator(MakeAnnotator("bo"), "h2").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(annotations_->AddAnnotator(MakeAnnotator("cy"), "hash-bo").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(annotations_->AddAnnotator(MakeAnnotator("bad name"), "h3").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(annotations_->ResetAnnotatorToken("nobody", "h4").code(), StatusCode::kNotFound);
  EXPECT_EQ(annotations_->ListAnnotators()->size(), 1u);

  AnnotationRound round{"round-1", "r", RoundSample::kAll, 1, "t", {0, 1}};
  AnnotationRound no_run = round;
  no_run.run_id = "nope";
  EXPECT_EQ(annotations_->CreateRound(no_run).code(), StatusCode::kNotFound);
  AnnotationRound outside = round;
  outside.items = {0, 3};
  EXPECT_EQ(annotations_->CreateRound(outside).code(), StatusCode::kInvalidArgument);
  AnnotationRound overlap = round;
  overlap.overlap = 11;
  EXPECT_EQ(annotations_->CreateRound(overlap).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(annotations_->ListRounds()->empty());
  ASSERT_OK(annotations_->CreateRound(round));
  EXPECT_EQ(annotations_->CreateRound(round).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(annotations_->GetRound("nope").status().code(), StatusCode::kNotFound);

  AnnotationLabel good{0, "bo", ResponseClass::kRefuses, false, 3, "", "t"};
  AnnotationLabel not_in_round{2, "bo", ResponseClass::kRefuses, false, 3, "", "t"};
  AnnotationLabel unknown{1, "zed", ResponseClass::kRefuses, false, 3, "", "t"};
  AnnotationLabel undecided{1, "bo", ResponseClass::kUndetermined, false, 3, "", "t"};
  AnnotationLabel quality{1, "bo", ResponseClass::kRefuses, false, 6, "", "t"};
  AnnotationLabel non_utf8{1, "bo", ResponseClass::kRefuses, false, 3, "bad \xff", "t"};
  for (const AnnotationLabel& bad : {not_in_round, unknown, undecided, quality, non_utf8}) {
    EXPECT_EQ(annotations_->SaveLabels("round-1", {good, bad}).code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(annotations_->SaveLabels("nope", {good}).code(), StatusCode::kNotFound);
  EXPECT_TRUE(annotations_->LoadLabels("round-1")->empty());
  Adjudication by_annotator{0, "bo", ResponseClass::kRefuses, false, 3, "", "t"};
  EXPECT_EQ(annotations_->SaveAdjudication("round-1", by_annotator).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(annotations_->LoadAdjudications("round-1")->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// ---- PostgreSQL only ----

TEST(OpenStore, TellsUrlsFromPathsAndHidesPasswords) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://u@h/db"));
  EXPECT_TRUE(IsPostgresUrl("postgres://h/db"));
  EXPECT_FALSE(IsPostgresUrl("runs/safeval.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql.db"));
  EXPECT_EQ(StoreLabel("runs/safeval.db"), "runs/safeval.db");
  EXPECT_EQ(StoreLabel("postgresql://ana:s3cr%40t@db.example:5432/evals"),
            "postgresql://ana:***@db.example:5432/evals");
  EXPECT_EQ(StoreLabel("postgres://ana@db/evals?sslmode=require&password=s3cret&x=1"),
            "postgres://ana@db/evals?sslmode=require&password=***&x=1");
  EXPECT_EQ(StoreLabel("postgresql://db.example/evals"), "postgresql://db.example/evals");
}

TEST(OpenStore, ConnectionFailureIsUnavailableWithoutThePassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  for (const std::string& url :
       {std::string("postgresql://ana:s3cret-pw@127.0.0.1:1/evals?connect_timeout=2"),
        std::string("postgresql://ana@127.0.0.1:1/evals?password=s3cret-pw&connect_timeout=2")}) {
    Result<Stores> stores = OpenStores(url);
    ASSERT_FALSE(stores.ok());
    EXPECT_EQ(stores.status().code(), StatusCode::kUnavailable);
    const std::string message = stores.status().ToString();
    EXPECT_NE(message.find("cannot connect to store postgresql://ana"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("s3cret-pw"), std::string::npos) << message;
    EXPECT_NE(message.find("***"), std::string::npos) << message;
  }
}

TEST(PostgresStore, RefusesANewerSchemaVersion) {
  SV_REQUIRE_POSTGRES();
  testing::PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  ASSERT_OK(OpenStore(schema.url()));
  ASSERT_EQ(schema.Exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'"), "");
  Result<std::unique_ptr<Store>> store = OpenStore(schema.url());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(store.status().message().find("has schema version 99"), std::string::npos)
      << store.status().ToString();
  EXPECT_NE(store.status().message().find("upgrade safeval"), std::string::npos);
}

TEST(PostgresStore, MigratesOnceAndKeepsData) {
  SV_REQUIRE_POSTGRES();
  testing::PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  {
    Result<std::unique_ptr<Store>> store = OpenStore(schema.url());
    ASSERT_OK(store);
    ASSERT_OK((*store)->CreateRun(MakeRun("kept"), Items(2)));
  }
  Result<std::unique_ptr<Store>> again = OpenStore(schema.url());
  ASSERT_OK(again);
  EXPECT_EQ((*again)->LoadItems("kept")->size(), 2u);
}

TEST(PostgresStore, RefusesAnotherApplicationsSchema) {
  SV_REQUIRE_POSTGRES();
  testing::PgTestSchema schema;
  ASSERT_TRUE(schema.ok()) << schema.error();
  ASSERT_EQ(schema.Exec("CREATE TABLE customers (id integer)"), "");
  Result<std::unique_ptr<Store>> store = OpenStore(schema.url());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_NE(store.status().message().find("is not a safeval store"), std::string::npos)
      << store.status().ToString();
  EXPECT_NE(schema.Exec("SELECT 1 FROM meta").find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace safeval
