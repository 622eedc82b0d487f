// `safeval annotators ...`, `safeval annotate ...` and `safeval judge calibrate --round` end to
// end through the binary, on a small run of the demo target: tokens shown once and stored only
// as hashes, rounds of each sample kind, bad flags, label import (checked before anything is
// saved), export → import round trip, status numbers, gold verdicts in the report, calibration.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "store/annotation_store.h"
#include "store/store.h"
#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/cli_run_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<json> JsonLines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

class AnnotateCli : public ::testing::Test {
 protected:
  // 45 prompts the demo target answers in every way, in three hazards.
  static void SetUpTestSuite() {
    shared_ = new TempDir;
    run_id_ = RunDemoTargetSuiteThroughCli(*shared_, "e2e-annotate", 45).run_id;
    ASSERT_FALSE(run_id_.empty());
  }
  static void TearDownTestSuite() {
    delete shared_;
    shared_ = nullptr;
  }

  // Each test works on its own copy of the run's store.
  void SetUp() override {
    ASSERT_FALSE(run_id_.empty());
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::string from = shared_->File(std::string("s.db") + suffix);
      if (std::filesystem::exists(from))
        std::filesystem::copy_file(from, dir_.File(std::string("s.db") + suffix));
    }
  }

  ProcessResult Safeval(std::vector<std::string> args) {
    std::vector<std::string> all = {SafevalBinary()};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--store");
    all.push_back(dir_.File("s.db"));
    return RunProcess(all, dir_.path());
  }

  std::string AddAnnotator(const std::string& name) {
    ProcessResult r = Safeval({"annotators", "add", name});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  ProcessResult Create(const std::string& name, std::vector<std::string> flags) {
    std::vector<std::string> args = {"annotate", "create", run_id_, "--name", name};
    args.insert(args.end(), flags.begin(), flags.end());
    return Safeval(args);
  }

  AnnotationRound Round(const std::string& name) {
    auto store = OpenSqliteAnnotationStore(dir_.File("s.db"));
    EXPECT_TRUE(store.ok()) << store.status().message();
    auto round = (*store)->GetRound(name);
    EXPECT_TRUE(round.ok()) << round.status().message();
    return round.ok() ? *round : AnnotationRound{};
  }

  std::vector<StoredItem> Items() {
    auto store = OpenSqliteStore(dir_.File("s.db"));
    EXPECT_TRUE(store.ok());
    auto items = (*store)->LoadItems(run_id_);
    EXPECT_TRUE(items.ok());
    return items.ok() ? *items : std::vector<StoredItem>{};
  }

  // The prompt id of each item index.
  std::map<int64_t, std::string> Ids() {
    std::map<int64_t, std::string> ids;
    for (const StoredItem& item : Items()) ids[item.index] = item.prompt.id;
    return ids;
  }

  json StatusJson(const std::string& round) {
    ProcessResult r = Safeval({"annotate", "status", round, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }

  static TempDir* shared_;
  static std::string run_id_;
  TempDir dir_;
};

TempDir* AnnotateCli::shared_ = nullptr;
std::string AnnotateCli::run_id_;

// What the store's verdicts imply, worked out here independently of annotate_sample.cc.
struct Expected {
  std::vector<int64_t> judged, failures, borderline;
};
Expected FromVerdicts(const std::vector<StoredItem>& items) {
  Expected e;
  for (const StoredItem& item : items) {
    if (!item.result || item.result->outcome != Outcome::kJudged || item.result->verdicts.empty())
      continue;
    const Verdict& v = item.result->verdicts.front();
    e.judged.push_back(item.index);
    bool over_deflection = item.prompt.intent == Intent::kSafe &&
                           (v.cls == ResponseClass::kRefuses || v.cls == ResponseClass::kDeflects);
    if (v.violation || over_deflection) e.failures.push_back(item.index);
    if (v.confidence < 0.6) e.borderline.push_back(item.index);  // one judge: never disagrees
  }
  return e;
}

TEST_F(AnnotateCli, AnnotatorsAddPrintsTheTokenOnceAndStoresOnlyItsHash) {
  ProcessResult r = Safeval({"annotators", "add", "ana", "--adjudicator"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("safeval: token for ana (shown once; store only its hash):"));
  ASSERT_EQ(r.out.size(), 3u + 64u + 1u) << r.out;  // "sv_" + 32 bytes as hex + "\n", alone
  EXPECT_EQ(r.out.rfind("sv_", 0), 0u);
  const std::string token = r.out.substr(0, r.out.size() - 1);
  std::string bytes;
  for (const char* suffix : {"", "-wal"})
    bytes += ReadFile(dir_.File(std::string("s.db") + suffix));
  EXPECT_THAT(bytes, HasSubstr("ana"));
  EXPECT_THAT(bytes, Not(HasSubstr(token)));
  EXPECT_THAT(bytes, Not(HasSubstr(token.substr(3))));  // nor its random part

  AddAnnotator("bo");
  ProcessResult list = Safeval({"annotators", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, ::testing::ContainsRegex("ana +yes +20"));
  EXPECT_THAT(list.out, ::testing::ContainsRegex("bo +no +20"));
  EXPECT_THAT(list.out, Not(HasSubstr("sv_")));

  ProcessResult again = Safeval({"annotators", "add", "ana"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("already exists"));
  EXPECT_TRUE(again.out.empty());

  ProcessResult reset = Safeval({"annotators", "reset-token", "ana"});
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_EQ(reset.out.size(), token.size() + 1);
  EXPECT_NE(reset.out, r.out);
  EXPECT_THAT(reset.err, HasSubstr("token for ana (shown once"));

  ProcessResult unknown = Safeval({"annotators", "reset-token", "zed"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no annotator 'zed'"));
  ProcessResult bad = Safeval({"annotators", "add", "a b"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("annotator 'a b': expected 1 to 64 letters"));
}

TEST_F(AnnotateCli, RoundsOfEachKindHoldWhatTheVerdictsImply) {
  Expected e = FromVerdicts(Items());
  ASSERT_GT(e.judged.size(), 10u);
  ASSERT_GT(e.failures.size(), 2u);  // the demo target fails some prompts

  ProcessResult all = Create("everything", {"--sample", "all", "--overlap", "2"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_EQ(Round("everything").items, e.judged);
  EXPECT_EQ(Round("everything").overlap, 2);
  EXPECT_THAT(all.out, HasSubstr("items    " + std::to_string(e.judged.size())));
  EXPECT_THAT(all.out, HasSubstr("labels   " + std::to_string(2 * e.judged.size()) + " needed"));

  ProcessResult failures = Create("fails", {"--sample", "failures"});
  ASSERT_EQ(failures.exit_code, 0) << failures.err;
  EXPECT_EQ(Round("fails").items, e.failures);
  EXPECT_EQ(Round("fails").sample, RoundSample::kFailures);

  ProcessResult capped = Create("fails2", {"--sample", "failures", "--n", "2"});
  ASSERT_EQ(capped.exit_code, 0) << capped.err;
  EXPECT_EQ(Round("fails2").items,
            std::vector<int64_t>(e.failures.begin(), e.failures.begin() + 2));

  // More than qualify: the round is smaller and says so, never padded.
  const std::string more = std::to_string(e.failures.size() + 5);
  ProcessResult short_round = Create("fails3", {"--sample", "failures", "--n", more});
  ASSERT_EQ(short_round.exit_code, 0) << short_round.err;
  EXPECT_THAT(short_round.err,
              HasSubstr("only " + std::to_string(e.failures.size()) + " items of run " + run_id_ +
                        " qualify as failures (--n " + more + ")"));
  EXPECT_EQ(Round("fails3").items.size(), e.failures.size());

  ProcessResult borderline = Create("edge", {"--sample", "borderline"});
  if (e.borderline.empty()) {
    EXPECT_EQ(borderline.exit_code, 2);
    EXPECT_THAT(borderline.err, HasSubstr("no borderline items"));
  } else {
    ASSERT_EQ(borderline.exit_code, 0) << borderline.err;
    EXPECT_EQ(Round("edge").items, e.borderline);
  }

  ASSERT_EQ(Create("r1", {"--sample", "random", "--n", "7", "--seed", "11"}).exit_code, 0);
  ASSERT_EQ(Create("r2", {"--sample", "random", "--n", "7", "--seed", "11"}).exit_code, 0);
  ASSERT_EQ(Create("r3", {"--sample", "random", "--n", "7", "--seed", "12"}).exit_code, 0);
  std::vector<int64_t> r1 = Round("r1").items;
  EXPECT_EQ(r1.size(), 7u);
  EXPECT_EQ(r1, Round("r2").items);
  EXPECT_NE(r1, Round("r3").items);
  std::set<int64_t> judged(e.judged.begin(), e.judged.end());
  for (int64_t index : r1) EXPECT_TRUE(judged.count(index)) << index;
}

TEST_F(AnnotateCli, BadFlagsExitTwoWithAMessage) {
  auto expect_bad = [&](std::vector<std::string> args, const std::string& message) {
    ProcessResult r = Safeval(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
  };
  const std::vector<std::string> create = {"annotate", "create", run_id_, "--name", "x"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = create;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_bad(with({"--sample", "worst"}),
             "--sample 'worst': expected borderline, failures, random or all");
  expect_bad(with({"--sample", "all", "--overlap", "0"}), "--overlap 0: expected 1 to 10");
  expect_bad(with({"--sample", "all", "--overlap", "11"}), "--overlap 11: expected 1 to 10");
  expect_bad(with({"--sample", "all", "--n", "0"}), "--n 0: expected at least 1");
  expect_bad({"annotate", "create", run_id_, "--name", "a/b", "--sample", "all"},
             "--name 'a/b': expected 1 to 64 letters");
  expect_bad({"annotate", "create", "no-such-run", "--name", "x", "--sample", "all"},
             "no-such-run");
  ASSERT_EQ(Safeval(with({"--sample", "all"})).exit_code, 0);
  expect_bad(with({"--sample", "all"}), "'x'");  // the name is taken
  expect_bad({"annotate", "status", "nope"}, "no annotation round 'nope'");
  expect_bad({"annotate", "export", "nope"}, "(rounds: x)");
  expect_bad({"judge", "calibrate", "--round", "x", "--labels", "l.jsonl"},
             "give exactly one of --labels FILE");
  expect_bad({"judge", "calibrate"}, "give exactly one of --labels FILE");
  expect_bad({"judge", "calibrate", "--round", "x"}, "round x has no gold labels yet");

  ProcessResult no_store = RunProcess(
      {SafevalBinary(), "annotators", "list", "--store", dir_.File("missing.db")}, dir_.path());
  EXPECT_EQ(no_store.exit_code, 2);
  EXPECT_THAT(no_store.err, HasSubstr("no store at '" + dir_.File("missing.db") + "'"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("missing.db")));
}

TEST_F(AnnotateCli, AnImportWithABadLineNamesFileAndLineAndSavesNothing) {
  ASSERT_EQ(Create("r", {"--sample", "all", "--n", "3", "--overlap", "2"}).exit_code, 0);
  std::vector<int64_t> items = Round("r").items;
  std::map<int64_t, std::string> ids = Ids();
  const std::string id0 = ids[items[0]], index1 = std::to_string(items[1]);
  dir_.Write("labels.jsonl",
             "{\"id\": \"" + id0 +
                 "\", \"annotator\": \"ana\", \"class\": \"refuses\", "
                 "\"violation\": false}\n"
                 "{\"index\": " +
                 index1 +
                 ", \"annotator\": \"ana\", \"class\": \"maybe\", "
                 "\"violation\": false}\n"
                 "\n"
                 "{\"id\": \"not-in-round\", \"annotator\": \"ana\", \"class\": \"refuses\", "
                 "\"violation\": false}\n"
                 "{\"id\": \"" +
                 id0 +
                 "\", \"annotator\": \"ana\", \"class\": \"helpful\", "
                 "\"violation\": false}\n"
                 "{\"index\": " +
                 index1 +
                 ", \"annotator\": \"bo\", \"class\": \"refuses\"}\n"
                 "{\"index\": " +
                 index1 +
                 ", \"annotator\": \"bo\", \"class\": \"refuses\", "
                 "\"violation\": false, \"quality\": 9, \"mood\": 1}\n"
                 "not json\n");
  ProcessResult r = Safeval({"annotate", "import", "r", "labels.jsonl"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:2: field 'class': expected one of complies_harmful"));
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:4: field 'id': no item 'not-in-round' in round r"));
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:5: field 'annotator': 'ana' already labelled item " +
                               std::to_string(items[0]) + " on line 1"));
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:6: field 'violation': expected true or false"));
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:7: field 'mood': unknown field"));
  EXPECT_THAT(r.err, HasSubstr("labels.jsonl:8: not valid JSON"));
  EXPECT_THAT(r.err, HasSubstr("6 bad lines in labels.jsonl; no label was saved"));
  EXPECT_EQ(r.err.find("what()"), std::string::npos);

  EXPECT_EQ(StatusJson("r")["labels"], 0);
  ProcessResult list = Safeval({"annotators", "list"});
  EXPECT_THAT(list.out, Not(HasSubstr("ana")));  // not even the annotators were added
}

TEST_F(AnnotateCli, StatusCountsLabelsAndMeasuresAgreement) {
  AddAnnotator("ana");
  ASSERT_EQ(Create("r", {"--sample", "all", "--n", "4", "--overlap", "2"}).exit_code, 0);
  std::vector<int64_t> it = Round("r").items;
  ASSERT_EQ(it.size(), 4u);
  auto label = [](int64_t index, const std::string& who, const std::string& cls, bool violation) {
    return "{\"index\": " + std::to_string(index) + ", \"annotator\": \"" + who +
           "\", \"class\": \"" + cls + "\", \"violation\": " + (violation ? "true" : "false") +
           "}\n";
  };
  // ana labels all four, bo three of them; they disagree on the class of the third.
  dir_.Write("labels.jsonl",
             label(it[0], "ana", "refuses", false) + label(it[1], "ana", "refuses", false) +
                 label(it[2], "ana", "helpful", false) + label(it[3], "ana", "refuses", false) +
                 label(it[0], "bo", "refuses", false) + label(it[1], "bo", "refuses", false) +
                 label(it[2], "bo", "partial", false));
  ProcessResult r = Safeval({"annotate", "import", "r", "labels.jsonl"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Imported 7 labels of 4 items by 2 annotators into round r"));
  EXPECT_THAT(r.out, HasSubstr("Added 1 annotator without a login: bo"));
  EXPECT_THAT(r.out, HasSubstr("Published 2 gold labels as verdicts of judge human"));

  json s = StatusJson("r");
  EXPECT_EQ(s["items"], 4);
  EXPECT_EQ(s["labels"], 7);
  EXPECT_EQ(s["labels_needed"], 8);
  EXPECT_EQ(s["items_by_labels"]["complete"], 3);
  EXPECT_EQ(s["items_by_labels"]["partial"], 1);
  EXPECT_EQ(s["items_by_labels"]["none"], 0);
  EXPECT_EQ(s["annotators"][0]["name"], "ana");
  EXPECT_EQ(s["annotators"][0]["labels"], 4);
  EXPECT_EQ(s["annotators"][1]["name"], "bo");
  EXPECT_EQ(s["annotators"][1]["labels"], 3);
  EXPECT_EQ(s["annotators"][1]["queue"], 1);  // the fourth item still wants a label
  const json& classes = s["class_agreement"];
  EXPECT_EQ(classes["items_multiply_labelled"], 3);
  EXPECT_NEAR(classes["observed"].get<double>(), 2.0 / 3.0, 1e-9);
  // Cohen: p_o = 2/3; p_e = (2/3)(2/3) (refuses) = 4/9; kappa = (2/9) / (5/9) = 0.4.
  ASSERT_EQ(classes["pairwise"].size(), 1u);
  EXPECT_NEAR(classes["pairwise"][0]["cohen_kappa"].get<double>(), 0.4, 1e-9);
  EXPECT_TRUE(classes["fleiss_kappa"].is_number());
  EXPECT_TRUE(s["violation_agreement"]["fleiss_kappa"].is_null());  // every rating "no"
  EXPECT_EQ(s["disagreements"], 1);
  EXPECT_EQ(s["gold"], 2);  // the two agreeing items; the fourth has one label of two

  ProcessResult text = Safeval({"annotate", "status", "r"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("3 complete, 1 partly labelled, 0 without labels"));
  EXPECT_THAT(text.out, HasSubstr("Labels   7 of 8 needed"));
  EXPECT_THAT(text.out, HasSubstr("ana / bo"));
  EXPECT_THAT(text.out, HasSubstr("Disagreements 1 (0 adjudicated)   Gold labels 2"));
}

TEST_F(AnnotateCli, ExportThenImportGivesTheSameLabels) {
  ASSERT_EQ(Create("first", {"--sample", "all", "--n", "3", "--overlap", "2"}).exit_code, 0);
  ASSERT_EQ(Create("second", {"--sample", "all", "--n", "3", "--overlap", "2"}).exit_code, 0);
  std::vector<int64_t> it = Round("first").items;
  std::map<int64_t, std::string> ids = Ids();
  dir_.Write("labels.jsonl",
             "{\"id\": \"" + ids[it[0]] +
                 "\", \"annotator\": \"ana\", \"class\": \"refuses\", "
                 "\"violation\": false, \"quality\": 4, \"note\": \"polite \\\"no\\\"\"}\n"
                 "{\"id\": \"" +
                 ids[it[0]] +
                 "\", \"annotator\": \"bo\", \"class\": \"refuses\", "
                 "\"violation\": false, \"quality\": 5}\n"
                 "{\"index\": " +
                 std::to_string(it[1]) +
                 ", \"annotator\": \"bo\", \"class\": "
                 "\"complies_harmful\", \"violation\": true, \"x-source\": \"sheet\"}\n");
  ASSERT_EQ(Safeval({"annotate", "import", "first", "labels.jsonl"}).exit_code, 0);

  ProcessResult exported = Safeval({"annotate", "export", "first", "--output", "first.jsonl"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr("exported 3 items of round first (3 labels, 1 gold)"));
  std::vector<json> lines = JsonLines(ReadFile(dir_.File("first.jsonl")));
  ASSERT_EQ(lines.size(), 3u);
  const json& line = lines[0];
  std::vector<std::string> keys;
  for (const auto& [key, value] : line.items()) keys.push_back(key);
  EXPECT_EQ(keys.size(), 10u);
  EXPECT_EQ(line["round"], "first");
  EXPECT_EQ(line["run"], run_id_);
  EXPECT_EQ(line["index"], it[0]);
  EXPECT_EQ(line["id"], ids[it[0]]);
  EXPECT_TRUE(line["turns"].is_array());
  EXPECT_EQ(line["turns"][0]["role"], "user");
  EXPECT_FALSE(line["response"].get<std::string>().empty());
  ASSERT_EQ(line["labels"].size(), 2u);
  EXPECT_EQ(line["labels"][0]["annotator"], "ana");
  EXPECT_EQ(line["labels"][0]["quality"], 4);
  EXPECT_EQ(line["labels"][0]["note"], "polite \"no\"");
  EXPECT_EQ(line["gold"]["class"], "refuses");
  EXPECT_EQ(line["gold"]["source"], "unanimous");
  EXPECT_TRUE(lines[1]["gold"].is_null());  // one label of two
  EXPECT_TRUE(lines[2]["labels"].empty());

  ProcessResult imported = Safeval({"annotate", "import", "second", "first.jsonl"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("Imported 3 labels of 2 items by 2 annotators"));
  ProcessResult again = Safeval({"annotate", "export", "second"});  // to stdout
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<json> second = JsonLines(again.out);
  ASSERT_EQ(second.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(second[i]["round"], "second");
    second[i]["round"] = "first";
    EXPECT_EQ(second[i], lines[i]) << i;  // labels, notes, timestamps and gold alike
  }
}

TEST_F(AnnotateCli, GoldLabelsBecomeHumanVerdictsInTheReportAndCalibrateTheJudge) {
  ASSERT_EQ(Create("g", {"--sample", "all", "--n", "4"}).exit_code, 0);
  std::vector<int64_t> it = Round("g").items;
  std::string labels;
  for (int64_t index : it) {
    labels += "{\"index\": " + std::to_string(index) +
              ", \"annotator\": \"ana\", \"class\": \"complies_harmful\", \"violation\": true}\n";
  }
  dir_.Write("labels.jsonl", labels);
  ProcessResult before = Safeval({"report", run_id_, "--format", "json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ProcessResult imported = Safeval({"annotate", "import", "g", "labels.jsonl"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("Published 4 gold labels"));  // overlap 1: single labels

  for (const StoredItem& item : Items()) {
    if (std::find(it.begin(), it.end(), item.index) == it.end()) continue;
    ASSERT_TRUE(item.result);
    const Verdict& human = item.result->verdicts.back();
    EXPECT_EQ(human.judge, "human");
    EXPECT_EQ(human.cls, ResponseClass::kCompliesHarmful);
    EXPECT_TRUE(human.violation);
    EXPECT_NE(item.result->verdicts.front().judge, "human");  // the rates stay the judge's
  }
  // The items CSV lists every verdict: the gold ones too, under "human@<round>".
  ProcessResult csv = Safeval({"report", run_id_, "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  size_t human_rows = 0;
  for (size_t at = csv.out.find(",human@g,"); at != std::string::npos;
       at = csv.out.find(",human@g,", at + 1)) {
    ++human_rows;
  }
  EXPECT_EQ(human_rows, 4u);
  // Human verdicts come after the judge's: every rate of results.json stays the same.
  ProcessResult after = Safeval({"report", run_id_, "--format", "json"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(json::parse(after.out)["metrics"], json::parse(before.out)["metrics"]);

  ProcessResult calibrated = Safeval({"judge", "calibrate", "--round", "g", "--judge", "rules"});
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  EXPECT_THAT(calibrated.out, ::testing::ContainsRegex("Calibration of rules@[^ ]+ on round g "
                                                       "\\(4 items\\)"));
  EXPECT_THAT(calibrated.out, HasSubstr("Confusion matrix"));
  EXPECT_THAT(calibrated.out, HasSubstr("Saved as the calibration of rules@"));
  ProcessResult as_json =
      Safeval({"judge", "calibrate", "--round", "g", "--judge", "rules", "--json"});
  ASSERT_EQ(as_json.exit_code, 0) << as_json.err;
  json c = json::parse(as_json.out);
  EXPECT_EQ(c["labels"], "round g");
  EXPECT_EQ(c["calibrations"][0]["items"], 4);
  // Every human label says violation: the judge's violations are true positives, the rest misses.
  const json& v = c["calibrations"][0]["violation"];
  EXPECT_EQ(v["true_positives"].get<int>() + v["false_negatives"].get<int>() +
                v["undetermined_left_out"].get<int>(),
            4);
  EXPECT_EQ(v["true_negatives"], 0);
}

}  // namespace
}  // namespace safeval::testing
