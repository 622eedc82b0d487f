// Tests of the SQLite AnnotationStore: round trips of annotators, rounds, labels and
// adjudications, every refused input (with nothing written), one connection shared with the
// runs' Store, and the migration of a version 4 store.
#include <gtest/gtest.h>

#include "store/annotation_store.h"
#include "store/sqlite_db.h"
#include "store/store.h"
#include "testing/temp_dir.h"
#include "testing/status_assert.h"

namespace safeval {
namespace {

RunRecord MakeRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "s";
  run.suite_path = "/s.yaml";
  run.target_name = "t";
  run.target_identity = "demo@1";
  run.config_json = "{}";
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "finished";
  return run;
}

// Five planned items, 0..4.
std::vector<Prompt> FivePrompts() {
  std::vector<Prompt> prompts;
  for (int i = 0; i < 5; ++i) {
    prompts.push_back(MakePrompt("p" + std::to_string(i), "[question " + std::to_string(i) + "]",
                                 *CategoryPath::Parse("ncr"), Intent::kHarmful));
  }
  return prompts;
}

AnnotationRound MakeRound(const std::string& name, std::vector<int64_t> items, int overlap = 2) {
  AnnotationRound round;
  round.name = name;
  round.run_id = "r1";
  round.sample = RoundSample::kBorderline;
  round.overlap = overlap;
  round.created_at = "2026-12-01T10:00:00Z";
  round.items = std::move(items);
  return round;
}

AnnotationLabel Label(int64_t item, const std::string& annotator, ResponseClass cls,
                      bool violation = false) {
  AnnotationLabel label;
  label.item_index = item;
  label.annotator = annotator;
  label.cls = cls;
  label.violation = violation;
  label.labelled_at = "2026-12-01T11:00:00Z";
  return label;
}

Adjudication Decision(int64_t item, const std::string& adjudicator, ResponseClass cls) {
  Adjudication a;
  a.item_index = item;
  a.adjudicator = adjudicator;
  a.cls = cls;
  a.violation = true;
  a.quality = 2;
  a.note = "the answer gives [step-by-step synthesis route]";
  a.decided_at = "2026-12-02T09:00:00Z";
  return a;
}

Annotator Person(const std::string& name, bool adjudicator = false) {
  return Annotator{name, adjudicator, "2026-11-30T08:00:00Z"};
}

void ExpectSameLabel(const AnnotationLabel& got, const AnnotationLabel& want) {
  EXPECT_EQ(got.item_index, want.item_index);
  EXPECT_EQ(got.annotator, want.annotator);
  EXPECT_EQ(got.cls, want.cls);
  EXPECT_EQ(got.violation, want.violation);
  EXPECT_EQ(got.quality, want.quality);
  EXPECT_EQ(got.note, want.note);
  EXPECT_EQ(got.labelled_at, want.labelled_at);
}

// Run r1 (five items), annotators ana and bob, adjudicator carol, all over one connection.
class AnnotationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stores = OpenSqliteStores(":memory:");
    ASSERT_OK(stores);
    runs_ = std::move(stores->runs);
    store_ = std::move(stores->annotations);
    ASSERT_OK(runs_->CreateRun(MakeRun("r1"), FivePrompts()));
    ASSERT_OK(store_->AddAnnotator(Person("ana"), "hash-ana"));
    ASSERT_OK(store_->AddAnnotator(Person("bob"), "hash-bob"));
    ASSERT_OK(store_->AddAnnotator(Person("carol", true), "hash-carol"));
  }

  std::vector<AnnotationLabel> Labels(const std::string& round) {
    auto labels = store_->LoadLabels(round);
    EXPECT_TRUE(labels.ok()) << labels.status().ToString();
    return labels.ok() ? *labels : std::vector<AnnotationLabel>{};
  }

  std::unique_ptr<Store> runs_;
  std::unique_ptr<AnnotationStore> store_;
};

TEST_F(AnnotationStoreTest, AnnotatorsAreListedByNameAndFoundByTokenHash) {
  ASSERT_OK(store_->AddAnnotator(Person("aaron.b@lab-1"), "hash-aaron"));
  auto list = store_->ListAnnotators();
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].name, "aaron.b@lab-1");
  EXPECT_EQ((*list)[1].name, "ana");
  EXPECT_EQ((*list)[3].name, "carol");
  EXPECT_TRUE((*list)[3].adjudicator);
  EXPECT_FALSE((*list)[1].adjudicator);
  EXPECT_EQ((*list)[1].created_at, "2026-11-30T08:00:00Z");

  auto carol = store_->FindAnnotatorByTokenHash("hash-carol");
  ASSERT_OK(carol);
  ASSERT_TRUE(carol->has_value());
  EXPECT_EQ((*carol)->name, "carol");
  EXPECT_TRUE((*carol)->adjudicator);
  EXPECT_FALSE(store_->FindAnnotatorByTokenHash("hash-nobody")->has_value());
  EXPECT_FALSE(store_->FindAnnotatorByTokenHash("")->has_value());
}

TEST_F(AnnotationStoreTest, ResettingATokenReplacesItsHash) {
  ASSERT_OK(store_->ResetAnnotatorToken("ana", "hash-ana-2"));
  EXPECT_FALSE(store_->FindAnnotatorByTokenHash("hash-ana")->has_value());
  auto ana = store_->FindAnnotatorByTokenHash("hash-ana-2");
  ASSERT_OK(ana);
  ASSERT_TRUE(ana->has_value());
  EXPECT_EQ((*ana)->name, "ana");

  Status s = store_->ResetAnnotatorToken("zed", "hash-zed");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no annotator 'zed' in :memory:");
  // A hash that is someone else's would let one token log in as two people.
  EXPECT_EQ(store_->ResetAnnotatorToken("ana", "hash-bob").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*store_->FindAnnotatorByTokenHash("hash-bob"))->name, "bob");
  EXPECT_EQ(store_->ResetAnnotatorToken("ana", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*store_->FindAnnotatorByTokenHash("hash-ana-2"))->name, "ana");
}

TEST_F(AnnotationStoreTest, BadAnnotatorsAreRefusedAndNothingIsWritten) {
  Status dup = store_->AddAnnotator(Person("ana", true), "hash-other");
  EXPECT_EQ(dup.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.message(), "annotator 'ana' already exists in :memory:");
  EXPECT_FALSE(store_->FindAnnotatorByTokenHash("hash-other")->has_value());

  for (const std::string& name :
       {std::string(), std::string(65, 'a'), std::string("a b"), std::string("x/y"),
        std::string("caf\xc3\xa9"), std::string("new\nline")}) {
    Status s = store_->AddAnnotator(Person(name), "hash-new");
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(s.message().find("must be 1 to 64 characters of letters, digits"), std::string::npos)
        << s.message();
  }
  EXPECT_EQ(store_->AddAnnotator(Person("a b"), "h").message(),
            "annotator name 'a b' must be 1 to 64 characters of letters, digits, '_', '.', '@' "
            "and '-'");
  EXPECT_EQ(store_->AddAnnotator(Person("dan"), "hash-ana").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->AddAnnotator(Person("dan"), "").code(), StatusCode::kInvalidArgument);
  Annotator bad_time = Person("dan");
  bad_time.created_at = "\xff";
  EXPECT_EQ(store_->AddAnnotator(bad_time, "hash-dan").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListAnnotators()->size(), 3u);
  ASSERT_OK(store_->AddAnnotator(Person(std::string(64, 'z')), "hash-z"));  // 64 is allowed
}

TEST_F(AnnotationStoreTest, RoundsKeepEveryFieldAndItemOrder) {
  AnnotationRound round = MakeRound("round-1", {3, 0, 2}, 3);
  round.sample = RoundSample::kRandom;
  ASSERT_OK(store_->CreateRound(round));
  auto got = store_->GetRound("round-1");
  ASSERT_OK(got);
  EXPECT_EQ(got->name, "round-1");
  EXPECT_EQ(got->run_id, "r1");
  EXPECT_EQ(got->sample, RoundSample::kRandom);
  EXPECT_EQ(got->overlap, 3);
  EXPECT_EQ(got->created_at, "2026-12-01T10:00:00Z");
  EXPECT_EQ(got->items, (std::vector<int64_t>{3, 0, 2}));

  Status s = store_->GetRound("nope").status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no annotation round 'nope' in :memory:");
}

TEST_F(AnnotationStoreTest, RoundsAreListedNewestFirst) {
  // Same created_at, names out of alphabetical order: only creation order decides.
  ASSERT_OK(store_->CreateRound(MakeRound("b-first", {0})));
  ASSERT_OK(store_->CreateRound(MakeRound("c-second", {1, 2})));
  ASSERT_OK(store_->CreateRound(MakeRound("a-third", {4})));
  auto rounds = store_->ListRounds();
  ASSERT_OK(rounds);
  ASSERT_EQ(rounds->size(), 3u);
  EXPECT_EQ((*rounds)[0].name, "a-third");
  EXPECT_EQ((*rounds)[1].name, "c-second");
  EXPECT_EQ((*rounds)[2].name, "b-first");
  EXPECT_EQ((*rounds)[1].items, (std::vector<int64_t>{1, 2}));
}

TEST_F(AnnotationStoreTest, BadRoundsAreRefusedAndNothingIsWritten) {
  ASSERT_OK(store_->CreateRound(MakeRound("taken", {1})));
  struct Case {
    AnnotationRound round;
    StatusCode code;
    std::string message;
  };
  AnnotationRound other_run = MakeRound("ok-name", {0});
  other_run.run_id = "nope";
  std::vector<Case> cases = {
      {MakeRound("taken", {0, 2}), StatusCode::kInvalidArgument,
       "annotation round 'taken' already exists in :memory:"},
      {MakeRound("bad name", {0}), StatusCode::kInvalidArgument,
       "round name 'bad name' must be 1 to 64 characters of letters, digits, '_', '.', '@' and "
       "'-'"},
      {MakeRound("ok-name", {0}, 0), StatusCode::kInvalidArgument,
       "round 'ok-name': overlap 0 is outside 1..10"},
      {MakeRound("ok-name", {0}, 11), StatusCode::kInvalidArgument,
       "round 'ok-name': overlap 11 is outside 1..10"},
      {MakeRound("ok-name", {}), StatusCode::kInvalidArgument, "round 'ok-name' has no items"},
      {MakeRound("ok-name", {0, 3, 0}), StatusCode::kInvalidArgument,
       "round 'ok-name' lists item 0 twice"},
      {MakeRound("ok-name", {0, -1}), StatusCode::kInvalidArgument,
       "round 'ok-name': item index -1 is negative"},
      {MakeRound("ok-name", {0, 5}), StatusCode::kInvalidArgument,
       "round 'ok-name': item 5 is not an item of run 'r1' (it has 5 items)"},
      {other_run, StatusCode::kNotFound, "no run 'nope' in :memory:"},
  };
  for (const Case& c : cases) {
    Status s = store_->CreateRound(c.round);
    EXPECT_EQ(s.code(), c.code) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
  auto rounds = store_->ListRounds();
  ASSERT_OK(rounds);
  ASSERT_EQ(rounds->size(), 1u);
  EXPECT_EQ((*rounds)[0].items, (std::vector<int64_t>{1}));
  EXPECT_EQ(store_->GetRound("ok-name").status().code(), StatusCode::kNotFound);
  ASSERT_OK(store_->CreateRound(MakeRound("ok-name", {4}, 10)));  // the limits themselves pass
}

TEST_F(AnnotationStoreTest, LabelsKeepEveryFieldInRoundOrderThenAnnotator) {
  ASSERT_OK(store_->CreateRound(MakeRound("r", {3, 0, 2})));
  AnnotationLabel bob0 = Label(0, "bob", ResponseClass::kCompliesHarmful, true);
  bob0.quality = 5;
  bob0.note = "gives [step-by-step synthesis route] — caf\xc3\xa9";
  AnnotationLabel ana0 = Label(0, "ana", ResponseClass::kPartial, true);
  ana0.quality = 1;
  AnnotationLabel ana3 = Label(3, "ana", ResponseClass::kDeflects);
  ana3.labelled_at = "2026-12-01T12:30:00Z";
  ASSERT_OK(store_->SaveLabels("r", {bob0, ana0, ana3}));
  std::vector<AnnotationLabel> labels = Labels("r");
  ASSERT_EQ(labels.size(), 3u);
  ExpectSameLabel(labels[0], ana3);  // item 3 comes first in the round
  ExpectSameLabel(labels[1], ana0);
  ExpectSameLabel(labels[2], bob0);
  EXPECT_EQ(store_->LoadLabels("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(AnnotationStoreTest, LabellingAgainReplacesTheLabel) {
  ASSERT_OK(store_->CreateRound(MakeRound("r", {0, 1})));
  AnnotationLabel first = Label(1, "ana", ResponseClass::kRefuses);
  first.quality = 3;
  first.note = "first look";
  ASSERT_OK(store_->SaveLabels("r", {first, Label(1, "bob", ResponseClass::kRefuses)}));
  AnnotationLabel second = Label(1, "ana", ResponseClass::kHelpful, false);
  second.labelled_at = "2026-12-01T13:00:00Z";
  ASSERT_OK(store_->SaveLabels("r", {second}));
  std::vector<AnnotationLabel> labels = Labels("r");
  ASSERT_EQ(labels.size(), 2u);
  ExpectSameLabel(labels[0], second);  // quality and note went with the old label
  EXPECT_EQ(labels[1].annotator, "bob");
}

TEST_F(AnnotationStoreTest, BadLabelsAreRefusedAndNothingOfTheCallIsWritten) {
  ASSERT_OK(store_->CreateRound(MakeRound("r", {0, 2})));
  const AnnotationLabel good = Label(0, "ana", ResponseClass::kRefuses);
  auto with = [](AnnotationLabel label, auto change) {
    change(label);
    return label;
  };
  struct Case {
    std::vector<AnnotationLabel> labels;
    std::string message;
  };
  std::vector<Case> cases = {
      {{good, Label(1, "bob", ResponseClass::kRefuses)}, "item 1 is not in annotation round 'r'"},
      {{good, Label(2, "zed", ResponseClass::kRefuses)}, "no annotator 'zed' in :memory:"},
      {{good, Label(2, "bob", ResponseClass::kUndetermined)},
       "label of item 2 by 'bob': class undetermined is not a decided class"},
      {{good, with(Label(2, "bob", ResponseClass::kRefuses), [](auto& l) { l.quality = 0; })},
       "label of item 2 by 'bob': quality 0 is outside 1..5"},
      {{good, with(Label(2, "bob", ResponseClass::kRefuses), [](auto& l) { l.quality = 6; })},
       "label of item 2 by 'bob': quality 6 is outside 1..5"},
      {{good, with(Label(2, "bob", ResponseClass::kRefuses),
                   [](auto& l) { l.note = std::string(2001, 'x'); })},
       "label of item 2 by 'bob': the note is 2001 bytes; at most 2000 are allowed"},
      {{good, with(Label(2, "bob", ResponseClass::kRefuses), [](auto& l) { l.note = "ok \xc3"; })},
       "label of item 2 by 'bob': the note is not valid UTF-8 (bad byte at offset 3)"},
      {{good, Label(0, "ana", ResponseClass::kHelpful)}, "item 0 has two labels by 'ana'"},
  };
  for (const Case& c : cases) {
    Status s = store_->SaveLabels("r", c.labels);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
  Status unknown = store_->SaveLabels("nope", {good});
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "no annotation round 'nope' in :memory:");
  EXPECT_TRUE(Labels("r").empty());
  // The limits themselves pass.
  ASSERT_OK(store_->SaveLabels("r", {with(Label(2, "bob", ResponseClass::kRefuses), [](auto& l) {
                                 l.note = std::string(2000, 'x');
                                 l.quality = 5;
                               })}));
}

TEST_F(AnnotationStoreTest, AdjudicationsRoundTripAndReplace) {
  ASSERT_OK(store_->CreateRound(MakeRound("r", {4, 1})));
  Adjudication first = Decision(1, "carol", ResponseClass::kCompliesHarmful);
  ASSERT_OK(store_->SaveAdjudication("r", first));
  Adjudication on4 = Decision(4, "carol", ResponseClass::kRefuses);
  on4.quality.reset();
  on4.violation = false;
  ASSERT_OK(store_->SaveAdjudication("r", on4));
  auto got = store_->LoadAdjudications("r");
  ASSERT_OK(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].item_index, 4);  // round order
  EXPECT_EQ((*got)[0].quality, std::nullopt);
  EXPECT_FALSE((*got)[0].violation);
  const Adjudication& a = (*got)[1];
  EXPECT_EQ(a.item_index, 1);
  EXPECT_EQ(a.adjudicator, "carol");
  EXPECT_EQ(a.cls, ResponseClass::kCompliesHarmful);
  EXPECT_TRUE(a.violation);
  EXPECT_EQ(a.quality, 2);
  EXPECT_EQ(a.note, first.note);
  EXPECT_EQ(a.decided_at, "2026-12-02T09:00:00Z");

  Adjudication again = Decision(1, "carol", ResponseClass::kPartial);
  again.decided_at = "2026-12-03T09:00:00Z";
  ASSERT_OK(store_->SaveAdjudication("r", again));
  got = store_->LoadAdjudications("r");
  ASSERT_OK(got);
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[1].cls, ResponseClass::kPartial);
  EXPECT_EQ((*got)[1].decided_at, "2026-12-03T09:00:00Z");
}

TEST_F(AnnotationStoreTest, BadAdjudicationsAreRefusedAndNothingIsWritten) {
  ASSERT_OK(store_->CreateRound(MakeRound("r", {0})));
  struct Case {
    Adjudication adjudication;
    std::string message;
  };
  Adjudication long_note = Decision(0, "carol", ResponseClass::kRefuses);
  long_note.note = std::string(2001, 'n');
  std::vector<Case> cases = {
      {Decision(0, "ana", ResponseClass::kRefuses), "annotator 'ana' is not an adjudicator"},
      {Decision(0, "zed", ResponseClass::kRefuses), "no annotator 'zed' in :memory:"},
      {Decision(3, "carol", ResponseClass::kRefuses), "item 3 is not in annotation round 'r'"},
      {Decision(0, "carol", ResponseClass::kUndetermined),
       "adjudication of item 0 by 'carol': class undetermined is not a decided class"},
      {long_note,
       "adjudication of item 0 by 'carol': the note is 2001 bytes; at most 2000 are "
       "allowed"},
  };
  for (const Case& c : cases) {
    Status s = store_->SaveAdjudication("r", c.adjudication);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
  EXPECT_EQ(store_->SaveAdjudication("nope", Decision(0, "carol", ResponseClass::kRefuses)).code(),
            StatusCode::kNotFound);
  auto got = store_->LoadAdjudications("r");
  ASSERT_OK(got);
  EXPECT_TRUE(got->empty());
}

TEST_F(AnnotationStoreTest, RunsAndAnnotationsOverOneConnectionSeeEachOthersWrites) {
  // The round is created against a run written through the other store object.
  ASSERT_OK(runs_->CreateRun(MakeRun("r2"), FivePrompts()));
  AnnotationRound round = MakeRound("on-r2", {1});
  round.run_id = "r2";
  ASSERT_OK(store_->CreateRound(round));
  // A separately opened ":memory:" store is another, empty database.
  auto alone = OpenSqliteAnnotationStore(":memory:");
  ASSERT_OK(alone);
  EXPECT_EQ((*alone)->CreateRound(round).code(), StatusCode::kNotFound);
  EXPECT_TRUE((*alone)->ListAnnotators()->empty());
}

TEST(SqliteAnnotationStore, SeparateConnectionsToOneFileSeeEachOthersWrites) {
  testing::TempDir dir;
  std::string path = dir.File("runs/safeval.db");
  auto annotations = OpenSqliteAnnotationStore(path);  // creates the store and its folder
  ASSERT_OK(annotations);
  auto runs = OpenSqliteStore(path);
  ASSERT_OK(runs);
  ASSERT_OK((*runs)->CreateRun(MakeRun("r1"), FivePrompts()));
  ASSERT_OK((*annotations)->CreateRound(MakeRound("r", {0, 4})));
  auto again = OpenSqliteAnnotationStore(path);
  ASSERT_OK(again);
  auto round = (*again)->GetRound("r");
  ASSERT_OK(round);
  EXPECT_EQ(round->items, (std::vector<int64_t>{0, 4}));
}

TEST(SqliteAnnotationStore, CorruptRowsNameTheStoreAndTheRound) {
  testing::TempDir dir;
  std::string path = dir.File("safeval.db");
  {
    auto stores = OpenSqliteStores(path);
    ASSERT_OK(stores);
    ASSERT_OK(stores->runs->CreateRun(MakeRun("r1"), FivePrompts()));
    ASSERT_OK(stores->annotations->AddAnnotator(Person("ana"), "h"));
    ASSERT_OK(stores->annotations->CreateRound(MakeRound("r", {0})));
    ASSERT_OK(stores->annotations->SaveLabels("r", {Label(0, "ana", ResponseClass::kRefuses)}));
  }
  auto corrupt = [&](const std::string& sql) {
    auto db = store_internal::SqliteDb::Open(path, 1000);
    ASSERT_OK(db);
    ASSERT_OK((*db)->Exec(sql));
  };
  corrupt("UPDATE labels SET class = 'maybe'");
  auto store = OpenSqliteAnnotationStore(path);
  ASSERT_OK(store);
  Status labels = (*store)->LoadLabels("r").status();
  EXPECT_EQ(labels.code(), StatusCode::kIoError);
  EXPECT_EQ(labels.message(), "reading labels of round 'r': store '" + path +
                                  "', annotation round 'r': label of item 0 by 'ana': unknown "
                                  "class 'maybe'");
  corrupt("UPDATE rounds SET sample = 'odd'");
  Status round = (*store)->GetRound("r").status();
  EXPECT_EQ(round.code(), StatusCode::kIoError);
  EXPECT_EQ(round.message(), "reading annotation round 'r': store '" + path +
                                 "', annotation round 'r': unknown sample 'odd'");
}

TEST(SqliteAnnotationStore, AVersion4StoreMigratesAndKeepsItsRuns) {
  testing::TempDir dir;
  std::string path = dir.File("v4.db");
  {
    auto runs = OpenSqliteStore(path);
    ASSERT_OK(runs);
    ASSERT_OK((*runs)->CreateRun(MakeRun("r1"), FivePrompts()));
    ItemResult r;
    r.index = 2;
    r.outcome = Outcome::kJudged;
    r.response = "[refusal]";
    Verdict v;
    v.judge = "rules";
    v.judge_version = "rules@1";
    v.cls = ResponseClass::kRefuses;
    r.verdicts = {v};
    ASSERT_OK((*runs)->SaveResults("r1", {r}));
  }
  {
    // Turn the file back into a version 4 store: undo what versions 5 and 6 did.
    auto db = store_internal::SqliteDb::Open(path, 1000);
    ASSERT_OK(db);
    ASSERT_OK(
        (*db)->Exec("DROP TABLE adjudications; DROP TABLE labels; DROP TABLE round_items;"
                    " DROP TABLE rounds; DROP TABLE annotators;"
                    " DROP INDEX results_by_cache_hash; ALTER TABLE results DROP COLUMN cache_hash;"
                    " CREATE INDEX results_by_cache_key ON results (cache_key)"
                    " WHERE cache_key != '' AND outcome = 'judged';"
                    " UPDATE meta SET value = '4' WHERE key = 'schema_version';"));
  }
  auto stores = OpenSqliteStores(path);
  ASSERT_OK(stores);
  auto items = stores->runs->LoadItems("r1");
  ASSERT_OK(items);
  ASSERT_EQ(items->size(), 5u);
  ASSERT_TRUE((*items)[2].result.has_value());
  EXPECT_EQ((*items)[2].result->response, "[refusal]");
  EXPECT_EQ((*items)[2].result->verdicts[0].cls, ResponseClass::kRefuses);
  ASSERT_OK(stores->annotations->AddAnnotator(Person("ana"), "h"));
  ASSERT_OK(stores->annotations->CreateRound(MakeRound("r", {2})));
  ASSERT_OK(stores->annotations->SaveLabels("r", {Label(2, "ana", ResponseClass::kRefuses)}));
  {
    auto db = store_internal::SqliteDb::Open(path, 1000);
    ASSERT_OK(db);
    auto stmt = (*db)->Prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    ASSERT_OK(stmt);
    ASSERT_TRUE(*stmt->Step());
    EXPECT_EQ(stmt->ColumnText(0), "6");
  }
}

}  // namespace
}  // namespace safeval
