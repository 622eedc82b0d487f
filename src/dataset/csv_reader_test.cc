// Tests of the CSV reader: RFC 4180 quoting, line endings, BOM, line numbers,
// and each malformed construct with the line and column it is reported at.
#include "dataset/csv_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Every record of `text` (the header included), or the error that stopped the read.
Result<std::vector<CsvRecord>> ReadAll(const std::string& text, CsvOptions options = {}) {
  std::istringstream in(text);
  CsvReader reader(in, "f.csv", options);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    Result<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) return records;
    records.push_back(record);
  }
}

std::string ErrorOf(const std::string& text, CsvOptions options = {}) {
  Result<std::vector<CsvRecord>> records = ReadAll(text, options);
  return records.ok() ? "(no error)" : records.status().message();
}

TEST(CsvReaderTest, QuotedFieldsKeepCommasQuotesAndNewlines) {
  auto records = ReadAll(
      "id,text,note\n"
      "1,\"a, b\",\"say \"\"hi\"\"\"\n"
      "2,\"line one\nline two\",\n"
      "3,plain,\"\"\n");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_THAT((*records)[1].fields, ElementsAre("1", "a, b", "say \"hi\""));
  EXPECT_THAT((*records)[2].fields, ElementsAre("2", "line one\nline two", ""));
  EXPECT_THAT((*records)[3].fields, ElementsAre("3", "plain", ""));
}

TEST(CsvReaderTest, RecordsReportThePhysicalLineWhereTheyStart) {
  auto records = ReadAll("a,b\n1,\"x\ny\nz\"\n2,w\n");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].line, 5);
}

TEST(CsvReaderTest, CrlfLineEndsAreNotData) {
  auto records = ReadAll("a,b\r\n1,\"x\r\ny\"\r\n2,\"q\"\r\n");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("a", "b"));
  EXPECT_THAT((*records)[1].fields, ElementsAre("1", "x\r\ny"));  // inside quotes: kept
  EXPECT_THAT((*records)[2].fields, ElementsAre("2", "q"));
}

TEST(CsvReaderTest, LastLineNeedsNoNewlineAndBlankLinesAreSkipped) {
  auto records = ReadAll("a,b\n\n1,2\r\n\n3,4");
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[2].fields, ElementsAre("3", "4"));
  EXPECT_EQ((*records)[2].line, 5);
}

TEST(CsvReaderTest, ByteOrderMarkIsDroppedFromTheHeader) {
  std::istringstream in("\xEF\xBB\xBFid,text\n1,hi\n");
  CsvReader reader(in, "f.csv");
  Result<CsvColumns> columns = reader.ReadHeader();
  ASSERT_TRUE(columns.ok()) << columns.status().message();
  EXPECT_THAT(columns->names(), ElementsAre("id", "text"));
  EXPECT_EQ(columns->Find("id"), 0u);
}

TEST(CsvReaderTest, RecordsLongerThanTheReadBufferAndManyRowsAcrossIt) {
  std::string big(200 * 1024, 'x');
  std::string text = "a,b\n1,\"" + big + "\"\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + ",\"v, " + std::to_string(i) + "\"\n";
  auto records = ReadAll(text);
  ASSERT_TRUE(records.ok()) << records.status().message();
  ASSERT_EQ(records->size(), 5002u);
  EXPECT_EQ((*records)[1].fields[1], big);
  EXPECT_THAT(records->back().fields, ElementsAre("4999", "v, 4999"));
  EXPECT_EQ(records->back().line, 5002);
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineItOpensOn) {
  EXPECT_EQ(ErrorOf("a,b\n1,2\n3,\"open\nmore\n"),
            "f.csv:3: unterminated quoted field: the quote at byte column 3 is never closed");
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedField) {
  EXPECT_THAT(ErrorOf("a,b\n1,ab\"c\n"),
              HasSubstr("f.csv:2: '\"' inside an unquoted field at byte column 5"));
}

TEST(CsvReaderTest, CharacterAfterAClosingQuote) {
  EXPECT_EQ(ErrorOf("a,b\n1,\"ab\"x\n"),
            "f.csv:2: unexpected 'x' after a closing quote at byte column 7 (expected ',' or the "
            "end of the line)");
  EXPECT_THAT(ErrorOf("a,b\n1,\"ab\" \n"), HasSubstr("unexpected ' ' after a closing quote"));
}

TEST(CsvReaderTest, WrongNumberOfFields) {
  EXPECT_EQ(ErrorOf("a,b,c\n1,2,3\n4,5\n"), "f.csv:3: expected 3 fields (as in the header), got 2");
  EXPECT_EQ(ErrorOf("a,b\n1,2,3\n"), "f.csv:2: expected 2 fields (as in the header), got 3");
}

TEST(CsvReaderTest, InvalidUtf8NamesLineAndByteColumn) {
  EXPECT_EQ(ErrorOf("a,b\n1,\"ok\"\n2,x\xC3(\n"), "f.csv:3: invalid UTF-8 at byte column 4");
  // The column counts the bytes of the line as they are in the file, BOM included.
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF"
                    "a,\xFF\n"),
            "f.csv:1: invalid UTF-8 at byte column 6");
}

TEST(CsvReaderTest, ErrorsAreSticky) {
  std::istringstream in("a\n\"x\"y\nb\n");
  CsvReader reader(in, "f.csv");
  CsvRecord record;
  ASSERT_TRUE(reader.Next(&record).ok());
  Result<bool> first = reader.Next(&record);
  ASSERT_FALSE(first.ok());
  Result<bool> again = reader.Next(&record);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), first.status().message());
}

TEST(CsvReaderTest, RecordBudgetStopsAnOpenQuoteEarly) {
  CsvOptions options;
  options.max_record_bytes = 64;
  std::string text = "a,b\n1,\"never closed\n";
  for (int i = 0; i < 100; ++i) text += "more text inside the open quote\n";
  EXPECT_EQ(ErrorOf(text, options),
            "f.csv:2: record longer than 64 bytes (is a quoted field left open?)");
  EXPECT_THAT(ErrorOf("a\n" + std::string(100, 'x') + "\n", options),
              HasSubstr("f.csv:2: line longer than 64 bytes"));
}

TEST(CsvReaderTest, HeaderErrors) {
  std::istringstream empty("");
  EXPECT_EQ(CsvReader(empty, "f.csv").ReadHeader().status().message(),
            "f.csv: empty file: expected a header row");
  std::istringstream twice("id, text ,id\n");
  EXPECT_EQ(CsvReader(twice, "f.csv").ReadHeader().status().message(),
            "f.csv:1: column 'id' appears twice in the header");
}

TEST(CsvReaderTest, RequireListsWhatIsMissingAndWhatTheHeaderHas) {
  std::istringstream in(" id ,prompt,label\n");
  CsvReader reader(in, "x.csv");
  Result<CsvColumns> columns = reader.ReadHeader();
  ASSERT_TRUE(columns.ok());
  Result<std::vector<size_t>> found = columns->Require({"label", "id"});
  ASSERT_TRUE(found.ok());
  EXPECT_THAT(*found, ElementsAre(2u, 0u));
  EXPECT_EQ(columns->Require({"id", "type", "focus"}).status().message(),
            "x.csv:1: missing columns 'type', 'focus' (the header has: id, prompt, label)");
}

}  // namespace
}  // namespace safeval
