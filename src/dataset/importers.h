// Importers: prompts from other datasets' files, turned into safeval's dataset
// JSONL (FORMATS.md) with categories mapped onto the taxonomy.
//
// Formats (the columns each one reads are listed in README.md's "Importing"):
//   ailuminate  MLCommons AILuminate prompt CSV: the hazard code gives the category
//               (vcr … spc/spc_hlt, sxc/sxc_prn), intent harmful.
//   xstest      XSTest CSV: label safe|unsafe gives the intent; privacy types map to
//               prv, discrimination types to hte (hte/discrimination when the taxonomy
//               has it); other types take --default-category.
//   harmbench   HarmBench behaviours CSV: SemanticCategory gives the category (table in
//               harmbench_importer.cc), intent harmful; a ContextString goes before the
//               behaviour, separated by a blank line.
//   csv, jsonl  any table or JSON-lines file, with columns (keys) mapped onto prompt
//               fields by FieldMapping.
//
// What fails and what is skipped: a malformed file (CSV syntax, a missing column,
// a line that is not a JSON object) or bad options stop the import with an
// InvalidArgument Status naming the file and line. A well-formed row that cannot
// become a valid prompt (an unknown hazard code, an unmapped type, an empty text,
// a category the taxonomy lacks, a duplicate id, ...) is skipped and counted in
// the ImportReport by reason; with ImportOptions::strict any skipped row is an
// error instead. An import that reads rows but keeps none is always an error.
//
// Every prompt is checked with ParsePromptLine, the dataset loader's own rules, so
// whatever an import writes loads with ReadDataset. Rows stream from source to
// sink one at a time: memory holds one row plus the set of ids seen.
// All functions are safe to call from several threads on different files.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/category_path.h"
#include "core/intent.h"
#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

enum class ImportFormat { kAiluminate, kXstest, kHarmbench, kCsv, kJsonl };
// "ailuminate" | "xstest" | "harmbench" | "csv" | "jsonl"
std::string_view Name(ImportFormat format);
std::optional<ImportFormat> ParseImportFormat(std::string_view text);

// The prompt fields a csv or jsonl column can be mapped onto. `turns` takes a
// JSON array of {role, content} (as `safeval dataset export --format csv` writes
// it); `tags` and `techniques` take a ';'-separated list (or, in jsonl, an array).
enum class PromptField {
  kId,
  kText,
  kTurns,
  kCategory,
  kIntent,
  kPersona,
  kLocale,
  kTags,
  kTechniques,
  kParentId
};
// "id" | "text" | "turns" | "category" | "intent" | "persona" | "locale" | "tags" |
// "techniques" | "parent_id"
std::string_view Name(PromptField field);
std::optional<PromptField> ParsePromptField(std::string_view text);

// `--map COLUMN=FIELD`: source column (jsonl: top-level key) → prompt field.
struct FieldMapping {
  std::string column;
  PromptField field = PromptField::kText;
};
// Parses "COLUMN=FIELD" (split at the last '='). Fails naming the known fields.
Result<FieldMapping> ParseFieldMapping(std::string_view spec);

struct ImportOptions {
  ImportFormat format = ImportFormat::kCsv;
  // csv and jsonl only (an error for the other formats); each field at most once;
  // `text` or `turns` is required. An empty cell counts as absent. Without an id
  // column, or for an empty id, ids are "<source file stem>-<data row number>".
  std::vector<FieldMapping> mappings;
  // The intent of rows that give none: for csv and jsonl when no intent column is
  // mapped or its cell is empty; for ailuminate and harmbench it replaces their
  // default, harmful. Not accepted for xstest, whose labels give the intent.
  std::optional<Intent> default_intent;
  // The category of rows the format cannot place: xstest and harmbench rows of an
  // unmapped type (without it they are skipped), csv and jsonl rows with no
  // category. Must exist in the taxonomy. Not accepted for ailuminate.
  std::optional<CategoryPath> default_category;
  // Any skipped row fails the import (after reading all rows, so that every
  // such row is reported).
  bool strict = false;
};

// Rows skipped for one reason, e.g. "unknown hazard code 'xyz'".
struct SkipGroup {
  static constexpr size_t kMaxLines = 5;
  std::string reason;
  int count = 0;
  std::vector<int> first_lines;  // the first kMaxLines source lines, ascending
};

struct ImportReport {
  int rows_read = 0;  // data rows (records after the header; non-blank jsonl lines)
  int imported = 0;
  std::vector<SkipGroup> skipped;  // by reason, in the order each reason first occurred

  int SkippedCount() const;
  void AddSkip(const std::string& reason, int line);
};

// The summary an import prints:
//   "data.csv: read 10 rows, imported 7 into out.jsonl, skipped 3:"
//   "  2 × unknown hazard code 'xyz' (lines 4, 9)"
// At most 20 reasons are listed, then "  ... and N more reasons". No trailing newline.
std::string FormatImportReport(const ImportReport& report, const std::string& source,
                               const std::string& out);

// Receives each imported prompt, validated and in source order; a non-ok Status
// stops the import and is returned.
using PromptSink = std::function<Status(const Prompt& prompt)>;

// Reads `in` in `options.format`; `source` (a path) names it in messages and
// gives the stem of generated ids. Validates the options against `taxonomy` first.
Result<ImportReport> ImportPrompts(std::istream& in, const std::string& source,
                                   const ImportOptions& options, const Taxonomy& taxonomy,
                                   const PromptSink& sink);

// ImportPrompts from the file `source` into the dataset JSONL file `out`, one
// canonical line (PromptToJsonLine) per prompt. `out` is written as out.tmp and
// renamed on success only: after a failure `out` is as it was before.
Result<ImportReport> ImportFile(const std::string& source, const std::string& out,
                                const ImportOptions& options, const Taxonomy& taxonomy);

// The taxonomy for `--taxonomy SPEC` (Taxonomy::Resolve against the current
// folder); an empty spec means builtin:safeval-v1, or builtin:ailuminate-v1 when
// this build has no safeval-v1.
Result<Taxonomy> ResolveImportTaxonomy(const std::string& spec);

}  // namespace safeval
