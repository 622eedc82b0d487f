// --format csv and --format jsonl: source columns (keys) mapped onto prompt
// fields by --map. The row becomes a JSON object in the dataset format, which
// the shared validation then checks field by field like any dataset line.
#include <nlohmann/json.hpp>

#include "core/json_depth.h"
#include "core/spreadsheet_cell.h"
#include "dataset/import_formats.h"

namespace safeval {
namespace {

using nlohmann::json;

// nlohmann's what() reads "[json.exception.parse_error.101] parse error at line 1, column 5:
// ..."; the tag means nothing to users and "line 1" is relative to the JSON text, not the
// file, so both go (as in the dataset loader's messages).
std::string JsonErrorMessage(const std::string& what) {
  std::string message = what;
  size_t end = message.rfind("[json.exception.", 0) == 0 ? message.find("] ") : std::string::npos;
  if (end != std::string::npos) message.erase(0, end + 2);
  size_t at = message.find("at line 1, column");
  if (at != std::string::npos) message.erase(at + 3, sizeof("line 1, ") - 1);
  return message;
}

json SplitList(std::string_view text) {
  json out = json::array();
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    std::string item = Trim(text.substr(start, end - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

bool IsList(PromptField field) {
  return field == PromptField::kTags || field == PromptField::kTechniques;
}

// Sets the mapped field of *line from a source string (a CSV cell, a JSON
// string). Returns the reason to skip the row, or "" when there is none.
std::string SetFromString(const FieldMapping& mapping, const std::string& value, json* line) {
  std::string key(Name(mapping.field));
  // Text is data down to its spaces; everything else is a name or code.
  std::string text = mapping.field == PromptField::kText ? value : Trim(value);
  if (text.empty()) return "";  // an empty cell counts as absent
  if (IsList(mapping.field)) {
    (*line)[key] = SplitList(text);
  } else if (mapping.field == PromptField::kTurns) {
    if (JsonNestedDeeperThan(text)) {  // the line is written back out: see core/json_depth.h
      return "field 'turns' (column '" + mapping.column + "'): JSON nested more than " +
             std::to_string(kMaxJsonDepth) + " levels deep";
    }
    try {
      (*line)[key] = json::parse(text);
    } catch (const json::exception& e) {
      return "field 'turns' (column '" + mapping.column +
             "'): malformed JSON: " + JsonErrorMessage(e.what());
    }
  } else {
    (*line)[key] = std::move(text);
  }
  return "";
}

// Sets the mapped field from any JSON value (jsonl). Numbers and booleans in
// scalar fields become strings (ids are often numbers); arrays and objects go
// through unchanged, so validation names the wrong type.
std::string SetFromJson(const FieldMapping& mapping, const json& value, json* line) {
  if (value.is_null()) return "";
  if (value.is_string()) return SetFromString(mapping, value.get<std::string>(), line);
  bool scalar_field = !IsList(mapping.field) && mapping.field != PromptField::kTurns;
  if (scalar_field && (value.is_number() || value.is_boolean())) {
    return SetFromString(mapping, value.dump(), line);
  }
  (*line)[std::string(Name(mapping.field))] = value;
  return "";
}

// Fills what the source left out: a generated id and the default intent and category.
RowResult Finish(json line, int row, const ImportContext& context) {
  const ImportOptions& options = context.options;
  if (!line.contains("id")) line["id"] = context.source_stem + "-" + std::to_string(row);
  if (!line.contains("intent") && options.default_intent) {
    line["intent"] = std::string(Name(*options.default_intent));
  }
  if (!line.contains("category") && options.default_category) {
    line["category"] = options.default_category->str();
  }
  return RowResult::Line(line.dump(-1, ' ', false, json::error_handler_t::replace));
}

class MappedCsvConverter : public CsvRowConverter {
 public:
  MappedCsvConverter(std::vector<size_t> positions, const ImportContext& context)
      : positions_(std::move(positions)), context_(context) {}

  RowResult Convert(const CsvRecord& record, int row) override {
    json line = json::object();
    const std::vector<FieldMapping>& mappings = context_.options.mappings;
    for (size_t i = 0; i < mappings.size(); ++i) {
      // Undoes the formula guard of `dataset export --format csv` (core/spreadsheet_cell.h).
      std::string cell(UnguardSpreadsheetCell(record.fields[positions_[i]]));
      std::string reason = SetFromString(mappings[i], cell, &line);
      if (!reason.empty()) return RowResult::Skip(std::move(reason));
    }
    return Finish(std::move(line), row, context_);
  }

 private:
  std::vector<size_t> positions_;  // of each mapping's column, in mapping order
  const ImportContext& context_;
};

}  // namespace

Result<std::unique_ptr<CsvRowConverter>> MakeMappedCsvConverter(const CsvColumns& columns,
                                                                const ImportContext& context) {
  std::vector<std::string_view> names;
  for (const FieldMapping& mapping : context.options.mappings) names.push_back(mapping.column);
  SV_ASSIGN_OR_RETURN(std::vector<size_t> positions, columns.Require(names));
  std::unique_ptr<CsvRowConverter> converter =
      std::make_unique<MappedCsvConverter>(std::move(positions), context);
  return converter;
}

Result<RowResult> ConvertMappedJsonLine(std::string_view text, const std::string& source,
                                        int line_number, int row, const ImportContext& context) {
  std::string where = source + ":" + std::to_string(line_number) + ": ";
  if (JsonNestedDeeperThan(text)) {  // values are copied and written back out: core/json_depth.h
    return Status::InvalidArgument(where + "JSON nested more than " +
                                   std::to_string(kMaxJsonDepth) + " levels deep");
  }
  json object;
  try {
    object = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    return Status::InvalidArgument(where + "malformed JSON: " + JsonErrorMessage(e.what()));
  }
  if (!object.is_object()) {
    return Status::InvalidArgument(where + "expected a JSON object, got " + object.type_name());
  }
  json line = json::object();
  for (const FieldMapping& mapping : context.options.mappings) {
    auto it = object.find(mapping.column);
    if (it == object.end()) continue;
    std::string reason = SetFromJson(mapping, *it, &line);
    if (!reason.empty()) return RowResult::Skip(std::move(reason));
  }
  return Finish(std::move(line), row, context);
}

}  // namespace safeval
