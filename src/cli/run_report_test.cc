// Tests of the streamed report of a stored run: the same reports as from every item loaded at
// once, references graded from their summaries, and the CSV streamed item by item.
#include "cli/run_report.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "metrics/grade.h"
#include "report/report_builder.h"
#include "testing/temp_dir.h"

namespace safeval {
namespace {

RunRecord NewRun(const std::string& id) {
  RunRecord run;
  run.id = id;
  run.suite_name = "s";
  run.suite_path = "/s.yaml";
  run.target_name = "target-" + id;
  run.target_identity = "demo:v1";
  run.config_json = "{}";
  run.judges = {"rules@2", "llm@1"};
  run.started_at = "2026-11-28T03:10:00Z";
  run.status = "finished";
  return run;
}

Verdict MakeVerdict(const std::string& judge, ResponseClass cls, bool violation) {
  Verdict v;
  v.judge = judge;
  v.judge_version = judge + "@1";
  v.cls = cls;
  v.violation = violation;
  v.confidence = 0.5;
  return v;
}

// `n` items over three hazards; one in `violate_every` unsafe answers is a violation (so long
// runs overflow the report's samples), with model errors, undetermined items, a second judge
// that sometimes disagrees, and the last items left pending.
void StoreRun(Store& store, const std::string& id, int n, int violate_every) {
  const char* kCategories[] = {"vcr", "ncr/fraud", "ssh"};
  std::vector<Prompt> prompts;
  for (int i = 0; i < n; ++i) {
    Intent intent = kAllIntents[static_cast<size_t>(i % 3)];
    Prompt p = MakePrompt("p" + std::to_string(i), "text " + std::to_string(i),
                          *CategoryPath::Parse(kCategories[(i / 3) % 3]), intent);
    if (intent == Intent::kAdversarial) p.techniques = {i % 2 ? "role_play" : "base64"};
    prompts.push_back(std::move(p));
  }
  ASSERT_TRUE(store.CreateRun(NewRun(id), prompts).ok());
  std::vector<ItemResult> results;
  for (int i = 0; i + 5 < n; ++i) {  // the last five stay pending
    ItemResult r;
    r.index = i;
    r.outcome = Outcome::kJudged;
    bool unsafe = i % 3 != 0;
    bool violation = unsafe && i % violate_every == 1;
    // Long enough that the CSV of a long run is written in several pieces.
    r.response = (violation ? "Sure. [step-by-step placeholder] " : "An answer. ") +
                 std::string(400, '.') + " number " + std::to_string(i);
    ResponseClass cls = violation    ? ResponseClass::kCompliesHarmful
                        : unsafe     ? ResponseClass::kRefuses
                        : i % 7 == 0 ? ResponseClass::kDeflects
                                     : ResponseClass::kHelpful;
    if (i % 53 == 0) cls = ResponseClass::kUndetermined;
    r.verdicts.push_back(MakeVerdict("rules", cls, violation));
    if (i % 4 == 0) r.verdicts.push_back(MakeVerdict("llm", cls, violation && i % 8 == 0));
    if (i % 61 == 0) {
      r.outcome = Outcome::kModelError;
      r.response.clear();
      r.verdicts.clear();
      r.error = "HTTP 500";
    }
    results.push_back(std::move(r));
  }
  ASSERT_TRUE(store.SaveResults(id, results).ok());
}

// The run's every item, as the report saw them before it streamed.
std::vector<ReportItem> AllItems(Store& store, const std::string& id) {
  std::vector<ReportItem> items;
  std::vector<StoredItem> stored_items = store.LoadItems(id).value();
  for (StoredItem& stored : stored_items) {
    ReportItem item;
    item.index = stored.index;
    item.prompt = std::move(stored.prompt);
    if (!stored.result) {
      item.pending = true;
    } else {
      item.outcome = stored.result->outcome;
      item.response = stored.result->response;
      item.error = stored.result->error;
      item.verdicts = stored.result->verdicts;
    }
    items.push_back(std::move(item));
  }
  return items;
}

class RunReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(OpenSqliteStore(":memory:")).value();
    StoreRun(*store_, "run", 3000, 2);
    StoreRun(*store_, "ref", 600, 3);
  }

  // ReportData from every item held at once: the reference implementation.
  ReportData Everything(const ReportData& streamed) {
    ReportData data;
    data.run = streamed.run;
    ReportBuilderOptions options;
    options.keep_every_item = true;
    BuildReportItems(AllItems(*store_, "run"), options, &data);
    return data;
  }

  std::unique_ptr<Store> store_;
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(RunReportTest, StreamedReportsAreThoseOfEveryItem) {
  Result<ReportData> data = LoadReportData(*store_, NewRun("run"), {}, "builtin:default");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  ReportData all = Everything(*data);
  EXPECT_EQ(data->totals.items, 2995);
  EXPECT_EQ(data->totals.pending, 5);
  EXPECT_GT(data->digest.violations.count, 800);  // more than the samples keep
  EXPECT_LT(data->items.size(), 1500u);
  EXPECT_EQ(RenderResultsJson(*data), RenderResultsJson(all));
  EXPECT_EQ(RenderHtmlReport(*data, taxonomy_), RenderHtmlReport(all, taxonomy_));
  EXPECT_EQ(RenderJunitXml(*data), RenderJunitXml(all));
  EXPECT_EQ(RenderMarkdownSummary(*data, taxonomy_), RenderMarkdownSummary(all, taxonomy_));
  EXPECT_EQ(RenderSummaryTable(*data, taxonomy_, false), RenderSummaryTable(all, taxonomy_, false));
}

TEST_F(RunReportTest, ReferencesAreSummarisedAndGradedWithoutTheirItems) {
  Result<ReportData> data = LoadReportData(*store_, NewRun("run"), {"ref"}, "builtin:default");
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  std::vector<ScoredItem> run = ScoreItems(store_->LoadItems("run").value());
  std::vector<ScoredItem> ref = ScoreItems(store_->LoadItems("ref").value());
  GradeResult want = ComputeGrades(run, {ref});
  ASSERT_TRUE(data->grade.has_value());
  ASSERT_EQ(data->grade->hazards.size(), want.report.hazards.size());
  for (size_t i = 0; i < want.report.hazards.size(); ++i) {
    const HazardGrade& got = data->grade->hazards[i];
    EXPECT_EQ(got.hazard, want.report.hazards[i].hazard);
    EXPECT_EQ(got.n, want.report.hazards[i].n);
    EXPECT_EQ(got.unsafe, want.report.hazards[i].unsafe);
    EXPECT_EQ(got.u_ref, want.report.hazards[i].u_ref);
    EXPECT_EQ(got.grade, want.report.hazards[i].grade);
  }
  EXPECT_EQ(data->ungraded, want.ungraded);
  EXPECT_EQ(DescribeGrade(data->grade->overall), DescribeGrade(want.report.overall));

  ASSERT_EQ(data->references.size(), 1u);
  const ReferenceSummary& summary = data->references[0];
  EXPECT_EQ(summary.id, "ref");
  EXPECT_EQ(summary.target_name, "target-ref");
  std::vector<MetricRow> rows = ComputeMetrics(ref);
  for (const MetricRow& row : rows) {
    if (!row.group_by.empty()) continue;
    const std::optional<MetricRow>* got =
        row.metric == Metric::kViolationRate        ? &summary.violation_rate
        : row.metric == Metric::kOverDeflectionRate ? &summary.over_deflection_rate
                                                    : nullptr;
    if (got == nullptr) continue;
    ASSERT_TRUE(got->has_value());
    EXPECT_EQ((*got)->n, row.n);
    EXPECT_EQ((*got)->count, row.count);
    EXPECT_EQ((*got)->ci_low, row.ci_low);
  }
}

TEST_F(RunReportTest, UnknownReferenceIsNotFound) {
  Result<ReportData> data = LoadReportData(*store_, NewRun("run"), {"nope"}, "builtin:default");
  ASSERT_FALSE(data.ok());
  EXPECT_EQ(data.status().code(), StatusCode::kNotFound);
}

TEST_F(RunReportTest, CsvIsStreamedItemByItem) {
  ReportData all = Everything(ReportData{});
  std::ostringstream csv;
  ASSERT_TRUE(StreamItemsCsv(*store_, "run", std::nullopt, csv).ok());
  EXPECT_EQ(csv.str(), RenderItemsCsv(all));
  EXPECT_GT(csv.str().size(), size_t{1} << 20);  // more than one piece

  std::ostringstream redacted;
  ASSERT_TRUE(StreamItemsCsv(*store_, "run", 5, redacted).ok());
  RedactHarmfulResponses(5, &all);
  EXPECT_EQ(redacted.str(), RenderItemsCsv(all));
  EXPECT_EQ(redacted.str().find("step-by-step"), std::string::npos);
}

TEST_F(RunReportTest, CsvFileAppearsWhole) {
  testing::TempDir tmp;
  std::string path = tmp.File("new/folder/items.csv");
  ASSERT_TRUE(WriteItemsCsvFile(*store_, "run", std::nullopt, path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), RenderItemsCsv(Everything(ReportData{})));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  Status unknown = WriteItemsCsvFile(*store_, "nope", std::nullopt, tmp.File("none.csv"));
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(tmp.File("none.csv")));
  EXPECT_FALSE(std::filesystem::exists(tmp.File("none.csv.tmp")));
}

TEST_F(RunReportTest, CsvWriteFailureIsAnError) {
  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  Status status = StreamItemsCsv(*store_, "run", std::nullopt, broken);
  EXPECT_EQ(status.code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace safeval
