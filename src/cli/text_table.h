// Plain-text tables for terminal output: columns padded to the widest cell
// (counted in UTF-8 code points, so "8.1–18.7" is 8 wide), the first column
// left-aligned and the others right-aligned unless set otherwise, two spaces
// between columns, no trailing spaces.
#pragma once

#include <string>
#include <vector>

namespace safeval {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : rows_{std::move(header)} {}

  // Left-aligns column `column` (0-based). The first column always is.
  void AlignLeft(size_t column);
  // REQUIRES: cells.size() == header size.
  void AddRow(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  // The header and rows, each line prefixed by `indent` and ended by '\n'.
  std::string Render(const std::string& indent = "") const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::vector<bool> left_;
};

// The number of UTF-8 code points in `text` (its width on a terminal for the
// text safeval prints: no wide or combining characters).
size_t TextWidth(const std::string& text);

}  // namespace safeval
