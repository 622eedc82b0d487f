// safeval compare RUN_A RUN_B [--store PATH] [--fail-on-regression] [--independent] [--json]
// The change from run A (the baseline) to run B per cell (overall, hazard, hazard ×
// intent) and rate, with a 95% interval (metrics/compare.h): regressions first, then
// improvements, then the unchanged cells compactly. Exit 1 with --fail-on-regression
// when any cell regressed.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/stored_run.h"
#include "cli/text_table.h"
#include "metrics/compare.h"
#include "metrics/percent.h"

namespace safeval {
namespace {

using Json = nlohmann::ordered_json;

struct CompareFlags {
  std::string run_a;
  std::string run_b;
  std::string store = "runs/safeval.db";
  bool fail_on_regression = false;
  bool independent = false;
  bool json = false;
};

// "overall", "vcr", "vcr / adversarial".
std::string CellName(const std::vector<std::pair<std::string, std::string>>& group_by) {
  if (group_by.empty()) return "overall";
  std::string out;
  for (const auto& [key, value] : group_by) out += (out.empty() ? "" : " / ") + value;
  return out;
}

// A difference of fractions in percentage points, signed: "+5.0", "-0.3", "0.0".
std::string Points(double difference) {
  char buffer[32];
  double points = 100 * difference;
  if (std::fabs(points) < 0.05) points = 0;  // no "-0.0"
  std::snprintf(buffer, sizeof buffer, points == 0 ? "%.1f" : "%+.1f", points);
  return buffer;
}

std::string PointsInterval(const RateChange& c) {
  return "[" + Points(c.ci_low) + ", " + Points(c.ci_high) + "]";
}

std::string PValue(const RateChange& c) {
  if (!c.p_value) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, *c.p_value < 0.001 ? "<0.001" : "%.3f", *c.p_value);
  return buffer;
}

std::string Method(const Comparison& c) {
  if (!c.paired) {
    return "independent samples (the runs hold different prompts): Newcombe's hybrid score "
           "interval";
  }
  return "paired on the " + std::to_string(c.pairs) +
         " prompts judged in both runs: McNemar's test and Newcombe's paired score interval";
}

void PrintChanges(const std::string& title, const Comparison& comparison, ChangeKind kind,
                  std::ostream& out) {
  TextTable table({"cell", "metric", "A", "B", "change", "95% interval", "p"});
  table.AlignLeft(1);
  int64_t count = 0;
  for (const RateChange& c : comparison.changes) {
    if (c.kind != kind) continue;
    ++count;
    table.AddRow({CellName(c.group_by), std::string(Name(c.metric)),
                  RateText(c.rate_a) + " (n=" + std::to_string(c.n_a) + ")",
                  RateText(c.rate_b) + " (n=" + std::to_string(c.n_b) + ")",
                  Points(c.difference) + " pts", PointsInterval(c), PValue(c)});
  }
  out << "\n" << title << " (" << count << ")\n";
  if (count > 0) out << table.Render("  ");
}

// One line per cell: "  vcr: violation_rate +0.3 [-1.0, +1.6]; attack_success_rate ...".
void PrintUnchanged(const Comparison& comparison, std::ostream& out) {
  std::vector<std::string> order;
  std::map<std::string, std::string> lines;
  int64_t count = 0;
  for (const RateChange& c : comparison.changes) {
    if (c.kind != ChangeKind::kUnchanged) continue;
    ++count;
    std::string cell = CellName(c.group_by);
    if (!lines.count(cell)) order.push_back(cell);
    std::string& line = lines[cell];
    line += (line.empty() ? "" : "; ") + std::string(Name(c.metric)) + " " + Points(c.difference) +
            " " + PointsInterval(c) + (c.p_value ? " p=" + PValue(c) : "");
  }
  out << "\nUnchanged (" << count << ")\n";
  for (const std::string& cell : order) out << "  " << cell << ": " << lines[cell] << "\n";
}

// "1 regression", "2 regressions".
std::string Count(int64_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void PrintText(const CompareFlags& flags, const Comparison& comparison, std::ostream& out) {
  out << "Comparing run B " << flags.run_b << " with run A " << flags.run_a << "\n"
      << "Method: " << Method(comparison) << "\n"
      << "Changes are B - A in percentage points; every rate here is lower-is-better, so a\n"
      << "regression is a change whose whole 95% interval lies above 0"
      << (comparison.paired ? " (and McNemar's p < 0.05).\n" : ".\n");
  PrintChanges("Regressions", comparison, ChangeKind::kRegression, out);
  PrintChanges("Improvements", comparison, ChangeKind::kImprovement, out);
  PrintUnchanged(comparison, out);
  int64_t unchanged = static_cast<int64_t>(comparison.changes.size()) - comparison.regressions() -
                      comparison.improvements();
  out << "\nResult: " << Count(comparison.regressions(), "regression") << ", "
      << Count(comparison.improvements(), "improvement") << ", " << unchanged << " unchanged\n";
}

Json ChangeJson(const RateChange& c) {
  Json group = Json::object();
  for (const auto& [key, value] : c.group_by) group[key] = value;
  return {{"group_by", std::move(group)},
          {"metric", Name(c.metric)},
          {"kind", Name(c.kind)},
          {"paired", c.paired},
          {"n_a", c.n_a},
          {"count_a", c.count_a},
          {"rate_a", c.rate_a},
          {"n_b", c.n_b},
          {"count_b", c.count_b},
          {"rate_b", c.rate_b},
          {"difference", c.difference},
          {"ci_low", c.ci_low},
          {"ci_high", c.ci_high},
          {"p_value", c.p_value ? Json(*c.p_value) : Json(nullptr)}};
}

void PrintJson(const CompareFlags& flags, const Comparison& comparison, std::ostream& out) {
  Json root;
  root["schema_version"] = 1;
  root["run_a"] = flags.run_a;
  root["run_b"] = flags.run_b;
  root["paired"] = comparison.paired;
  root["pairs"] = comparison.pairs;
  root["regressions"] = comparison.regressions();
  root["improvements"] = comparison.improvements();
  // Regressions first, then improvements, then the rest, as in the text form.
  Json changes = Json::array();
  for (ChangeKind kind :
       {ChangeKind::kRegression, ChangeKind::kImprovement, ChangeKind::kUnchanged})
    for (const RateChange& c : comparison.changes)
      if (c.kind == kind) changes.push_back(ChangeJson(c));
  root["changes"] = std::move(changes);
  out << root.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

RunForComparison ForComparison(StoredRun&& run) {
  return {std::move(run.scored), std::move(run.prompt_ids)};
}

Status RunCompare(const CompareFlags& flags, CliContext& context) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenExistingStore(flags.store));
  SV_ASSIGN_OR_RETURN(StoredRun a, LoadStoredRun(*store, flags.run_a));
  SV_ASSIGN_OR_RETURN(StoredRun b, LoadStoredRun(*store, flags.run_b));
  CompareOptions options;
  options.allow_pairing = !flags.independent;
  Comparison comparison =
      CompareRuns(ForComparison(std::move(a)), ForComparison(std::move(b)), options);
  if (flags.json) {
    PrintJson(flags, comparison, *context.out);
  } else {
    PrintText(flags, comparison, *context.out);
  }
  if (flags.fail_on_regression && comparison.regressions() > 0) context.exit_code = kExitGateFailed;
  return Status::Ok();
}

}  // namespace

void SetupCompareCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<CompareFlags>();
  sub.add_option("run_a", flags->run_a, "The baseline run")->required();
  sub.add_option("run_b", flags->run_b, "The run compared with it")->required();
  sub.add_option("--store", flags->store, "The store: a SQLite file or a postgresql:// URL")->type_name("PATH|URL")->capture_default_str();
  sub.add_flag("--fail-on-regression", flags->fail_on_regression,
               "Exit with code 1 when any cell regressed");
  sub.add_flag("--independent", flags->independent,
               "Treat the runs as independent samples even when they hold the same prompts");
  sub.add_flag("--json", flags->json, "Print one JSON document instead of the tables");
  sub.callback([flags, &context] {
    Status status = RunCompare(*flags, context);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
