// Datasets: prompts in JSONL (one JSON object per line, FORMATS.md), loaded
// and validated in full against a taxonomy before anything is sent to a model.
#pragma once

#include <string>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// One problem found while validating, e.g. {"data.jsonl", 12, "intent",
// "expected one of safe, harmful, adversarial, got 'evil'"}.
struct DatasetProblem {
  std::string file;
  int line = 0;       // 1-based; 0 when it concerns the file as a whole
  std::string field;  // empty when it concerns the whole line
  std::string message;
  std::string ToString() const;  // "file:line: field 'x': message"
};

struct Dataset {
  std::vector<Prompt> prompts;     // in file order; files in the order given (a folder: by name)
  std::string content_hash;        // ContentHash over the canonical form of all prompts
};

struct DatasetLoad {
  Dataset dataset;
  std::vector<DatasetProblem> problems;  // every problem, not just the first
};

// Reads every path (a .jsonl file, or a folder whose *.jsonl files are read in
// name order) and checks each line: valid UTF-8, valid JSON object, required
// fields (id, text or turns, category, intent), known fields only (x- prefixed
// are allowed), types, category present in `taxonomy`, intent and persona
// values, ids unique across all files. Lines with problems are left out.
DatasetLoad ReadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy);

// ReadDataset, failing with InvalidArgument when there is any problem; the
// message lists the problems one per line (at most 20, then "... and N more").
Result<Dataset> LoadDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy);

// The canonical JSONL line for a prompt (the format ReadDataset reads).
std::string PromptToJsonLine(const Prompt& prompt);

}  // namespace safeval
