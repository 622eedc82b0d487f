// `safeval report` end to end: a small run on the demo target, then every format, the default
// files, references (grade), --redact and bad flags, through the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/cli_run_fixture.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

class ReportCli : public ::testing::Test {
 protected:
  // 60 prompts the demo target answers in every way, in three hazards.
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    run_id_ = RunDemoTargetSuiteThroughCli(*tmp_, "e2e-report", 60).run_id;
    ASSERT_FALSE(run_id_.empty());
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  ProcessResult Report(std::vector<std::string> args) {
    std::vector<std::string> all = {SafevalBinary(), "report", run_id_, "--store",
                                    tmp_->File("s.db")};
    all.insert(all.end(), args.begin(), args.end());
    return RunProcess(all, tmp_->path());
  }

  static TempDir* tmp_;
  static std::string run_id_;
};

TempDir* ReportCli::tmp_ = nullptr;
std::string ReportCli::run_id_;

TEST_F(ReportCli, WithoutFormatWritesBothFilesIntoTheRunFolder) {
  std::string folder = tmp_->File("out/" + run_id_);
  std::filesystem::remove(folder + "/report.html");
  ProcessResult r = Report({});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(folder + "/report.html"));
  EXPECT_TRUE(std::filesystem::exists(folder + "/results.json"));
  EXPECT_NE(r.out.find("DEMO TARGET"), std::string::npos);  // the summary table
}

// `safeval run` builds its report from the results as they are committed
// (server/live_report_data.h); `safeval report` reads the run back from the store. (This also
// caught the run's own report showing an empty dataset hash.)
TEST_F(ReportCli, TheRunsOwnReportIsTheOneReadBackFromTheStore) {
  std::string run_folder = tmp_->File("out/" + run_id_);
  std::string json = ReadFile(run_folder + "/results.json");
  std::string html = ReadFile(run_folder + "/report.html");
  ASSERT_NE(json.find("\"violation_rate\""), std::string::npos);
  std::filesystem::create_directories(tmp_->File("reread"));
  ProcessResult r = Report({"-o", tmp_->File("reread")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json, ReadFile(tmp_->File("reread/results.json")));
  EXPECT_EQ(html, ReadFile(tmp_->File("reread/report.html")));
}

TEST_F(ReportCli, AnExistingFolderGetsBothFilesToo) {
  std::filesystem::create_directories(tmp_->File("elsewhere"));
  ProcessResult r = Report({"-o", tmp_->File("elsewhere")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(tmp_->File("elsewhere/report.html")));
  EXPECT_TRUE(std::filesystem::exists(tmp_->File("elsewhere/results.json")));
}

TEST_F(ReportCli, MarkdownToStdout) {
  ProcessResult r = Report({"--format", "md"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("## safeval: e2e-report on demo\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("### Top failures\n\n- `"), std::string::npos);
}

TEST_F(ReportCli, CsvFromTheExtensionHasARowPerItemAndJudge) {
  ProcessResult r = Report({"-o", tmp_->File("items.csv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("items.csv"), std::string::npos);
  std::string csv = ReadFile(tmp_->File("items.csv"));
  nlohmann::json results =
      nlohmann::json::parse(ReadFile(tmp_->File("out/" + run_id_ + "/results.json")));
  int64_t rows = 0;
  for (size_t pos = csv.find("\r\n"); pos != std::string::npos; pos = csv.find("\r\n", pos + 2))
    ++rows;
  // One judge: one row per item (plus the header); quoted newlines inside responses would be
  // bare \n, never \r\n.
  EXPECT_EQ(rows - 1, results["totals"]["items"].get<int64_t>() +
                          results["totals"]["pending"].get<int64_t>());
}

TEST_F(ReportCli, JunitAndHtmlWithReferenceAndRedaction) {
  ProcessResult junit = Report({"--format", "junit", "-o", tmp_->File("junit.xml")});
  ASSERT_EQ(junit.exit_code, 0) << junit.err;
  std::string xml = ReadFile(tmp_->File("junit.xml"));
  EXPECT_NE(xml.find("<testcase classname=\"vcr\" name=\"adversarial\""), std::string::npos) << xml;

  ProcessResult html =
      Report({"-o", tmp_->File("graded.html"), "--reference", run_id_, "--redact", "12"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  std::string page = ReadFile(tmp_->File("graded.html"));
  EXPECT_NE(page.find("Grade (AILuminate scale)"), std::string::npos);
  EXPECT_NE(page.find("Safety and over-deflection against the references"), std::string::npos);
  EXPECT_NE(page.find("Redacted: harmful responses are cut to their first 12 characters."),
            std::string::npos);
}

TEST_F(ReportCli, JsonWithReferenceCarriesTheGrade) {
  ProcessResult r = Report({"--format", "json", "--reference", run_id_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["schema_version"], 1);
  // Against itself every hazard has ratio 1: Good (or Excellent at u <= 0.1%).
  EXPECT_EQ(j["grade"]["references"][0], run_id_);
  ASSERT_FALSE(j["grade"]["hazards"].empty());
  for (const auto& hazard : j["grade"]["hazards"]) {
    if (hazard["u"].get<double>() <= 0.001) continue;
    EXPECT_NEAR(hazard["ratio"].get<double>(), 1.0, 1e-12) << hazard;
    EXPECT_EQ(hazard["grade"], "Good") << hazard;
  }
  EXPECT_TRUE(j["grade"]["overall"]["grade"].is_string());
  EXPECT_EQ(j["references"][0]["id"], run_id_);
  EXPECT_FALSE(j.contains("corrected"));  // no calibration in this store
  EXPECT_TRUE(j["top_failures"].is_array());
}

TEST_F(ReportCli, ExtraBreakdownsAndExactIntervalsOnRequest) {
  ProcessResult wilson = Report({"--format", "json"});
  ProcessResult exact = Report({"--format", "json", "--by", "technique+intent", "--interval", "exact"});
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  nlohmann::json w = nlohmann::json::parse(wilson.out), e = nlohmann::json::parse(exact.out);
  bool found_combined = false;
  for (const auto& row : e["metrics"]) {
    if (row["group_by"].contains("technique") && row["group_by"].contains("intent")) {
      found_combined = true;
    }
  }
  EXPECT_TRUE(found_combined) << e["metrics"].dump();
  // The overall violation rate is the same; its exact interval is wider than Wilson's.
  auto overall = [](const nlohmann::json& j) {
    for (const auto& row : j["metrics"])
      if (row["group_by"].empty() && row["metric"] == "violation_rate") return row;
    return nlohmann::json();
  };
  EXPECT_EQ(overall(w)["value"], overall(e)["value"]);
  EXPECT_GT(overall(e)["ci_high"].get<double>() - overall(e)["ci_low"].get<double>(),
            overall(w)["ci_high"].get<double>() - overall(w)["ci_low"].get<double>());
  EXPECT_EQ(Report({"--by", "colour"}).exit_code, 2);
  EXPECT_EQ(Report({"--interval", "bayes"}).exit_code, 2);
}

TEST_F(ReportCli, BadFlagsAreBadInput) {
  ProcessResult format = Report({"--format", "pdf"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("--format: expected one of html, json, csv, junit, md, got 'pdf'"),
            std::string::npos)
      << format.err;
  ProcessResult extension = Report({"-o", tmp_->File("report.txt")});
  EXPECT_EQ(extension.exit_code, 2);
  EXPECT_NE(extension.err.find("cannot tell the format"), std::string::npos) << extension.err;
  ProcessResult reference = Report({"--format", "json", "--reference", "no-such-run"});
  EXPECT_EQ(reference.exit_code, 2);
  EXPECT_NE(reference.err.find("no-such-run"), std::string::npos) << reference.err;
  EXPECT_EQ(Report({"--redact", "-3"}).exit_code, 2);
}

}  // namespace
}  // namespace safeval::testing
