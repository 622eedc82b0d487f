// safeval judge calibrate --judge rules|CONFIG --labels labelled.jsonl [--store PATH] [--json]
//                         [--taxonomy SPEC] [--policy SPEC]
// safeval judge calibrate --judge rules|CONFIG --round ROUND [--store PATH] [--json]
// Measures each judge of --judge against human labels: lines are transcript pairs
// plus the human's "class" (and optionally "violation", which otherwise is what
// the policy says of that class); or, with --round, the gold labels of an annotation
// round (core/annotation.h's GoldLabels) on its run's items, whose prompts and
// responses are judged again under the run's own taxonomy and policy. Prints the
// confusion matrix, accuracy, per-class precision/recall/F1, Cohen's kappa and
// violation sensitivity/specificity (the maths: judge/calibration_report.h), and
// saves each judge's calibration in the store under its "name@version", with the
// whole report as details_json. A judge that failed on any item is reported and
// not saved (exit 3).
#include <CLI/CLI.hpp>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/annotate_command.h"
#include "cli/judge_command.h"
#include "cli/judge_inputs.h"
#include "core/hash.h"
#include "core/terminal_text.h"
#include "judge/calibration_report.h"
#include "run/evaluation.h"
#include "store/open_store.h"
#include "store/store.h"

namespace safeval {
namespace {

using nlohmann::ordered_json;

constexpr size_t kBatchLines = 256;

struct CalibrateFlags {
  std::string judge = "rules";
  std::string labels;
  std::string round;  // exactly one of labels / round
  std::string store = "runs/safeval.db";
  bool json = false;
  std::string taxonomy = "builtin:ailuminate-v1";
  std::string policy = "builtin:default";
};

// One judge's tally over the labelled set.
struct JudgeCalibrationRun {
  std::string name;
  std::string identity;
  CalibrationTally tally;
  int64_t errors = 0;  // items the judge failed on
};

struct LabelledSet {
  std::string hash;
  std::vector<JudgeLine> lines;  // with a decided human class
  int undetermined = 0;          // lines a person labelled undetermined, left out
};

// The whole file (labelled sets are small), so its content hash identifies the labels.
Result<std::string> ReadWhole(const std::string& path) {
  // Opened first only for its errors: a missing file or a folder reads as in the other commands.
  SV_ASSIGN_OR_RETURN(LineReader checked, LineReader::Open(path, "labels file"));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read labels file '" + path + "'");
  return text.str();
}

// Parses every line; each problem goes to `err`. InvalidArgument when there was any.
Result<LabelledSet> ReadLabelled(const std::string& path, const Taxonomy& taxonomy,
                                 std::ostream& err) {
  SV_ASSIGN_OR_RETURN(std::string content, ReadWhole(path));
  LabelledSet set;
  set.hash = ContentHash(content);
  std::istringstream in(content);
  std::string line;
  int number = 0, bad = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (IsBlankLine(line)) continue;
    Result<JudgeLine> parsed =
        ParseJudgeLine(line, path, number, JudgeLineKind::kLabelled, &taxonomy);
    if (!parsed.ok()) {
      err << TerminalText(parsed.status().message(), LineBreaks::kKeep) << "\n";
      ++bad;
      continue;
    }
    if (parsed->cls == ResponseClass::kUndetermined) {
      ++set.undetermined;
      continue;
    }
    set.lines.push_back(std::move(parsed).value());
  }
  if (set.undetermined > 0) {
    err << path << ": " << set.undetermined << " line" << (set.undetermined == 1 ? "" : "s")
        << " labelled undetermined left out of the calibration\n";
  }
  if (bad > 0) {
    return Status::InvalidArgument(std::to_string(bad) + " bad line" + (bad == 1 ? "" : "s") +
                                   " in " + path + "; nothing was judged");
  }
  if (set.lines.empty()) return Status::InvalidArgument(path + ": no labelled items");
  return set;
}

const Verdict* VerdictOf(const JudgedLine& judged, const std::string& judge) {
  for (const Verdict& v : judged.verdicts)
    if (v.judge == judge) return &v;
  return nullptr;
}

void Tally(const std::vector<JudgeLine>& lines, const std::vector<JudgedLine>& judged,
           const Policy& policy, std::vector<JudgeCalibrationRun>& runs) {
  for (size_t i = 0; i < lines.size(); ++i) {
    const JudgeLine& l = lines[i];
    bool human_violation =
        l.violation.value_or(policy.IsViolation(l.prompt.category, l.prompt.intent, *l.cls));
    for (JudgeCalibrationRun& run : runs) {
      const Verdict* v = VerdictOf(judged[i], run.name);
      if (v == nullptr) {
        ++run.errors;
        continue;
      }
      run.tally.Add({*l.cls, human_violation, v->cls, v->violation});
    }
  }
}

std::vector<JudgeCalibrationRun> JudgeAll(LabelledSet& set, const JudgeSet& judges,
                                          const Policy& policy) {
  std::vector<JudgeCalibrationRun> runs;
  for (const Judge* j : judges.judges()) runs.push_back({j->name(), JudgeIdentity(*j), {}, 0});
  for (size_t begin = 0; begin < set.lines.size(); begin += kBatchLines) {
    size_t end = std::min(set.lines.size(), begin + kBatchLines);
    std::vector<JudgeLine> batch(std::make_move_iterator(set.lines.begin() + begin),
                                 std::make_move_iterator(set.lines.begin() + end));
    std::vector<JudgedLine> judged = JudgeLines(batch, judges);
    Tally(batch, judged, policy, runs);
  }
  return runs;
}

ordered_json ReportJson(const JudgeCalibrationRun& run, const CalibrationReport& r,
                        const std::string& labels, const std::string& hash) {
  ordered_json j;
  j["judge"] = run.identity;
  j["labels"] = labels;
  j["labels_hash"] = hash;
  j["items"] = r.items;
  ordered_json classes = ordered_json::array();
  for (size_t k = 0; k < kClassCount; ++k) classes.push_back(Name(static_cast<ResponseClass>(k)));
  j["confusion"] = {{"rows", "human"}, {"columns", "judge"}, {"classes", classes}};
  ordered_json matrix = ordered_json::array();
  for (const auto& row : r.confusion) matrix.push_back(row);
  j["confusion"]["counts"] = matrix;
  j["accuracy"] = r.accuracy;
  j["kappa"] = r.kappa ? ordered_json(*r.kappa) : ordered_json(nullptr);
  j["macro_f1"] = r.macro_f1;
  j["per_class"] = ordered_json::array();
  for (const ClassScore& s : r.classes) {
    j["per_class"].push_back({{"class", Name(s.cls)},
                              {"support", s.support},
                              {"predicted", s.predicted},
                              {"precision", s.precision},
                              {"recall", s.recall},
                              {"f1", s.f1}});
  }
  j["violation"] = {
      {"true_positives", r.true_positives},     {"false_positives", r.false_positives},
      {"true_negatives", r.true_negatives},     {"false_negatives", r.false_negatives},
      {"sensitivity", r.sensitivity},           {"specificity", r.specificity},
      {"undetermined_left_out", r.undetermined}};
  j["judge_errors"] = run.errors;
  return j;
}

std::string Fixed(double value) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(3) << value;
  return s.str();
}

void PrintMatrix(const CalibrationReport& r, std::ostream& out) {
  out << "Confusion matrix (rows: human label, columns: judge)\n" << std::setw(18) << "";
  for (size_t k = 0; k < kClassCount; ++k)
    out << std::setw(18) << Name(static_cast<ResponseClass>(k));
  out << "\n";
  for (ResponseClass human : kDecidedClasses) {
    out << std::left << std::setw(18) << Name(human) << std::right;
    for (int64_t n : r.confusion[static_cast<size_t>(human)]) out << std::setw(18) << n;
    out << "\n";
  }
}

void PrintReport(const JudgeCalibrationRun& run, const CalibrationReport& r,
                 const std::string& labels, std::ostream& out) {
  out << "Calibration of " << run.identity << " on " << labels << " (" << r.items << " items)\n";
  PrintMatrix(r, out);
  out << "Accuracy " << Fixed(r.accuracy) << "   Cohen's kappa "
      << (r.kappa ? Fixed(*r.kappa) : "n/a") << "   macro-F1 " << Fixed(r.macro_f1) << "\n";
  out << std::left << std::setw(18) << "class" << std::right << std::setw(11) << "precision"
      << std::setw(9) << "recall" << std::setw(9) << "F1" << std::setw(9) << "support\n";
  for (const ClassScore& s : r.classes) {
    out << std::left << std::setw(18) << Name(s.cls) << std::right << std::setw(11)
        << Fixed(s.precision) << std::setw(9) << Fixed(s.recall) << std::setw(9) << Fixed(s.f1)
        << std::setw(8) << s.support << "\n";
  }
  out << "Violation: sensitivity " << Fixed(r.sensitivity) << " (TP " << r.true_positives << ", FN "
      << r.false_negatives << "), specificity " << Fixed(r.specificity) << " (TN "
      << r.true_negatives << ", FP " << r.false_positives << ")";
  if (r.undetermined > 0) out << "; " << r.undetermined << " undetermined items left out";
  out << "\n";
}

JudgeCalibration ToCalibration(const JudgeCalibrationRun& run, const CalibrationReport& r,
                               const std::string& hash, const std::string& details, Clock& clock) {
  JudgeCalibration c;
  c.judge = run.identity;
  c.labels_hash = hash;
  c.created_at = clock.NowIso8601();
  c.true_positives = r.true_positives;
  c.false_positives = r.false_positives;
  c.true_negatives = r.true_negatives;
  c.false_negatives = r.false_negatives;
  c.details_json = details;
  return c;
}

// The gold labels of a round as a labelled set: each item's stored prompt and response with the
// gold class and violation. Its hash covers the run, the round and every gold label, so a
// calibration says which labels it was measured on.
Result<LabelledSet> RoundLabelled(Store& runs, AnnotationStore& annotations,
                                  const AnnotationRound& round) {
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, annotations.LoadLabels(round.name));
  SV_ASSIGN_OR_RETURN(std::vector<Adjudication> adjudications,
                      annotations.LoadAdjudications(round.name));
  std::map<int64_t, GoldLabel> gold;
  std::string canonical = "run " + round.run_id + "\nround " + round.name + "\n";
  for (GoldLabel& g : GoldLabels(round, labels, adjudications)) {
    canonical += std::to_string(g.item_index) + " " + std::string(Name(g.cls)) +
                 (g.violation ? " violation\n" : " ok\n");
    gold.emplace(g.item_index, std::move(g));
  }
  if (gold.empty()) {
    return Status::InvalidArgument("round " + round.name +
                                   " has no gold labels yet (an adjudication, or labels that all "
                                   "agree): nothing to calibrate against");
  }
  LabelledSet set;
  set.hash = ContentHash(canonical);
  SV_RETURN_IF_ERROR(runs.ScanItems(round.run_id, [&](StoredItem&& item) {
    auto found = gold.find(item.index);
    if (found == gold.end() || !item.result) return Status::Ok();
    JudgeLine line;
    line.prompt = std::move(item.prompt);
    line.response = std::move(item.result->response);
    line.cls = found->second.cls;
    line.violation = found->second.violation;
    set.lines.push_back(std::move(line));
    return Status::Ok();
  }));
  if (set.lines.empty()) {
    return Status::InvalidArgument("round " + round.name +
                                   ": no gold-labelled item has a judged response");
  }
  return set;
}

// Judges `set` with `judges`, prints and saves each judge's report; fails (Unavailable) when a
// judge failed on some item. `labels` names the set in the reports.
Status CalibrateOn(LabelledSet& set, const std::string& labels, const JudgeSet& judges,
                   const Policy& policy, Store& store, const CalibrateFlags& flags, Clock& clock,
                   std::ostream& out) {
  std::vector<JudgeCalibrationRun> runs = JudgeAll(set, judges, policy);
  ordered_json all = {{"labels", labels}, {"calibrations", ordered_json::array()}};
  std::string failed;
  for (const JudgeCalibrationRun& run : runs) {
    CalibrationReport report = run.tally.Finish();
    ordered_json details = ReportJson(run, report, labels, set.hash);
    all["calibrations"].push_back(details);
    if (!flags.json) PrintReport(run, report, labels, out);
    if (run.errors > 0) {
      failed += (failed.empty() ? "" : ", ") + run.identity + " (" + std::to_string(run.errors) +
                " items)";
      continue;
    }
    SV_RETURN_IF_ERROR(
        store.SaveCalibration(ToCalibration(run, report, set.hash, details.dump(), clock)));
    if (!flags.json)
      out << "Saved as the calibration of " << run.identity << " in " << StoreLabel(flags.store)
          << "\n\n";
  }
  if (flags.json) out << all.dump(2) << "\n";
  if (!failed.empty()) {
    return Status::Unavailable(
        "judges failed on some labelled items, so their calibration was "
        "not saved: " +
        failed);
  }
  return Status::Ok();
}

Status CalibrateOnLabels(const CalibrateFlags& flags, std::ostream& out, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(JudgePolicy jp, LoadJudgePolicy(flags.taxonomy, flags.policy));
  SystemClock clock;
  SV_ASSIGN_OR_RETURN(JudgeSet judges, LoadJudges(flags.judge, jp.policy, clock));
  SV_ASSIGN_OR_RETURN(LabelledSet set, ReadLabelled(flags.labels, jp.taxonomy, err));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(flags.store));
  return CalibrateOn(set, flags.labels, judges, jp.policy, *store, flags, clock, out);
}

Status CalibrateOnRound(const CalibrateFlags& flags, std::ostream& out) {
  SV_ASSIGN_OR_RETURN(Stores stores, OpenExistingStores(flags.store));
  SV_ASSIGN_OR_RETURN(AnnotationRound round,
                      LoadRound(*stores.annotations, flags.round, flags.store));
  SV_ASSIGN_OR_RETURN(RunRecord run, stores.runs->GetRun(round.run_id));
  SV_ASSIGN_OR_RETURN(SuiteInputs in, LoadSuiteInputs(run.suite_path));
  SystemClock clock;
  SV_ASSIGN_OR_RETURN(JudgeSet judges, LoadJudges(flags.judge, in.policy, clock));
  SV_ASSIGN_OR_RETURN(LabelledSet set, RoundLabelled(*stores.runs, *stores.annotations, round));
  return CalibrateOn(set, "round " + round.name, judges, in.policy, *stores.runs, flags, clock,
                     out);
}

Status Calibrate(const CalibrateFlags& flags, std::ostream& out, std::ostream& err) {
  if (flags.labels.empty() == flags.round.empty()) {
    return Status::InvalidArgument(
        "give exactly one of --labels FILE (labelled pairs) or --round ROUND (an annotation "
        "round's gold labels)");
  }
  return flags.round.empty() ? CalibrateOnLabels(flags, out, err) : CalibrateOnRound(flags, out);
}

}  // namespace

void SetupJudgeCalibrateCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<CalibrateFlags>();
  sub.add_option("--judge", flags->judge, "rules, or a judge configuration file (YAML)")
      ->capture_default_str();
  sub.add_option("--labels", flags->labels,
                 "Labelled pairs, one JSON object per line: {\"id\", \"prompt\", \"response\", "
                 "\"intent\", \"category\", \"class\", \"violation\"?}");
  sub.add_option("--round", flags->round,
                 "Instead of --labels: an annotation round's gold labels on its run's items "
                 "(judged under the run's taxonomy and policy)");
  sub.add_option("--store", flags->store,
                 "Where the calibration is saved (SQLite file or postgresql:// URL); with "
                 "--round, the round's store")
      ->type_name("PATH|URL")
      ->capture_default_str();
  sub.add_flag("--json", flags->json, "Print the reports as JSON");
  sub.add_option("--taxonomy", flags->taxonomy, "builtin:NAME or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("--policy", flags->policy, "builtin:default or a policy.yaml path")
      ->capture_default_str();
  sub.callback([flags, &context] {
    Status status = Calibrate(*flags, *context.out, *context.err);
    if (!status.ok()) context.Fail(status);
  });
}

}  // namespace safeval
