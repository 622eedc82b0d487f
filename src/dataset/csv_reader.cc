// CsvReader: a byte-level state machine over physical lines, so that every
// error can name the line and byte column where the input went wrong.
#include "dataset/csv_reader.h"

#include <cstring>

#include "core/utf8.h"

namespace safeval {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr size_t kBufferSize = 64 * 1024;

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// How a byte reads in a message: 'x' for printable ASCII, "byte 0xC3" otherwise.
std::string ShowByte(char c) {
  auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7F) return std::string("'") + c + "'";
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + kHex[byte >> 4] + kHex[byte & 0xF];
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

}  // namespace

std::optional<size_t> CsvColumns::Find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

Result<std::vector<size_t>> CsvColumns::Require(const std::vector<std::string_view>& names) const {
  std::vector<size_t> positions;
  std::string missing;
  int missing_count = 0;
  for (std::string_view name : names) {
    std::optional<size_t> at = Find(name);
    if (at) {
      positions.push_back(*at);
    } else {
      missing += std::string(missing.empty() ? "'" : ", '") + std::string(name) + "'";
      ++missing_count;
    }
  }
  if (missing_count == 0) return positions;
  return Status::InvalidArgument(origin_ + ":1: missing column" + (missing_count > 1 ? "s " : " ") +
                                 missing + " (the header has: " + JoinNames(names_) + ")");
}

CsvReader::CsvReader(std::istream& in, std::string origin, CsvOptions options)
    : in_(in), origin_(std::move(origin)), options_(options), buffer_(kBufferSize) {}

Status CsvReader::Fail(int line, const std::string& message) {
  error_ = Status::InvalidArgument(origin_ + ":" + std::to_string(line) + ": " + message);
  return error_;
}

Result<CsvColumns> CsvReader::ReadHeader() {
  CsvRecord header;
  SV_ASSIGN_OR_RETURN(bool found, Next(&header));
  if (!found) {
    error_ = Status::InvalidArgument(origin_ + ": empty file: expected a header row");
    return error_;
  }
  std::vector<std::string> names;
  for (const std::string& field : header.fields) {
    std::string name(Trim(field));
    for (const std::string& seen : names) {
      if (!name.empty() && seen == name) {
        return Fail(header.line, "column '" + name + "' appears twice in the header");
      }
    }
    names.push_back(std::move(name));
  }
  return CsvColumns(origin_, std::move(names));
}

Result<bool> CsvReader::Next(CsvRecord* record) {
  if (!error_.ok()) return error_;
  return ReadRecord(record);
}

// Reads physical lines until the record's last quoted field is closed.
Result<bool> CsvReader::ReadRecord(CsvRecord* record) {
  record->fields.clear();
  field_.clear();
  state_ = State::kFieldStart;
  size_t record_bytes = 0;
  bool started = false;
  while (true) {
    SV_ASSIGN_OR_RETURN(bool got_line, ReadPhysicalLine());
    if (!got_line && !started) return false;
    if (!got_line) {
      return Fail(quote_line_, "unterminated quoted field: the quote at byte column " +
                                   std::to_string(quote_column_) + " is never closed");
    }
    size_t bad = 0;
    if (!IsValidUtf8(line_, &bad)) {
      return Fail(line_number_, "invalid UTF-8 at byte column " + std::to_string(bad + 1));
    }
    std::string_view line = line_;
    size_t column_base = 0;  // bytes before `line` on the physical line
    if (line_number_ == 1 && line.starts_with(kBom)) {
      line.remove_prefix(kBom.size());
      column_base = kBom.size();
    }
    bool crlf = line.ends_with('\r');
    if (crlf) line.remove_suffix(1);
    if (!started && line.empty()) continue;  // a blank line between records
    if (!started) record->line = line_number_;
    started = true;
    record_bytes += line_.size() + 1;
    if (record_bytes > options_.max_record_bytes) {
      return Fail(record->line, "record longer than " + std::to_string(options_.max_record_bytes) +
                                    " bytes (is a quoted field left open?)");
    }
    SV_RETURN_IF_ERROR(ParseLine(line, column_base, record));
    if (state_ != State::kQuoted) break;
    field_ += crlf ? "\r\n" : "\n";  // a line break inside quotes is data
  }
  record->fields.push_back(std::move(field_));
  field_.clear();
  if (expected_fields_ == 0) expected_fields_ = record->fields.size();
  if (record->fields.size() != expected_fields_) {
    return Fail(record->line, "expected " + std::to_string(expected_fields_) +
                                  " fields (as in the header), got " +
                                  std::to_string(record->fields.size()));
  }
  return true;
}

Status CsvReader::ParseLine(std::string_view line, size_t column_base, CsvRecord* record) {
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    size_t column = column_base + i + 1;
    switch (state_) {
      case State::kFieldStart:
        if (c == '"') {
          state_ = State::kQuoted;
          quote_line_ = line_number_;
          quote_column_ = column;
          break;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted:
        if (c == '"') {
          return Fail(line_number_, "'\"' inside an unquoted field at byte column " +
                                        std::to_string(column) +
                                        " (enclose the field in quotes and write a quote in it "
                                        "as \"\")");
        }
        if (c != ',') {
          field_ += c;
          break;
        }
        record->fields.push_back(std::move(field_));
        field_.clear();
        state_ = State::kFieldStart;
        break;
      case State::kQuoted:
        if (c == '"') {
          state_ = State::kQuoteInQuoted;
        } else {
          field_ += c;
        }
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {  // "" is an escaped quote
          field_ += '"';
          state_ = State::kQuoted;
        } else if (c == ',') {
          record->fields.push_back(std::move(field_));
          field_.clear();
          state_ = State::kFieldStart;
        } else {
          return Fail(line_number_,
                      "unexpected " + ShowByte(c) + " after a closing quote at byte column " +
                          std::to_string(column) + " (expected ',' or the end of the line)");
        }
        break;
    }
  }
  return Status::Ok();
}

// Fills line_ with the next physical line (without its '\n'). Returns false when
// the input has no more bytes. A line over the record budget fails here, before
// it is all in memory.
Result<bool> CsvReader::ReadPhysicalLine() {
  line_.clear();
  bool any = false;
  while (true) {
    if (buffer_pos_ == buffer_end_) {
      in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
      buffer_pos_ = 0;
      buffer_end_ = static_cast<size_t>(in_.gcount());
      if (in_.bad()) {
        error_ = Status::IoError(origin_ + ": read error");
        return error_;
      }
      if (buffer_end_ == 0) break;
    }
    any = true;
    const char* start = buffer_.data() + buffer_pos_;
    size_t available = buffer_end_ - buffer_pos_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    size_t length = newline ? static_cast<size_t>(newline - start) : available;
    if (line_.size() + length > options_.max_record_bytes) {
      return Fail(line_number_ + 1,
                  "line longer than " + std::to_string(options_.max_record_bytes) + " bytes");
    }
    line_.append(start, length);
    buffer_pos_ += length;
    if (newline) {
      ++buffer_pos_;
      break;
    }
  }
  if (!any) return false;
  ++line_number_;
  return true;
}

}  // namespace safeval
