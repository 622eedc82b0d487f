// Datasets: prompts in JSONL (one JSON object per line, FORMATS.md), loaded
// and validated in full against a taxonomy before anything is sent to a model.
//
// Every function here is a pure function of its arguments (and the files it
// reads), so all are safe to call from several threads at once. None throws:
// problems in the data are values (DatasetProblem), gathered across all files
// so a user fixes a dataset in one pass rather than one error at a time.
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"

#include "core/prompt.h"
#include "core/status.h"
#include "dataset/id_index.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// One problem found while validating, e.g. {"data.jsonl", 12, "intent",
// "expected one of safe, harmful, adversarial, got 'evil'"}.
struct DatasetProblem {
  std::string file;
  int line = 0;       // 1-based; 0 when it concerns the file as a whole
  std::string field;  // empty when it concerns the whole line
  std::string message;
  // "file:line: field 'x': message"; the line is left out when it is 0 and
  // the field part when the field is empty ("file: message", "file:3: message").
  std::string ToString() const;
};

struct Dataset {
  std::vector<Prompt> prompts;  // in file order; files in the order given (a folder: by name)
  std::string content_hash;     // ContentHash over the canonical form of all prompts
};

struct DatasetLoad {
  Dataset dataset;
  std::vector<DatasetProblem> problems;  // every problem, not just the first
};

// Reads every path (a .jsonl file, or a folder whose *.jsonl files are read in
// name order) and checks each line: valid UTF-8, valid JSON object, required
// fields (id, text or turns, category, intent), known fields only (x- prefixed
// are allowed), types, category present in `taxonomy`, intent and persona
// values, ids unique across all files, and the agent fields (docs/datasets.md):
// a canary of >= 8 characters that occurs in `system`, tools in the OpenAI
// function shape, known `expect` keys, tool turns answering an earlier
// assistant tool call. Lines with problems are left out.
// Blank lines (only spaces, tabs or CR) are skipped; nothing else is.
// A missing path, an unreadable file or a folder without .jsonl files is a
// problem with line 0. Files are read line by line: memory grows with the
// prompts kept, not with the size of the files.
// content_hash is a Hasher over PromptToJsonLine of each kept prompt, in
// order: it ignores whitespace, key order and x- fields in the files.
DatasetLoad ReadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy);

// ReadDataset one prompt at a time, for datasets of any size: memory holds one line and, per
// id seen, its 64-bit hash and where it was first seen (an IdIndex, 20 to 40 bytes an id),
// not the prompts. Ids whose hashes are equal count as duplicates. The same checks, problems,
// order and content hash as ReadDataset. Not thread-safe.
class DatasetStream {
 public:
  DatasetStream(std::vector<std::string> paths, const Taxonomy& taxonomy);
  ~DatasetStream();
  DatasetStream(const DatasetStream&) = delete;
  DatasetStream& operator=(const DatasetStream&) = delete;

  // The next prompt without problems, or nullopt when every file is read.
  std::optional<Prompt> Next();
  // Every problem found so far (all of them once Next returned nullopt).
  const std::vector<DatasetProblem>& problems() const { return problems_; }
  int64_t count() const { return count_; }  // prompts returned so far
  // Over the prompts returned so far; the dataset's hash once Next returned nullopt.
  std::string content_hash() const;

 private:
  bool OpenNextFile();
  bool CheckUniqueId(const std::string& id);

  const Taxonomy& taxonomy_;
  std::vector<std::string> paths_;
  size_t next_path_ = 0;
  std::vector<std::string> pending_files_;  // files of the current path not opened yet
  std::vector<std::string> files_;          // opened so far; back() is being read
  std::unique_ptr<std::ifstream> in_;
  int line_number_ = 0;
  bool finished_ = false;
  int64_t count_ = 0;
  std::vector<DatasetProblem> problems_;
  Hasher hasher_;
  IdIndex first_seen_;  // id hash -> where first seen (index into files_, line)
};

// ReadDataset, failing with InvalidArgument when there is any problem; the
// message lists the problems one per line (at most 20, then "... and N more").
Result<Dataset> LoadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy);

// The canonical JSONL line for a prompt (the format ReadDataset reads): compact
// JSON (no newline at the end), keys in the order id, text|turns, category,
// intent, persona, locale, tags, parent_id, techniques, system, canary, tools,
// group, pair_id, expect. `text` is written for a prompt of exactly one user
// turn, `turns` otherwise (a turn: role, content, then tool_calls and
// tool_call_id when set); optional fields only when set (non-empty, true).
// tools_json and tool call arguments are embedded as JSON (text that does not
// parse as JSON is written as a string). Invalid UTF-8 in a string is written
// as U+FFFD. `origin` is not written.
std::string PromptToJsonLine(const Prompt& prompt);

// Checks one line of a dataset file (the JSONL line without its newline) the
// way ReadDataset does, except for id uniqueness, which spans lines.
// `file` and `line_number` locate the problems appended to *problems and set
// prompt->origin ("file:line"). *prompt is reset first. Returns true when the
// line has no problem; otherwise returns false and *prompt is filled only in
// part, but prompt->id is set whenever the line has a non-empty string id (so
// callers can still check uniqueness). REQUIRES: prompt and problems are not null.
bool ParsePromptLine(std::string_view line, const std::string& file, int line_number,
                     const Taxonomy& taxonomy, Prompt* prompt,
                     std::vector<DatasetProblem>* problems);

// The problems one per line (ToString), at most `max_shown` of them, then
// "... and N more problems" when some were left out. No newline at the end.
std::string FormatProblems(const std::vector<DatasetProblem>& problems, size_t max_shown = 20);

}  // namespace safeval
