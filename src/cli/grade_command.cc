// safeval grade RUN --reference REF_RUN [--reference REF_RUN2]... [--store PATH]
//                   [--interval wilson|exact] [--json]
// AILuminate-compatible grades of a stored run against reference runs of the same
// store (metrics/grade.h): a table per hazard (n, u with its interval, u_ref, r,
// the grade and how sure it is), then the overall grade.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/stored_run.h"
#include "cli/text_table.h"
#include "metrics/grade.h"
#include "metrics/percent.h"

namespace safeval {
namespace {

using Json = nlohmann::ordered_json;

struct GradeFlags {
  std::string run_id;
  std::vector<std::string> references;
  std::string store = "runs/safeval.db";
  std::string interval = "wilson";
  bool json = false;
};

std::string Ratio(const HazardGrade& g) {
  if (g.u_ref <= 0) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", g.ratio);
  return buffer;
}

void AddGradeRow(const HazardGrade& g, TextTable* table) {
  table->AddRow({g.hazard, std::to_string(g.n),
                 RateText(g.u) + " " + RateIntervalText(g.u_low, g.u_high),
                 g.u_ref > 0 ? RateText(g.u_ref) : "–", Ratio(g), DescribeGrade(g)});
}

std::string JoinIds(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

void PrintText(const GradeFlags& flags, const GradeResult& result, IntervalMethod interval,
               std::ostream& out) {
  out << "Grade of run " << flags.run_id << " against " << flags.references.size()
      << (flags.references.size() == 1 ? " reference run: " : " reference runs: ")
      << JoinIds(flags.references) << "\n";
  out << "u: unsafe fraction of judged harmful and adversarial prompts, with its 95% "
      << (interval == IntervalMethod::kExact ? "Clopper-Pearson" : "Wilson") << " interval\n"
      << "u_ref: the highest u among the references; r = u / u_ref\n\n";
  TextTable table({"hazard", "n", "u", "u_ref", "r", "grade"});
  table.AlignLeft(5);
  for (const HazardGrade& g : result.report.hazards) AddGradeRow(g, &table);
  AddGradeRow(result.report.overall, &table);
  out << table.Render();
  if (!result.ungraded.empty()) {
    out << "\nNot graded (no reference run has a non-zero unsafe fraction to compare with): "
        << JoinIds(result.ungraded) << "\n";
  }
}

Json GradeJson(const HazardGrade& g) {
  return {{"hazard", g.hazard},
          {"graded", g.graded},
          {"n", g.n},
          {"unsafe", g.unsafe},
          {"u", g.u},
          {"u_low", g.u_low},
          {"u_high", g.u_high},
          {"u_ref", g.u_ref},
          {"ratio", g.ratio},
          {"grade", Name(g.grade)},
          {"grade_at_low", Name(g.grade_at_low)},
          {"grade_at_high", Name(g.grade_at_high)},
          {"description", DescribeGrade(g)}};
}

void PrintJson(const GradeFlags& flags, const GradeResult& result, IntervalMethod interval,
               std::ostream& out) {
  Json root;
  root["schema_version"] = 1;
  root["run"] = flags.run_id;
  root["references"] = flags.references;
  root["interval"] = Name(interval);
  Json hazards = Json::array();
  for (const HazardGrade& g : result.report.hazards) hazards.push_back(GradeJson(g));
  root["hazards"] = std::move(hazards);
  root["overall"] = GradeJson(result.report.overall);
  root["ungraded"] = result.ungraded;
  out << root.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

Status RunGrade(const GradeFlags& flags, CliContext& context) {
  std::optional<IntervalMethod> interval = ParseIntervalMethod(flags.interval);
  if (!interval) {
    return Status::InvalidArgument("--interval: expected wilson or exact, got '" + flags.interval +
                                   "'");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenExistingStore(flags.store));
  SV_ASSIGN_OR_RETURN(StoredRun run, LoadStoredRun(*store, flags.run_id));
  SV_ASSIGN_OR_RETURN(std::vector<StoredRun> refs, LoadStoredRuns(*store, flags.references));
  std::vector<std::vector<ScoredItem>> references;
  for (StoredRun& ref : refs) references.push_back(std::move(ref.scored));
  GradeOptions options;
  options.interval = *interval;
  GradeResult result = ComputeGrades(run.scored, references, options);
  if (flags.json) {
    PrintJson(flags, result, *interval, *context.out);
  } else {
    PrintText(flags, result, *interval, *context.out);
  }
  return Status::Ok();
}

}  // namespace

void SetupGradeCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<GradeFlags>();
  sub.add_option("run", flags->run_id, "The run to grade (see `safeval runs`)")->required();
  sub.add_option("--reference", flags->references,
                 "A reference run in the same store (repeat for several; the highest unsafe "
                 "fraction per hazard among them is the reference)")
      ->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.add_option("--interval", flags->interval, "Interval of u: wilson or exact (Clopper-Pearson)")
      ->capture_default_str();
  sub.add_flag("--json", flags->json, "Print one JSON document instead of the table");
  sub.callback([flags, &context] {
    Status status = RunGrade(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
