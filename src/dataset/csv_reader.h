// A streaming RFC 4180 CSV reader, the front end of the dataset importers.
//
// Accepted input: fields separated by ','; records ended by LF or CRLF (the last
// one may have no line ending); fields optionally enclosed in '"', where a quote
// is written '""' and commas, CR and LF are kept as data; a UTF-8 byte order mark
// at the start is dropped. A physical line with nothing on it between records is
// skipped (as Python's csv.DictReader does), so trailing blank lines are harmless.
// Every record must have as many fields as the first one (the header).
//
// Failure: the first malformed construct stops the read with an InvalidArgument
// Status naming the file, the physical line and, where it helps, the byte column:
//   "data.csv:7: unexpected 'x' after a closing quote at byte column 12 (expected ',' or
//    the end of the line)"
// Problems caught: invalid UTF-8, an unterminated quoted field (with the line it
// opened on), a quote inside an unquoted field, a character after a closing
// quote, a record with the wrong number of fields, a record over the size budget.
// After an error the reader stays failed: Next() keeps returning that error.
//
// Memory: one record at a time (plus a 64 KiB read buffer), capped by
// CsvOptions::max_record_bytes. Not thread-safe; one reader per stream.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace safeval {

struct CsvOptions {
  // A record (all of its physical lines) longer than this fails the read, so an
  // unterminated quote early in a large file cannot pull the whole file into memory.
  size_t max_record_bytes = size_t{16} << 20;  // 16 MiB
};

struct CsvRecord {
  int line = 0;  // the physical line (1-based) where the record starts
  std::vector<std::string> fields;
};

// The header row: column names (trimmed of spaces and tabs) and their positions.
class CsvColumns {
 public:
  CsvColumns() = default;
  CsvColumns(std::string origin, std::vector<std::string> names)
      : origin_(std::move(origin)), names_(std::move(names)) {}

  const std::vector<std::string>& names() const { return names_; }
  // The position of column `name`, or nullopt. Exact, case-sensitive match.
  std::optional<size_t> Find(std::string_view name) const;
  // The position of each of `names`, in that order. Fails (InvalidArgument) when
  // any is missing: "f.csv:1: missing column 'hazard' (the header has: a, b, c)".
  Result<std::vector<size_t>> Require(const std::vector<std::string_view>& names) const;

 private:
  std::string origin_;
  std::vector<std::string> names_;
};

class CsvReader {
 public:
  // Reads from `in`, which must outlive the reader. `origin` (a file name)
  // starts every error message.
  CsvReader(std::istream& in, std::string origin, CsvOptions options = {});
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the first record as the header. Fails on malformed CSV, on empty
  // input ("f.csv: empty file: expected a header row") and on a column name
  // that appears twice. REQUIRES: called once, before Next().
  Result<CsvColumns> ReadHeader();

  // Reads the next record into *record. Returns true when one was read, false
  // at the end of the input, or the error that stopped the read.
  Result<bool> Next(CsvRecord* record);

  const std::string& origin() const { return origin_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };

  Result<bool> ReadRecord(CsvRecord* record);
  Status ParseLine(std::string_view line, size_t column_base, CsvRecord* record);
  Result<bool> ReadPhysicalLine();
  Status Fail(int line, const std::string& message);

  std::istream& in_;
  std::string origin_;
  CsvOptions options_;
  Status error_;              // sticky: once failed, always failed
  std::vector<char> buffer_;  // read buffer over in_
  size_t buffer_pos_ = 0;
  size_t buffer_end_ = 0;
  std::string line_;            // the current physical line, without '\n'
  int line_number_ = 0;         // of line_
  size_t expected_fields_ = 0;  // 0 until the first record is read
  // Parser state carried across the physical lines of one record.
  State state_ = State::kFieldStart;
  std::string field_;
  int quote_line_ = 0;  // where the open quoted field started
  size_t quote_column_ = 0;
};

}  // namespace safeval
