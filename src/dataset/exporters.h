// Export: datasets written out as CSV (for spreadsheets and other tools) or as
// canonical JSONL (several files merged, normalised).
//
// CSV columns, in order: id,text,category,intent,persona,locale,tags,techniques,
// parent_id,turns. A prompt of one user turn has `text`; any other (multi-turn)
// prompt has an empty `text` and its turns as a JSON array of {role, content} in
// `turns`. tags and techniques are joined with ';'. A field starting with = + - @
// TAB CR or ' gets a ' in front, so that a spreadsheet shows it as text instead of
// running it as a formula (GuardSpreadsheetCell, core/spreadsheet_cell.h). Fields are
// then quoted when they hold a comma, a quote, CR or LF (RFC 4180); records end with LF.
// Importing the file with `--format csv` and one `--map C=C` per column gives the same
// prompts (the csv importer removes the guard).
//
// Thread-safety: a PromptExporter is used by one thread; ExportDataset is safe
// to call from several threads on different outputs.
#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

enum class ExportFormat { kCsv, kJsonl };
std::string_view Name(ExportFormat format);  // "csv" | "jsonl"
std::optional<ExportFormat> ParseExportFormat(std::string_view text);

// Writes prompts to a stream one at a time.
class PromptExporter {
 public:
  // `out` must outlive the exporter. For CSV the header row is written at once.
  PromptExporter(std::ostream& out, ExportFormat format);

  // Appends one prompt. Fails (InvalidArgument, naming the prompt's origin and
  // id) when a CSV tag or technique contains ';', which would not survive the
  // round trip. Stream errors are left in the stream for the caller to check.
  Status Write(const Prompt& prompt);

 private:
  std::ostream& out_;
  ExportFormat format_;
};

// Loads the dataset files or folders `paths` as ReadDataset does (every problem
// is reported, InvalidArgument) and writes its prompts to `out` in `format`.
// `out` is written as out.tmp and renamed when complete, so a failure leaves
// `out` as it was. Returns the number of prompts written.
Result<size_t> ExportDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy,
                             ExportFormat format, const std::string& out);

}  // namespace safeval
