// What the `safeval judge` subcommands read: transcript pairs and labelled pairs
// (JSONL, FORMATS.md), the taxonomy/policy pair that decides violations, and the
// judges named by `--judge rules|CONFIG`. Shared by judge_*_command.cc only.
//
// Every parse error is InvalidArgument "<file>:<line>: field '<field>': <what>"
// (field omitted when the whole line is wrong). Not thread-safe.
#pragma once

#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/prompt.h"
#include "core/response_class.h"
#include "core/status.h"
#include "core/verdict.h"
#include "policy/policy.h"
#include "run/judge_factory.h"
#include "run/suite.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// Which JSONL shape a line has.
//   kTranscript: {"id", "prompt", "response", "intent"?, "category"?}
//   kLabelled:   the same plus "class" (a decided class, or undetermined), "violation"? (bool) and
//                "rationale"? (string)
//   kLabel:      {"id", "class", "rationale"?} (a human label for a stored item)
// Keys starting with "x-" are ignored; other unknown keys are errors.
enum class JudgeLineKind { kTranscript, kLabelled, kLabel };

struct JudgeLine {
  Prompt prompt;         // id, one user turn, category (may be empty), intent (default harmful)
  std::string response;  // kTranscript, kLabelled
  std::optional<ResponseClass> cls;  // kLabelled, kLabel
  std::optional<bool> violation;     // kLabelled, when given
  std::string rationale;             // kLabelled, kLabel, when given
};

// Parses one non-blank line. `taxonomy` checks categories (null: not checked, for kLabel).
Result<JudgeLine> ParseJudgeLine(std::string_view text, const std::string& file, int line,
                                 JudgeLineKind kind, const Taxonomy* taxonomy);

// Reads a text file a line at a time (constant memory), numbering lines from 1
// and dropping a trailing '\r'.
class LineReader {
 public:
  // NotFound / InvalidArgument (a folder) / IoError naming `what` and the path.
  static Result<LineReader> Open(const std::string& path, std::string_view what);
  // False at the end of the file.
  bool Next(std::string* line);
  int line_number() const { return line_number_; }
  const std::string& path() const { return path_; }
  // IoError when reading failed before the end of the file.
  Status status() const;

 private:
  LineReader(std::string path, std::ifstream in) : path_(std::move(path)), in_(std::move(in)) {}
  std::string path_;
  std::ifstream in_;
  int line_number_ = 0;
};

// True for a line holding only whitespace (skipped in JSONL files).
bool IsBlankLine(std::string_view line);

// The taxonomy and policy that decide violations for transcripts judged outside a run.
struct JudgePolicy {
  Taxonomy taxonomy;
  Policy policy;
};
// `taxonomy` and `policy` are specs as in a suite (builtin:NAME or a path relative
// to the current directory).
Result<JudgePolicy> LoadJudgePolicy(const std::string& taxonomy, const std::string& policy);

// The judges of `--judge rules|CONFIG`, built over `policy` with the process's
// environment for API keys. REQUIRES: `policy` and `clock` outlive the result.
Result<JudgeSet> LoadJudges(const std::string& spec, const Policy& policy, Clock& clock);

// What the judges made of one transcript: the verdicts of the judges that
// succeeded (in the judges' order) and, when any failed, their errors.
struct JudgedLine {
  std::vector<Verdict> verdicts;
  std::string error;  // "judge: message; ..." when a judge failed; "" otherwise
};

// Judges `lines` with every judge in order, as a run does (JudgeBatch in
// run/executor.h: model-based judges send their requests concurrently, an
// ensemble sees its members' verdicts). One JudgedLine per line, in order.
std::vector<JudgedLine> JudgeLines(std::vector<JudgeLine>& lines, const JudgeSet& judges);

// The process environment as a GetEnvFn (the command line may read it; nothing below may).
GetEnvFn ProcessEnvironment();

}  // namespace safeval
