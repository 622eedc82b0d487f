// The import driver: options check, the CSV and JSONL read loops, validation of
// each converted row with the dataset loader's rules, and the atomic output file.
#include "dataset/importers.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <utility>

#include "core/utf8.h"
#include "dataset/atomic_output_file.h"
#include "dataset/csv_reader.h"
#include "dataset/dataset.h"
#include "dataset/import_formats.h"

namespace safeval {
namespace {

constexpr std::pair<ImportFormat, std::string_view> kFormatNames[] = {
    {ImportFormat::kAiluminate, "ailuminate"},
    {ImportFormat::kXstest, "xstest"},
    {ImportFormat::kHarmbench, "harmbench"},
    {ImportFormat::kCsv, "csv"},
    {ImportFormat::kJsonl, "jsonl"}};
constexpr std::pair<PromptField, std::string_view> kFieldNames[] = {
    {PromptField::kId, "id"},
    {PromptField::kText, "text"},
    {PromptField::kTurns, "turns"},
    {PromptField::kCategory, "category"},
    {PromptField::kIntent, "intent"},
    {PromptField::kPersona, "persona"},
    {PromptField::kLocale, "locale"},
    {PromptField::kTags, "tags"},
    {PromptField::kTechniques, "techniques"},
    {PromptField::kParentId, "parent_id"}};
constexpr char kFieldList[] =
    "id, text, turns, category, intent, persona, locale, tags, techniques, parent_id";
constexpr size_t kMaxRowsListed = 20;

std::string Rows(int n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }

bool IsMapped(ImportFormat format) {
  return format == ImportFormat::kCsv || format == ImportFormat::kJsonl;
}

const FieldMapping* FindMapping(const ImportOptions& options, PromptField field) {
  for (const FieldMapping& mapping : options.mappings) {
    if (mapping.field == field) return &mapping;
  }
  return nullptr;
}

Status CheckMappings(const ImportOptions& options) {
  for (size_t i = 0; i < options.mappings.size(); ++i) {
    const FieldMapping& mapping = options.mappings[i];
    const FieldMapping* first = FindMapping(options, mapping.field);
    if (first != &mapping) {
      return Status::InvalidArgument("field '" + std::string(Name(mapping.field)) +
                                     "' is mapped twice (columns '" + first->column + "' and '" +
                                     mapping.column + "')");
    }
  }
  if (!FindMapping(options, PromptField::kText) && !FindMapping(options, PromptField::kTurns)) {
    return Status::InvalidArgument(
        "no column is mapped to the prompt text: give --map COLUMN=text");
  }
  if (!FindMapping(options, PromptField::kIntent) && !options.default_intent) {
    return Status::InvalidArgument(
        "no column is mapped to 'intent': give --map COLUMN=intent or --default-intent");
  }
  if (!FindMapping(options, PromptField::kCategory) && !options.default_category) {
    return Status::InvalidArgument(
        "no column is mapped to 'category': give --map COLUMN=category or --default-category");
  }
  return Status::Ok();
}

// The flags each format accepts; a flag that would be ignored is an error.
Status CheckOptions(const ImportOptions& options, const Taxonomy& taxonomy) {
  std::string format(Name(options.format));
  if (!IsMapped(options.format) && !options.mappings.empty()) {
    return Status::InvalidArgument("--map applies to --format csv and jsonl, not " + format);
  }
  if (options.format == ImportFormat::kXstest && options.default_intent) {
    return Status::InvalidArgument(
        "--default-intent does not apply to --format xstest (its labels give the intent)");
  }
  if (options.format == ImportFormat::kAiluminate && options.default_category) {
    return Status::InvalidArgument(
        "--default-category does not apply to --format ailuminate (every hazard code is a "
        "category)");
  }
  if (options.default_category && !taxonomy.Find(*options.default_category)) {
    return Status::InvalidArgument("--default-category '" + options.default_category->str() +
                                   "' is not in taxonomy '" + taxonomy.id() + "'");
  }
  return IsMapped(options.format) ? CheckMappings(options) : Status::Ok();
}

// Validates converted rows, keeps ids unique, counts, and passes prompts on.
class ImportRun {
 public:
  ImportRun(const std::string& source, const ImportOptions& options, const Taxonomy& taxonomy,
            const PromptSink& sink)
      : source_(source), options_(options), taxonomy_(taxonomy), sink_(sink) {}

  Status Accept(const RowResult& result, int line) {
    ++report_.rows_read;
    if (!result.skip_reason.empty()) return Skip(result.skip_reason, line);
    Prompt prompt;
    std::vector<DatasetProblem> problems;
    if (!ParsePromptLine(result.json_line, source_, line, taxonomy_, &prompt, &problems)) {
      return Skip(ReasonOf(problems), line);
    }
    auto [it, inserted] = first_line_of_id_.try_emplace(prompt.id, line);
    if (!inserted) {
      return Skip(
          "duplicate id '" + prompt.id + "' (first at line " + std::to_string(it->second) + ")",
          line);
    }
    ++report_.imported;
    return sink_(prompt);
  }

  Result<ImportReport> Finish() && {
    if (options_.strict && !report_.skipped.empty()) {
      return Status::InvalidArgument(
          source_ + ": " + Rows(report_.SkippedCount()) +
          " cannot be imported (with --strict every skipped row is an error):\n" +
          ListSkippedRows());
    }
    if (report_.rows_read > 0 && report_.imported == 0) {
      return Status::InvalidArgument(source_ + ": no row could be imported (" +
                                     Rows(report_.rows_read) + " read):\n" + ListSkippedRows());
    }
    return std::move(report_);
  }

 private:
  Status Skip(const std::string& reason, int line) {
    report_.AddSkip(reason, line);
    return Status::Ok();
  }

  // The problems of one row as one reason. For csv and jsonl each field names the
  // column it came from, since that is what the user can find in the source.
  std::string ReasonOf(const std::vector<DatasetProblem>& problems) const {
    std::string reason;
    for (const DatasetProblem& problem : problems) {
      if (!reason.empty()) reason += "; ";
      if (!problem.field.empty()) {
        reason += "field '" + problem.field + "'" + ColumnOf(problem.field) + ": ";
      }
      reason += problem.message;
    }
    return reason;
  }

  std::string ColumnOf(const std::string& field) const {
    if (!IsMapped(options_.format)) return "";
    std::string head = field.substr(0, field.find_first_of("[."));
    for (const FieldMapping& mapping : options_.mappings) {
      if (Name(mapping.field) == head) return " (column '" + mapping.column + "')";
    }
    return "";
  }

  // "source:line: reason" for the first skipped rows, in line order.
  std::string ListSkippedRows() const {
    std::vector<std::pair<int, const std::string*>> rows;
    for (const SkipGroup& group : report_.skipped) {
      for (int line : group.first_lines) rows.emplace_back(line, &group.reason);
    }
    std::sort(rows.begin(), rows.end());
    std::string out;
    for (size_t i = 0; i < rows.size() && i < kMaxRowsListed; ++i) {
      out += (i > 0 ? "\n" : "") + source_ + ":" + std::to_string(rows[i].first) + ": " +
             *rows[i].second;
    }
    size_t listed = std::min(rows.size(), kMaxRowsListed);
    size_t total = static_cast<size_t>(report_.SkippedCount());
    if (total > listed) out += "\n... and " + Rows(static_cast<int>(total - listed)) + " more";
    return out;
  }

  const std::string& source_;
  const ImportOptions& options_;
  const Taxonomy& taxonomy_;
  const PromptSink& sink_;
  ImportReport report_;
  std::unordered_map<std::string, int> first_line_of_id_;
};

Result<std::unique_ptr<CsvRowConverter>> MakeConverter(const CsvColumns& columns,
                                                       const ImportContext& context) {
  switch (context.options.format) {
    case ImportFormat::kAiluminate:
      return MakeAiluminateConverter(columns, context);
    case ImportFormat::kXstest:
      return MakeXstestConverter(columns, context);
    case ImportFormat::kHarmbench:
      return MakeHarmbenchConverter(columns, context);
    default:
      return MakeMappedCsvConverter(columns, context);
  }
}

Status ReadCsv(std::istream& in, const std::string& source, const ImportContext& context,
               ImportRun* run) {
  CsvReader reader(in, source);
  SV_ASSIGN_OR_RETURN(CsvColumns columns, reader.ReadHeader());
  SV_ASSIGN_OR_RETURN(std::unique_ptr<CsvRowConverter> converter, MakeConverter(columns, context));
  CsvRecord record;
  for (int row = 1;; ++row) {
    SV_ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) return Status::Ok();
    SV_RETURN_IF_ERROR(run->Accept(converter->Convert(record, row), record.line));
  }
}

Status ReadJsonl(std::istream& in, const std::string& source, const ImportContext& context,
                 ImportRun* run) {
  std::string line;
  int row = 0;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    size_t bad = 0;
    if (!IsValidUtf8(line, &bad)) {
      return Status::InvalidArgument(source + ":" + std::to_string(number) +
                                     ": invalid UTF-8 at byte column " + std::to_string(bad + 1));
    }
    SV_ASSIGN_OR_RETURN(RowResult result,
                        ConvertMappedJsonLine(line, source, number, ++row, context));
    SV_RETURN_IF_ERROR(run->Accept(result, number));
  }
  if (in.bad()) return Status::IoError(source + ": read error");
  return Status::Ok();
}

std::string SourceStem(const std::string& source) {
  std::string stem = std::filesystem::path(source).stem().string();
  return stem.empty() ? "row" : stem;
}

}  // namespace

std::string_view Name(ImportFormat format) {
  for (const auto& [value, name] : kFormatNames) {
    if (value == format) return name;
  }
  return "?";
}

std::optional<ImportFormat> ParseImportFormat(std::string_view text) {
  for (const auto& [value, name] : kFormatNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::string_view Name(PromptField field) {
  for (const auto& [value, name] : kFieldNames) {
    if (value == field) return name;
  }
  return "?";
}

std::optional<PromptField> ParsePromptField(std::string_view text) {
  for (const auto& [value, name] : kFieldNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

Result<FieldMapping> ParseFieldMapping(std::string_view spec) {
  size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::InvalidArgument("--map '" + std::string(spec) +
                                   "': expected COLUMN=FIELD, FIELD one of " + kFieldList);
  }
  std::optional<PromptField> field = ParsePromptField(spec.substr(eq + 1));
  if (!field) {
    return Status::InvalidArgument("--map '" + std::string(spec) + "': unknown field '" +
                                   std::string(spec.substr(eq + 1)) + "' (expected one of " +
                                   kFieldList + ")");
  }
  return FieldMapping{std::string(spec.substr(0, eq)), *field};
}

Result<ImportReport> ImportPrompts(std::istream& in, const std::string& source,
                                   const ImportOptions& options, const Taxonomy& taxonomy,
                                   const PromptSink& sink) {
  SV_RETURN_IF_ERROR(CheckOptions(options, taxonomy));
  ImportContext context{options, taxonomy, SourceStem(source)};
  ImportRun run(source, options, taxonomy, sink);
  if (options.format == ImportFormat::kJsonl) {
    SV_RETURN_IF_ERROR(ReadJsonl(in, source, context, &run));
  } else {
    SV_RETURN_IF_ERROR(ReadCsv(in, source, context, &run));
  }
  return std::move(run).Finish();
}

Result<ImportReport> ImportFile(const std::string& source, const std::string& out,
                                const ImportOptions& options, const Taxonomy& taxonomy) {
  std::error_code ec;
  if (!std::filesystem::exists(source, ec)) return Status::NotFound(source + ": no such file");
  if (std::filesystem::is_directory(source, ec)) {
    return Status::InvalidArgument(source + ": is a folder, expected a file");
  }
  std::ifstream in(source, std::ios::binary);
  if (!in) return Status::IoError(source + ": cannot open for reading");
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(out));
  PromptSink sink = [&file](const Prompt& prompt) {
    file->stream() << PromptToJsonLine(prompt) << '\n';
    return file->stream() ? Status::Ok() : Status::IoError("cannot write '" + file->path() + "'");
  };
  SV_ASSIGN_OR_RETURN(ImportReport report, ImportPrompts(in, source, options, taxonomy, sink));
  SV_RETURN_IF_ERROR(file->Commit());
  return report;
}

Result<Taxonomy> ResolveImportTaxonomy(const std::string& spec) {
  if (!spec.empty()) return Taxonomy::Resolve(spec, "");
  Result<Taxonomy> safeval_v1 = Taxonomy::Resolve("builtin:safeval-v1", "");
  if (safeval_v1.ok()) return safeval_v1;
  return Taxonomy::Resolve("builtin:ailuminate-v1", "");
}

}  // namespace safeval
