#include "core/spreadsheet_cell.h"

namespace safeval {

bool NeedsSpreadsheetGuard(std::string_view cell) {
  if (cell.empty()) return false;
  switch (cell.front()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case '\'':
      return true;
    default:
      return false;
  }
}

std::string GuardSpreadsheetCell(std::string_view cell) {
  if (!NeedsSpreadsheetGuard(cell)) return std::string(cell);
  std::string out = "'";
  out += cell;
  return out;
}

std::string_view UnguardSpreadsheetCell(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '\'' && NeedsSpreadsheetGuard(cell.substr(1))) {
    cell.remove_prefix(1);
  }
  return cell;
}

}  // namespace safeval
