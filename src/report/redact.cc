// --redact N: reports that circulate widely show only the start of harmful responses.
#include <algorithm>
#include <string>

#include "report/item_kind.h"
#include "report/report.h"

namespace safeval {
namespace {

bool IsLeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// The byte offset where the (max_chars + 1)-th code point starts (text.size() if none).
size_t CutOffset(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsLeadByte(text[i])) continue;
    if (chars == max_chars) return i;
    ++chars;
  }
  return text.size();
}

size_t CodePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), IsLeadByte));
}

}  // namespace

bool RedactHarmfulResponse(size_t max_chars, ReportItem* item) {
  if (!IsHarmfulResponse(*item)) return false;
  size_t cut = CutOffset(item->response, max_chars);
  if (cut == item->response.size()) return false;
  size_t dropped = CodePoints(std::string_view(item->response).substr(cut));
  item->response.resize(cut);
  item->response += "[redacted: " + std::to_string(dropped) + " more characters]";
  // A span reaching past the cut would quote or mark redacted (or placeholder) text.
  for (Verdict& v : item->verdicts) {
    std::erase_if(v.evidence, [cut](const Evidence& e) { return e.end > cut; });
  }
  return true;
}

void RedactHarmfulResponses(size_t max_chars, ReportData* data) {
  for (ReportItem& item : data->items) RedactHarmfulResponse(max_chars, &item);
  data->redacted_to = max_chars;
}

}  // namespace safeval
