// Tests of results.json: the contract fields, row values, notable items, determinism.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

using nlohmann::json;

TEST(ResultsJson, HasTheContractFields) {
  ReportData data = testing::FixtureReportData(false);
  json j = json::parse(RenderResultsJson(data));
  EXPECT_EQ(j["schema_version"], 1);
  const json& run = j["run"];
  EXPECT_EQ(run["id"], "run-0001");
  EXPECT_EQ(run["suite"], "quickstart");
  EXPECT_EQ(run["target"], "demo");
  EXPECT_EQ(run["target_identity"], "demo@1");
  EXPECT_EQ(run["demo"], false);
  EXPECT_EQ(run["config_hash"], "0123456789abcdef");
  EXPECT_EQ(run["dataset_hash"], "fedcba9876543210");
  EXPECT_EQ(run["policy"], "builtin:default");
  EXPECT_EQ(run["judges"], json::array({"rules@1"}));
  EXPECT_EQ(run["seed"], 42);
  EXPECT_EQ(run["started_at"], "2026-11-28T03:10:00Z");
  EXPECT_EQ(run["finished_at"], "2026-11-28T03:12:30Z");
  EXPECT_EQ(run["status"], "finished");
  EXPECT_EQ(run["safeval_version"], "0.1.0");

  const json& totals = j["totals"];
  EXPECT_EQ(totals["items"], data.totals.items);
  EXPECT_EQ(totals["judged"], data.totals.judged);
  EXPECT_EQ(totals["model_error"], 1);
  EXPECT_EQ(totals["judge_error"], 0);
  EXPECT_EQ(totals["undetermined"], 1);
  EXPECT_EQ(totals["skipped"], 0);
  EXPECT_EQ(totals["pending"], 2);
}

TEST(ResultsJson, MetricRowsRoundTrip) {
  ReportData data = testing::FixtureReportData(false);
  json j = json::parse(RenderResultsJson(data));
  ASSERT_EQ(j["metrics"].size(), data.metrics.size());
  for (size_t i = 0; i < data.metrics.size(); ++i) {
    const MetricRow& row = data.metrics[i];
    const json& got = j["metrics"][i];
    ASSERT_TRUE(got["group_by"].is_object());
    ASSERT_EQ(got["group_by"].size(), row.group_by.size());
    for (const auto& [key, value] : row.group_by) EXPECT_EQ(got["group_by"][key], value);
    EXPECT_EQ(got["metric"], Name(row.metric));
    EXPECT_EQ(got["n"], row.n);
    EXPECT_EQ(got["count"], row.count);
    // Doubles are written with round-trip precision.
    EXPECT_EQ(got["value"].get<double>(), row.value);
    EXPECT_EQ(got["ci_low"].get<double>(), row.ci_low);
    EXPECT_EQ(got["ci_high"].get<double>(), row.ci_high);
  }
}

TEST(ResultsJson, GroupKeysKeepTheirOrder) {
  ReportData data;
  data.metrics.push_back(
      {{{"intent", "harmful"}, {"hazard", "vcr"}}, Metric::kViolationRate, 4, 1, 0.25, 0.05, 0.7});
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(RenderResultsJson(data));
  auto group = j["metrics"][0]["group_by"];
  ASSERT_EQ(group.size(), 2u);
  EXPECT_EQ(group.begin().key(), "intent");
  EXPECT_EQ(std::next(group.begin()).key(), "hazard");
  // The overall row's group_by is an empty object, not null or an array.
  data.metrics[0].group_by.clear();
  EXPECT_TRUE(json::parse(RenderResultsJson(data))["metrics"][0]["group_by"].is_object());
}

TEST(ResultsJson, NotableItemsCarryTextAndVerdict) {
  ReportData data = testing::FixtureReportData(false);
  json j = json::parse(RenderResultsJson(data));
  // 3 violations, 3 over-deflections, 1 undetermined, 1 error; in item order.
  ASSERT_EQ(j["notable"].size(), 8u);
  const json& v = j["notable"][0];
  EXPECT_EQ(v["id"], "vcr-h0");
  EXPECT_EQ(v["category"], "vcr");
  EXPECT_EQ(v["intent"], "harmful");
  EXPECT_EQ(v["class"], "complies_harmful");
  EXPECT_EQ(v["violation"], true);
  EXPECT_EQ(v["outcome"], "judged");
  EXPECT_EQ(v["response"], data.items[0].response);
  EXPECT_EQ(v["turns"][0]["content"], "How would someone <do> the thing?");
  EXPECT_EQ(v["evidence"][0]["cue"], "compliance_opening");

  const json& multi = j["notable"][3];
  EXPECT_EQ(multi["id"], "ssh-s0");
  ASSERT_EQ(multi["turns"].size(), 2u);
  EXPECT_EQ(multi["turns"][0]["content"], "I have had a hard week.");

  const json& err = j["notable"][6];
  EXPECT_EQ(err["outcome"], "model_error");
  EXPECT_EQ(err["error"], "timeout after 60 s <upstream>");
  EXPECT_TRUE(err["class"].is_null());  // an error has no verdict, it is not "safe"
  EXPECT_TRUE(err["violation"].is_null());
  EXPECT_EQ(j["notable"][7]["class"], "undetermined");
}

TEST(ResultsJson, NotableIsCappedPerKindButCountsAreNot) {
  ReportData data = testing::FixtureReportData(false);
  ReportItem failure = data.items[0];
  for (int i = 0; i < 500; ++i) data.items.push_back(failure);
  testing::ComputeFixtureMetrics(&data);
  json j = json::parse(RenderResultsJson(data));
  size_t violations = 0;
  for (const json& item : j["notable"])
    violations += item["violation"] == true && item["intent"] != "safe";
  EXPECT_EQ(violations, kMaxNotablePerKind);
}

TEST(ResultsJson, OptionalSectionsOnlyWhenPresent) {
  ReportData data = testing::FixtureReportData(false);
  json plain = json::parse(RenderResultsJson(data));
  for (const char* key : {"grade", "references", "corrected", "redaction"})
    EXPECT_FALSE(plain.contains(key)) << key;
  ASSERT_TRUE(plain["top_failures"].is_array());
  ASSERT_EQ(plain["top_failures"].size(), 1u);
  EXPECT_EQ(plain["top_failures"][0]["category"], "vcr");
  EXPECT_EQ(plain["top_failures"][0]["violations"], 3);
  EXPECT_EQ(plain["top_failures"][0]["ids"], json::array({"vcr-h0", "vcr-a0", "vcr-a1"}));
}

TEST(ResultsJson, GradeReferencesCorrectedAndRedaction) {
  ReportData data = testing::FixtureReportData(false);
  MetricRow vr{{}, Metric::kViolationRate, 100, 30, 0.3, 0.22, 0.4};
  data.references.push_back({"ref-1", "older", vr, std::nullopt});
  HazardGrade g{"vcr",       13, 3, 3 / 13.0, 0.08, 0.5, 0.3, 0.77, Grade::kGood, Grade::kVeryGood,
                Grade::kFair};
  data.grade = GradeReport{{g}, g};
  data.grade->overall.hazard = "overall";
  data.ungraded = {"spc"};
  JudgeCalibration cal;
  cal.judge = "rules@1";
  cal.true_positives = 9;
  cal.false_negatives = 1;
  cal.true_negatives = 18;
  cal.false_positives = 2;
  CorrectedRate rate;
  rate.count = 3;
  rate.n = 17;
  rate.raw = 3 / 17.0;
  rate.value = 0.1;
  rate.ci_low = 0.02;
  rate.ci_high = 0.3;
  data.corrected = CorrectedRates{cal, {{{}, Metric::kViolationRate, rate}}, "note"};
  RedactHarmfulResponses(10, &data);

  json j = json::parse(RenderResultsJson(data));
  EXPECT_EQ(j["grade"]["references"], json::array({"ref-1"}));
  EXPECT_EQ(j["grade"]["overall"]["hazard"], "overall");
  EXPECT_EQ(j["grade"]["overall"]["grade"], "Good");
  EXPECT_EQ(j["grade"]["overall"]["grade_at_low"], "Very Good");
  EXPECT_EQ(j["grade"]["overall"]["grade_at_high"], "Fair");
  EXPECT_EQ(j["grade"]["overall"]["summary"], "Good, could be Fair\u2013Very Good");
  EXPECT_EQ(j["grade"]["hazards"][0]["n"], 13);
  EXPECT_EQ(j["grade"]["ungraded"], json::array({"spc"}));
  EXPECT_EQ(j["references"][0]["id"], "ref-1");
  EXPECT_EQ(j["references"][0]["violation_rate"]["value"], 0.3);
  EXPECT_TRUE(j["references"][0]["over_deflection_rate"].is_null());
  EXPECT_EQ(j["corrected"]["judge"], "rules@1");
  EXPECT_EQ(j["corrected"]["sensitivity"], 0.9);
  EXPECT_EQ(j["corrected"]["specificity"], 0.9);
  EXPECT_EQ(j["corrected"]["rows"][0]["metric"], "violation_rate");
  EXPECT_TRUE(j["corrected"]["rows"][0]["group_by"].is_object());
  EXPECT_EQ(j["corrected"]["rows"][0]["value"], 0.1);
  EXPECT_EQ(j["corrected"]["note"], "note");
  EXPECT_EQ(j["redaction"]["max_chars"], 10);
  EXPECT_EQ(j["notable"][0]["response"], "Sure. [ste[redacted: 53 more characters]");
}

TEST(ResultsJson, InvalidUtf8IsReplacedNotThrown) {
  ReportData data = testing::FixtureReportData(false);
  data.items[0].response = "bad \xff byte";
  json j = json::parse(RenderResultsJson(data));
  EXPECT_EQ(j["notable"][0]["response"], "bad \xef\xbf\xbd byte");
}

TEST(ResultsJson, EmptyRunIsValid) {
  json j = json::parse(RenderResultsJson(ReportData{}));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_TRUE(j["metrics"].is_array());
  EXPECT_TRUE(j["metrics"].empty());
  EXPECT_TRUE(j["notable"].is_array());
  EXPECT_TRUE(j["top_failures"].is_array());
}

TEST(ResultsJson, Deterministic) {
  ReportData data = testing::FixtureReportData(true);
  std::string first = RenderResultsJson(data);
  EXPECT_EQ(first, RenderResultsJson(data));
  EXPECT_EQ(first.back(), '\n');
  EXPECT_EQ(json::parse(first)["run"]["demo"], true);
}

}  // namespace
}  // namespace safeval
