// Text from datasets, user files and stored runs reaches the terminal through TerminalText
// (core/terminal_text.h): run through the binary, commands that print ids, names, problems
// and run records never emit an escape sequence, a carriage return, a C1 control or a
// bidirectional override that came from their input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/subprocess.h"
#include "testing/temp_dir.h"
#include "tests/test_paths.h"

namespace safeval::testing {
namespace {

using ::testing::HasSubstr;

// Escape-sequence payloads a hostile file could carry: window title, screen clear, colour,
// an 8-bit CSI (U+009B) and a right-to-left override (U+202E), each ending in a marker.
constexpr char kTitle[] = "\x1b]0;owned\x07";
constexpr char kClear[] = "\x1b[2J\x1b[H";
constexpr char kCsi[] =
    "\xc2\x9b"
    "31m";
constexpr char kRlo[] = "\xe2\x80\xae";

// JSON text for a string holding every payload (JSON escapes the control characters).
constexpr char kJsonPayload[] = R"(A\u001b]0;owned\u0007B\u001b[2J\u001b[HC\u009b31mD\u202eE\rF)";

void ExpectNothingObeyed(const std::string& text, const std::string& where) {
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << where << ":\n" << text;
  EXPECT_EQ(text.find('\r'), std::string::npos) << where;
  EXPECT_EQ(text.find('\x07'), std::string::npos) << where;
  EXPECT_EQ(text.find("\xc2\x9b"), std::string::npos) << where;
  EXPECT_EQ(text.find(kRlo), std::string::npos) << where;
}

ProcessResult Safeval(const std::vector<std::string>& args, const TempDir& dir) {
  std::vector<std::string> argv = {SafevalBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult r = RunProcess(argv, dir.path());
  std::string command;
  for (const std::string& a : args) command += a + " ";
  ExpectNothingObeyed(r.out, "stdout of " + command);
  ExpectNothingObeyed(r.err, "stderr of " + command);
  return r;
}

TEST(TerminalOutput, DatasetProblemsAndIdsAreEscaped) {
  TempDir dir;
  dir.Write("bad.jsonl",
            std::string(R"({"id": "x1", "text": "[q]", "category": "ncr", "intent": ")") +
                kJsonPayload + "\"}\n");
  ProcessResult validate = Safeval({"dataset", "validate", "bad.jsonl"}, dir);
  EXPECT_EQ(validate.exit_code, 2);
  EXPECT_THAT(validate.out,
              HasSubstr("got 'A\\x1b]0;owned\\x07B\\x1b[2J\\x1b[HC\\u009b31mD\\u202eE\\rF'"));

  // Two prompts whose ids carry the payloads and whose texts are the same: dedup prints ids.
  std::string id = std::string("dup") + kJsonPayload;
  dir.Write("dups.jsonl",
            R"({"id": ")" + id +
                R"(1", "text": "[same request]", "category": "ncr", "intent": "harmful"})"
                "\n"
                R"({"id": ")" +
                id +
                R"(2", "text": "[same request]", "category": "ncr", "intent": "harmful"})"
                "\n");
  ProcessResult dedup =
      Safeval({"dataset", "dedup", "dups.jsonl", "--taxonomy", "builtin:ailuminate-v1"}, dir);
  EXPECT_EQ(dedup.exit_code, 1) << dedup.err;
  EXPECT_THAT(dedup.out, HasSubstr("dupA\\x1b]0;owned"));
}

TEST(TerminalOutput, TaxonomyNamesAreEscaped) {
  TempDir dir;
  dir.Write("tax.yaml", std::string("schema_version: 1\nid: hostile\nnodes:\n"
                                    "  - id: ncr\n    name: \"Crimes ") +
                            kJsonPayload + "\"\n    group: \"g\\e[31m\"\n");
  ProcessResult show = Safeval({"taxonomy", "show", "--taxonomy", "tax.yaml"}, dir);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("ncr  Crimes A\\x1b]0;owned\\x07B"));
  EXPECT_THAT(show.out, HasSubstr("[g\\x1b[31m]"));
}

TEST(TerminalOutput, RunRecordsAndErrorsAreEscaped) {
  TempDir dir;
  dir.Write("data.jsonl", R"({"id": "p1", "text": "[q]", "category": "ncr", "intent": "harmful"})"
                          "\n");
  dir.Write("suite.yaml",
            std::string("schema_version: 1\nname: \"quick") + kJsonPayload +
                "\"\ndatasets: [data.jsonl]\ntaxonomy: builtin:ailuminate-v1\n"
                "targets:\n  - {name: demo, type: demo}\n"
                "judges:\n  - {name: rules, type: rules}\nstore: s.db\noutput_dir: out\n");
  ProcessResult run = Safeval({"run", "suite.yaml"}, dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // The run's own progress lines (run id, target, summary) show the name escaped, too.
  EXPECT_EQ(run.err.find("\x1b]0;owned"), std::string::npos) << run.err;
  EXPECT_EQ(run.out.find("\x1b]0;owned"), std::string::npos) << run.out;
  ProcessResult runs = Safeval({"runs", "--store", "s.db"}, dir);
  EXPECT_EQ(runs.exit_code, 0);
  EXPECT_THAT(runs.out, HasSubstr("quickA\\x1b]0;owned\\x07B"));

  // An error message quoting a user value (here an unknown run id) goes through Fail.
  ProcessResult report =
      Safeval({"report", std::string("nope") + kTitle + kClear + kCsi, "--store", "s.db"}, dir);
  EXPECT_NE(report.exit_code, 0);
}

}  // namespace
}  // namespace safeval::testing
