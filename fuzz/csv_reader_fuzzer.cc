// The RFC 4180 reader under the importers (src/dataset/csv_reader.h). Checks: no crash,
// every record has the header's number of fields, and an error is sticky.
#include <cstdint>
#include <sstream>

#include "dataset/csv_reader.h"
#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(fuzz::AsText(data, size)));
  CsvOptions options;
  options.max_record_bytes = 1024;  // small, so the budget check is reached too
  CsvReader reader(in, "fuzz.csv", options);
  Result<CsvColumns> header = reader.ReadHeader();
  if (!header.ok()) return 0;
  (void)header->Require({"id", "text"});
  CsvRecord record;
  int last_line = 0;
  while (true) {
    Result<bool> next = reader.Next(&record);
    if (!next.ok()) {
      Result<bool> again = reader.Next(&record);
      FUZZ_CHECK(!again.ok() && again.status().message() == next.status().message());
      break;
    }
    if (!*next) break;
    FUZZ_CHECK(record.fields.size() == header->names().size());
    FUZZ_CHECK(record.line > last_line);
    last_line = record.line;
  }
  return 0;
}
