// PromptExporter and ExportDataset: prompts to CSV or canonical JSONL.
#include "dataset/exporters.h"

#include <nlohmann/json.hpp>

#include "core/spreadsheet_cell.h"
#include "dataset/atomic_output_file.h"
#include "dataset/dataset.h"

namespace safeval {
namespace {

constexpr char kCsvHeader[] =
    "id,text,category,intent,persona,locale,tags,techniques,parent_id,turns";

// RFC 4180: quoted only when it has to be, a quote inside written twice; guarded against
// spreadsheet formulas first (core/spreadsheet_cell.h).
std::string CsvField(std::string_view raw) {
  std::string value = GuardSpreadsheetCell(raw);
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Result<std::string> JoinList(const Prompt& prompt, const char* field,
                             const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (item.find(';') != std::string::npos) {
      std::string where = prompt.origin.empty() ? "" : prompt.origin + ": ";
      return Status::InvalidArgument(where + "prompt '" + prompt.id + "': " + field + " '" + item +
                                     "' contains ';', which CSV export uses to join them "
                                     "(export as jsonl instead)");
    }
    out += (out.empty() ? "" : ";") + item;
  }
  return out;
}

std::string TurnsJson(const std::vector<Turn>& turns) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Turn& turn : turns) out.push_back({{"role", turn.role}, {"content", turn.content}});
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// The first agent field (docs/datasets.md) the prompt sets, or nullptr: CSV has no column for
// them, and dropping them silently would change what the prompt tests.
const char* AgentField(const Prompt& prompt) {
  if (!prompt.system.empty()) return "system";
  if (!prompt.canary.empty()) return "canary";
  if (!prompt.tools_json.empty()) return "tools";
  if (!prompt.group.empty()) return "group";
  if (!prompt.pair_id.empty()) return "pair_id";
  if (!prompt.expect.empty()) return "expect";
  for (const Turn& turn : prompt.turns) {
    if (!turn.tool_calls.empty()) return "tool_calls";
    if (!turn.tool_call_id.empty()) return "tool_call_id";
  }
  return nullptr;
}

bool IsSingleText(const Prompt& prompt) {
  return prompt.turns.size() == 1 && prompt.turns[0].role == "user";
}

}  // namespace

std::string_view Name(ExportFormat format) {
  return format == ExportFormat::kCsv ? "csv" : "jsonl";
}

std::optional<ExportFormat> ParseExportFormat(std::string_view text) {
  if (text == "csv") return ExportFormat::kCsv;
  if (text == "jsonl") return ExportFormat::kJsonl;
  return std::nullopt;
}

PromptExporter::PromptExporter(std::ostream& out, ExportFormat format)
    : out_(out), format_(format) {
  if (format_ == ExportFormat::kCsv) out_ << kCsvHeader << '\n';
}

Status PromptExporter::Write(const Prompt& prompt) {
  if (format_ == ExportFormat::kJsonl) {
    out_ << PromptToJsonLine(prompt) << '\n';
    return Status::Ok();
  }
  if (const char* field = AgentField(prompt)) {
    std::string where = prompt.origin.empty() ? "" : prompt.origin + ": ";
    return Status::InvalidArgument(where + "prompt '" + prompt.id + "' has '" + field +
                                   "', which CSV export has no column for (export as jsonl "
                                   "instead)");
  }
  SV_ASSIGN_OR_RETURN(std::string tags, JoinList(prompt, "tag", prompt.tags));
  SV_ASSIGN_OR_RETURN(std::string techniques, JoinList(prompt, "technique", prompt.techniques));
  bool single = IsSingleText(prompt);
  std::string persona = prompt.persona ? std::string(Name(*prompt.persona)) : "";
  out_ << CsvField(prompt.id) << ',' << CsvField(single ? prompt.turns[0].content : "") << ','
       << CsvField(prompt.category.str()) << ',' << Name(prompt.intent) << ',' << persona << ','
       << CsvField(prompt.locale) << ',' << CsvField(tags) << ',' << CsvField(techniques) << ','
       << CsvField(prompt.parent_id) << ',' << CsvField(single ? "" : TurnsJson(prompt.turns))
       << '\n';
  return Status::Ok();
}

Result<size_t> ExportDataset(const std::vector<std::string>& paths, const Taxonomy& taxonomy,
                             ExportFormat format, const std::string& out) {
  SV_ASSIGN_OR_RETURN(Dataset dataset, LoadDataset(paths, taxonomy));
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(out));
  PromptExporter exporter(file->stream(), format);
  for (const Prompt& prompt : dataset.prompts) SV_RETURN_IF_ERROR(exporter.Write(prompt));
  SV_RETURN_IF_ERROR(file->Commit());
  return dataset.prompts.size();
}

}  // namespace safeval
