// Internal to the importers (importers.cc and the *_importer.cc files): the
// per-format step that turns one source row into a dataset line. Validation,
// id uniqueness, counting and writing are shared and live in importers.cc.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/category_path.h"
#include "core/status.h"
#include "dataset/csv_reader.h"
#include "dataset/importers.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// What a row becomes: a dataset JSONL line (not yet validated), or the reason
// it is skipped. Exactly one of the two is non-empty.
struct RowResult {
  std::string json_line;
  std::string skip_reason;

  static RowResult Line(std::string line) { return {std::move(line), ""}; }
  static RowResult Skip(std::string reason) { return {"", std::move(reason)}; }
};

// What every converter may need besides the row. Converters keep a reference to
// it, so it must outlive them.
struct ImportContext {
  const ImportOptions& options;
  const Taxonomy& taxonomy;
  std::string source_stem;  // for generated ids: "<stem>-<row>"
};

// Converts the data rows of one CSV file; made once the header is known.
class CsvRowConverter {
 public:
  virtual ~CsvRowConverter() = default;
  // `row` counts data rows from 1 (the header is not a row).
  virtual RowResult Convert(const CsvRecord& record, int row) = 0;
};

// Each fails (InvalidArgument) when a column it needs is missing from the header.
Result<std::unique_ptr<CsvRowConverter>> MakeAiluminateConverter(const CsvColumns& columns,
                                                                 const ImportContext& context);
Result<std::unique_ptr<CsvRowConverter>> MakeXstestConverter(const CsvColumns& columns,
                                                             const ImportContext& context);
Result<std::unique_ptr<CsvRowConverter>> MakeHarmbenchConverter(const CsvColumns& columns,
                                                                const ImportContext& context);
// --format csv: ImportOptions::mappings over the header's columns.
Result<std::unique_ptr<CsvRowConverter>> MakeMappedCsvConverter(const CsvColumns& columns,
                                                                const ImportContext& context);

// --format jsonl: one line (valid UTF-8, not blank) through ImportOptions::mappings.
// Fails with "file:line: ..." when the line is not a JSON object: that is a
// malformed file, not a row to skip.
Result<RowResult> ConvertMappedJsonLine(std::string_view line, const std::string& source,
                                        int line_number, int row, const ImportContext& context);

// The first of `candidates` that `taxonomy` has, else the last candidate, so
// the row is then skipped as "unknown category" naming the most general path.
// Lets one table serve taxonomies of different depth (ncr/cyber vs ncr).
// REQUIRES: !candidates.empty().
CategoryPath FirstKnownCategory(const Taxonomy& taxonomy,
                                const std::vector<std::string_view>& candidates);

// "en_us", "en-US", "EN_us" → "en_US"; a 4-letter script becomes title case
// ("zh-hant-tw" → "zh_Hant_TW"). Other subtags are kept; "" stays "".
std::string NormalizeLocale(std::string_view locale);

// `text` without spaces and tabs at either end.
std::string Trim(std::string_view text);

// Lower-cased ASCII, with spaces and tabs trimmed at both ends: how codes and
// labels in source files are compared.
std::string NormalizeCode(std::string_view text);

}  // namespace safeval
