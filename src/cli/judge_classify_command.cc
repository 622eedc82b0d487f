// safeval judge classify --judge rules|CONFIG --input pairs.jsonl [-o verdicts.jsonl]
//                        [--taxonomy SPEC] [--policy SPEC]
// Judges transcript pairs without any model call (judge models aside). The input is
// read twice, a line at a time: first every line is checked (all bad lines are
// reported as file:line errors and nothing is judged: exit 2), then the lines are
// judged in batches and one verdict line per judge is written per transcript
// (FORMATS.md). Memory stays constant whatever the file's size.
#include <CLI/CLI.hpp>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/judge_command.h"
#include "cli/judge_inputs.h"
#include "dataset/atomic_output_file.h"

namespace safeval {
namespace {

using nlohmann::ordered_json;

// Transcripts judged together: enough for model-based judges to keep their
// endpoints busy, few enough to bound memory.
constexpr size_t kBatchLines = 256;

struct ClassifyFlags {
  std::string judge = "rules";
  std::string input;
  std::string output;  // empty: stdout
  std::string taxonomy = "builtin:ailuminate-v1";
  std::string policy = "builtin:default";
};

// Per judge: how many verdicts, violations and undetermined classes it gave.
struct JudgeTally {
  int64_t verdicts = 0;
  int64_t violations = 0;
  int64_t undetermined = 0;
};

struct ClassifyStats {
  int64_t transcripts = 0;
  int64_t with_errors = 0;                     // transcripts on which some judge failed
  std::map<std::string, JudgeTally> by_judge;  // by identity
};

// Checks every line; prints each problem to `err`. InvalidArgument when any line is bad.
Status CheckInput(const std::string& path, const Taxonomy& taxonomy, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(LineReader reader, LineReader::Open(path, "input file"));
  int64_t bad = 0;
  std::string line;
  while (reader.Next(&line)) {
    if (IsBlankLine(line)) continue;
    Result<JudgeLine> parsed =
        ParseJudgeLine(line, path, reader.line_number(), JudgeLineKind::kTranscript, &taxonomy);
    if (!parsed.ok()) {
      err << parsed.status().message() << "\n";
      ++bad;
    }
  }
  SV_RETURN_IF_ERROR(reader.status());
  if (bad == 0) return Status::Ok();
  return Status::InvalidArgument(std::to_string(bad) + " bad line" + (bad == 1 ? "" : "s") +
                                 " in " + path + "; nothing was judged");
}

ordered_json VerdictJson(const std::string& id, const Verdict& v, const std::string& identity) {
  ordered_json j;
  j["id"] = id;
  j["class"] = Name(v.cls);
  j["violation"] = v.violation;
  j["confidence"] = v.confidence;
  j["evidence"] = ordered_json::array();
  for (const Evidence& e : v.evidence) {
    j["evidence"].push_back({{"start", e.start}, {"end", e.end}, {"cue", e.cue}});
  }
  j["judge"] = identity;
  if (v.quality) j["quality"] = *v.quality;
  if (v.severity) j["severity"] = *v.severity;
  j["rationale"] = v.rationale;
  return j;
}

class Classifier {
 public:
  Classifier(const JudgeSet& judges, std::ostream& out) : judges_(judges), out_(out) {
    for (const Judge* j : judges.judges()) identity_[j->name()] = JudgeIdentity(*j);
  }

  void Add(JudgeLine line) {
    batch_.push_back(std::move(line));
    if (batch_.size() >= kBatchLines) Flush();
  }

  void Flush() {
    if (batch_.empty()) return;
    std::vector<JudgedLine> judged = JudgeLines(batch_, judges_);
    for (size_t i = 0; i < batch_.size(); ++i) Write(batch_[i].prompt.id, judged[i]);
    stats_.transcripts += static_cast<int64_t>(batch_.size());
    batch_.clear();
  }

  const ClassifyStats& stats() const { return stats_; }

 private:
  void Write(const std::string& id, const JudgedLine& judged) {
    for (const Verdict& v : judged.verdicts) {
      const std::string& identity = identity_[v.judge];
      JudgeTally& t = stats_.by_judge[identity];
      ++t.verdicts;
      if (v.violation) ++t.violations;
      if (v.cls == ResponseClass::kUndetermined) ++t.undetermined;
      out_ << VerdictJson(id, v, identity).dump() << "\n";
    }
    if (judged.error.empty()) return;
    ++stats_.with_errors;
    out_ << ordered_json{{"id", id}, {"error", judged.error}}.dump() << "\n";
  }

  const JudgeSet& judges_;
  std::ostream& out_;
  std::map<std::string, std::string> identity_;  // judge name → identity
  std::vector<JudgeLine> batch_;
  ClassifyStats stats_;
};

Result<ClassifyStats> ClassifyFile(const std::string& path, const Taxonomy& taxonomy,
                                   const JudgeSet& judges, std::ostream& out) {
  SV_ASSIGN_OR_RETURN(LineReader reader, LineReader::Open(path, "input file"));
  Classifier classifier(judges, out);
  std::string line;
  while (reader.Next(&line)) {
    if (IsBlankLine(line)) continue;
    // Checked in the first pass; a file changed since then still fails cleanly.
    SV_ASSIGN_OR_RETURN(JudgeLine parsed, ParseJudgeLine(line, path, reader.line_number(),
                                                         JudgeLineKind::kTranscript, &taxonomy));
    classifier.Add(std::move(parsed));
  }
  SV_RETURN_IF_ERROR(reader.status());
  classifier.Flush();
  return classifier.stats();
}

void PrintSummary(const ClassifyStats& stats, const std::string& where, std::ostream& err) {
  err << "Judged " << stats.transcripts << " transcript" << (stats.transcripts == 1 ? "" : "s")
      << " → " << where << "\n";
  for (const auto& [identity, t] : stats.by_judge) {
    err << "  " << identity << ": " << t.violations << " violations, " << t.undetermined
        << " undetermined\n";
  }
}

// Judges into `out`; returns the stats or the first error.
Result<ClassifyStats> Classify(const ClassifyFlags& flags, std::ostream& out, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(JudgePolicy jp, LoadJudgePolicy(flags.taxonomy, flags.policy));
  SystemClock clock;
  SV_ASSIGN_OR_RETURN(JudgeSet judges, LoadJudges(flags.judge, jp.policy, clock));
  SV_RETURN_IF_ERROR(CheckInput(flags.input, jp.taxonomy, err));
  return ClassifyFile(flags.input, jp.taxonomy, judges, out);
}

Result<ClassifyStats> ClassifyToFile(const ClassifyFlags& flags, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(flags.output));
  SV_ASSIGN_OR_RETURN(ClassifyStats stats, Classify(flags, file->stream(), err));
  SV_RETURN_IF_ERROR(file->Commit());
  return stats;
}

void Execute(const ClassifyFlags& flags, CliContext& context) {
  Result<ClassifyStats> stats = flags.output.empty() ? Classify(flags, *context.out, *context.err)
                                                     : ClassifyToFile(flags, *context.err);
  if (!stats.ok()) {
    context.Fail(stats.status());
    return;
  }
  PrintSummary(*stats, flags.output.empty() ? "stdout" : flags.output, *context.err);
  if (stats->with_errors > 0) {
    context.Fail(Status::Unavailable(std::to_string(stats->with_errors) +
                                     " transcripts have judge errors (their \"error\" lines say "
                                     "why); they have no verdict from the failing judge"));
  }
}

}  // namespace

void SetupJudgeClassifyCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ClassifyFlags>();
  sub.add_option("--judge", flags->judge, "rules, or a judge configuration file (YAML)")
      ->capture_default_str();
  sub.add_option("--input", flags->input,
                 "Transcript pairs, one JSON object per line: {\"id\", \"prompt\", \"response\", "
                 "\"intent\"?, \"category\"?}")
      ->required();
  sub.add_option("-o,--output", flags->output, "Write the verdict lines here (default: stdout)");
  sub.add_option("--taxonomy", flags->taxonomy, "builtin:NAME or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("--policy", flags->policy, "builtin:default or a policy.yaml path")
      ->capture_default_str();
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
