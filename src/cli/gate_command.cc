// safeval gate RUN [--max-violation-rate 0.5%] [--max-over-deflection-rate 10%]
//                  [--max-attack-success-rate X%] [--max-leak-rate X%]
//                  [--max-harmful-action-rate X%] [--max-missed-distress-rate X%]
//                  [--max-group-gap X%] [--min-grade good --reference REF...]
//                  [--on-upper-bound] [--interval wilson|exact] [--store PATH]
// A release gate for CI (metrics/gate.h). Exit 0 when every condition is met (one line
// per condition), 1 with one line per failed condition, 2 on bad input.
#include <CLI/CLI.hpp>
#include <memory>

#include "cli/command.h"
#include "cli/stored_run.h"
#include "metrics/gate.h"
#include "metrics/percent.h"

namespace safeval {
namespace {

struct GateFlags {
  std::string run_id;
  std::string max_violation_rate;
  std::string max_over_deflection_rate;
  std::string max_attack_success_rate;
  std::string max_leak_rate;
  std::string max_harmful_action_rate;
  std::string max_missed_distress_rate;
  std::string max_group_gap;
  std::string min_grade;
  std::vector<std::string> references;
  bool on_upper_bound = false;
  std::string interval = "wilson";
  std::string store = "runs/safeval.db";
};

// "" leaves the limit unset; anything else must be a percentage.
Status ParseLimit(const std::string& text, const char* flag, std::optional<double>* limit) {
  if (text.empty()) return Status::Ok();
  SV_ASSIGN_OR_RETURN(double value, ParsePercent(text, flag));
  *limit = value;
  return Status::Ok();
}

Result<GateOptions> ParseOptions(const GateFlags& flags) {
  GateOptions options;
  SV_RETURN_IF_ERROR(
      ParseLimit(flags.max_violation_rate, "--max-violation-rate", &options.max_violation_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_over_deflection_rate, "--max-over-deflection-rate",
                                &options.max_over_deflection_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_attack_success_rate, "--max-attack-success-rate",
                                &options.max_attack_success_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_leak_rate, "--max-leak-rate", &options.max_leak_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_harmful_action_rate, "--max-harmful-action-rate",
                                &options.max_harmful_action_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_missed_distress_rate, "--max-missed-distress-rate",
                                &options.max_missed_distress_rate));
  SV_RETURN_IF_ERROR(ParseLimit(flags.max_group_gap, "--max-group-gap", &options.max_group_gap));
  if (!flags.min_grade.empty()) {
    options.min_grade = ParseGrade(flags.min_grade);
    if (!options.min_grade) {
      return Status::InvalidArgument(
          "--min-grade: expected poor, fair, good, very_good or "
          "excellent, got '" +
          flags.min_grade + "'");
    }
    if (flags.references.empty()) {
      return Status::InvalidArgument(
          "--min-grade needs at least one --reference run to grade "
          "against");
    }
  }
  if (!options.max_violation_rate && !options.max_over_deflection_rate &&
      !options.max_attack_success_rate && !options.max_leak_rate &&
      !options.max_harmful_action_rate && !options.max_missed_distress_rate &&
      !options.max_group_gap && !options.min_grade) {
    return Status::InvalidArgument(
        "no condition to check: give --max-violation-rate, "
        "--max-over-deflection-rate, --max-attack-success-rate, --max-leak-rate, "
        "--max-harmful-action-rate, --max-missed-distress-rate, --max-group-gap or "
        "--min-grade");
  }
  options.on_upper_bound = flags.on_upper_bound;
  return options;
}

Status RunGate(const GateFlags& flags, CliContext& context) {
  SV_ASSIGN_OR_RETURN(GateOptions options, ParseOptions(flags));
  std::optional<IntervalMethod> interval = ParseIntervalMethod(flags.interval);
  if (!interval) {
    return Status::InvalidArgument("--interval: expected wilson or exact, got '" + flags.interval +
                                   "'");
  }
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenExistingStore(flags.store));
  SV_ASSIGN_OR_RETURN(StoredRun run, LoadStoredRun(*store, flags.run_id));
  MetricsOptions metrics_options;
  metrics_options.interval = *interval;
  std::vector<MetricRow> rows = ComputeMetrics(run.scored, metrics_options);
  std::optional<Disparity> disparity;
  if (options.max_group_gap) disparity = ComputeDisparity(run.scored);

  std::optional<GradeResult> grades;
  if (options.min_grade) {
    SV_ASSIGN_OR_RETURN(std::vector<StoredRun> refs, LoadStoredRuns(*store, flags.references));
    std::vector<std::vector<ScoredItem>> references;
    for (StoredRun& ref : refs) references.push_back(std::move(ref.scored));
    GradeOptions grade_options;
    grade_options.interval = *interval;
    grades = ComputeGrades(run.scored, references, grade_options);
  }
  GateResult result = EvaluateGate(rows, grades ? &grades->report.overall : nullptr, options,
                                   disparity ? &*disparity : nullptr);
  for (const std::string& line : result.passed() ? result.passes : result.failures)
    *context.out << line << "\n";
  if (!result.passed()) context.exit_code = kExitGateFailed;
  return Status::Ok();
}

}  // namespace

void SetupGateCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<GateFlags>();
  sub.add_option("run", flags->run_id, "The run to check (see `safeval runs`)")->required();
  sub.add_option("--max-violation-rate", flags->max_violation_rate,
                 "Highest acceptable violation rate, e.g. 0.5% (the % is optional)");
  sub.add_option("--max-over-deflection-rate", flags->max_over_deflection_rate,
                 "Highest acceptable over-deflection rate, e.g. 10%");
  sub.add_option("--max-attack-success-rate", flags->max_attack_success_rate,
                 "Highest acceptable attack success rate, e.g. 5%");
  sub.add_option("--max-leak-rate", flags->max_leak_rate,
                 "Highest acceptable system-prompt leak rate, e.g. 0%");
  sub.add_option("--max-harmful-action-rate", flags->max_harmful_action_rate,
                 "Highest acceptable rate of forbidden tool calls, e.g. 1%");
  sub.add_option("--max-missed-distress-rate", flags->max_missed_distress_rate,
                 "Highest acceptable rate of missed distress, e.g. 5%");
  sub.add_option("--max-group-gap", flags->max_group_gap,
                 "Highest acceptable over-deflection gap between two groups, in percentage "
                 "points, e.g. 10%");
  sub.add_option("--min-grade", flags->min_grade,
                 "Lowest acceptable overall grade: poor, fair, good, very_good, excellent "
                 "(needs --reference)");
  sub.add_option("--reference", flags->references,
                 "A reference run for --min-grade (repeat for several)");
  sub.add_flag("--on-upper-bound", flags->on_upper_bound,
               "Check the upper end of each 95% interval (and the grade there) instead of the "
               "point estimate");
  sub.add_option("--interval", flags->interval, "Interval of the rates: wilson or exact")
      ->capture_default_str();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.callback([flags, &context] {
    Status status = RunGate(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
