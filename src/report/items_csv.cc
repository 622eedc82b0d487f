// The CSV of items and verdicts (RFC 4180), for spreadsheets and ad-hoc analysis.
#include <algorithm>
#include <string>

#include "core/spreadsheet_cell.h"
#include "core/utf8.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr std::string_view kHeader =
    "id,category,intent,persona,techniques,outcome,class,violation,confidence,judge,error,"
    "response\r\n";

// Guarded against spreadsheet formulas (a ' before = + - @ TAB CR ', core/spreadsheet_cell.h),
// then quoted when it holds a comma, a quote, CR or LF (RFC 4180, 2.6–2.7); invalid UTF-8
// replaced. Appends whole runs between quotes: this loop writes every response of the run.
void AppendField(std::string_view raw, bool last, std::string* out) {
  std::string sanitized;
  std::string_view text = raw;
  if (!IsValidUtf8(raw)) text = sanitized = SanitizeUtf8(raw);
  if (NeedsSpreadsheetGuard(text)) text = sanitized = GuardSpreadsheetCell(text);
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    *out += text;
  } else {
    *out += '"';
    for (size_t quote = text.find('"'); quote != std::string_view::npos; quote = text.find('"')) {
      out->append(text.substr(0, quote + 1));
      *out += '"';
      text.remove_prefix(quote + 1);
    }
    *out += text;
    *out += '"';
  }
  *out += last ? "\r\n" : ",";
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ";") + p;
  return out;
}

std::string JudgeName(const Verdict& v) {
  return v.judge_version.empty() ? v.judge : v.judge_version;
}

void AppendRow(const ReportItem& item, const Verdict* verdict, std::string* out) {
  const Prompt& p = item.prompt;
  AppendField(p.id, false, out);
  AppendField(p.category.str(), false, out);
  AppendField(Name(p.intent), false, out);
  AppendField(p.persona ? Name(*p.persona) : "", false, out);
  AppendField(Joined(p.techniques), false, out);
  AppendField(item.pending ? "pending" : Name(item.outcome), false, out);
  AppendField(verdict ? Name(verdict->cls) : "", false, out);
  AppendField(verdict ? (verdict->violation ? "true" : "false") : "", false, out);
  AppendField(verdict ? FormatFixed(verdict->confidence, 3) : "", false, out);
  AppendField(verdict ? JudgeName(*verdict) : "", false, out);
  AppendField(item.error, false, out);
  AppendField(item.response, true, out);
}

}  // namespace

std::string_view ItemsCsvHeader() { return kHeader; }

void AppendItemCsvRows(const ReportItem& item, std::string* out) {
  if (item.verdicts.empty() || item.pending) {
    AppendRow(item, nullptr, out);
    return;
  }
  for (const Verdict& v : item.verdicts) AppendRow(item, &v, out);
}

std::string RenderItemsCsv(const ReportData& data) {
  size_t estimate = kHeader.size();
  for (const ReportItem& item : data.items)
    estimate += (item.response.size() + 160) * std::max<size_t>(1, item.verdicts.size());
  std::string out;
  out.reserve(estimate);
  out += kHeader;
  for (const ReportItem& item : data.items) AppendItemCsvRows(item, &out);
  return out;
}

}  // namespace safeval
