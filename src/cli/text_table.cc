#include "cli/text_table.h"
#include "core/terminal_text.h"

#include <algorithm>

namespace safeval {

size_t TextWidth(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  }));
}

void TextTable::AlignLeft(size_t column) {
  if (left_.size() <= column) left_.resize(column + 1, false);
  left_[column] = true;
}

std::string TextTable::Render(const std::string& indent) const {
  // Cells hold names and ids from user files: control characters are shown, not obeyed.
  std::vector<std::vector<std::string>> rows = rows_;
  for (auto& row : rows) {
    for (std::string& cell : row) cell = TerminalText(cell);
  }
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], TextWidth(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      std::string pad(widths[i] - TextWidth(row[i]), ' ');
      bool left = i == 0 || (i < left_.size() && left_[i]);
      if (i > 0) line += "  ";
      line += left ? row[i] + pad : pad + row[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace safeval
