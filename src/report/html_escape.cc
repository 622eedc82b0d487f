#include "core/utf8.h"
#include "report/html_parts.h"
#include "report/item_kind.h"
#include "report/report.h"

namespace safeval {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlText(std::string_view text) { return HtmlEscape(SanitizeUtf8(text)); }

std::string HtmlExcerpt(std::string_view text, size_t max_chars) {
  size_t chars = 0, cut = text.size();
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == max_chars) {
      cut = i;
      break;
    }
    ++chars;
  }
  if (cut == text.size()) return HtmlText(text);
  int64_t rest = 0;
  for (size_t i = cut; i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++rest;
  return HtmlText(text.substr(0, cut)) + "<span class=\"more\">\u2026 " + WithThousands(rest) +
         " more characters</span>";
}

}  // namespace safeval
