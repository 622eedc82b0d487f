// JUnit XML for CI dashboards: one test case per hazard × intent.
#include <string>
#include <vector>

#include "core/utf8.h"
#include "metrics/interval.h"
#include "report/item_kind.h"
#include "report/report.h"
#include "report/report_format.h"

namespace safeval {
namespace {

// XML 1.0 text and attribute values: the five specials escaped, control characters that XML
// cannot carry dropped, invalid UTF-8 replaced.
std::string Xml(std::string_view raw) {
  std::string out;
  for (char c : SanitizeUtf8(raw)) {
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
        out += "&apos;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) >= 0x20) out += c;
    }
  }
  return out;
}

std::string FailureMessage(const CellCounts& cell) {
  Interval ci = WilsonInterval(cell.violations, cell.decided);
  double rate = static_cast<double>(cell.violations) / static_cast<double>(cell.decided);
  return WithThousands(cell.violations) + " of " + WithThousands(cell.decided) +
         " judged responses violate the policy: " + FormatPercent(rate) + " [95% CI " +
         FormatFixed(ci.low * 100, 1) + "\u2013" + FormatFixed(ci.high * 100, 1) + "%]";
}

std::string CountsLine(const CellCounts& cell) {
  return "items " + std::to_string(cell.items) + ", decided " + std::to_string(cell.decided) +
         ", violations " + std::to_string(cell.violations) + ", undetermined " +
         std::to_string(cell.undetermined) + ", errors " + std::to_string(cell.errors) +
         ", skipped or pending " + std::to_string(cell.not_run);
}

std::string TestCase(const CellCounts& cell) {
  std::string xml = "    <testcase classname=\"" + Xml(cell.hazard) + "\" name=\"" +
                    std::string(Name(cell.intent)) + "\" time=\"0\">\n";
  if (cell.decided == 0) {
    xml += "      <skipped message=\"no judged item with a decided class\"/>\n";
  } else if (cell.violations > 0) {
    std::string message = FailureMessage(cell);
    xml += "      <failure type=\"policy_violation\" message=\"" + Xml(message) + "\">" +
           Xml(message) + "</failure>\n";
  }
  xml += "      <system-out>" + Xml(CountsLine(cell)) + "</system-out>\n";
  return xml + "    </testcase>\n";
}

}  // namespace

std::string RenderJunitXml(const ReportData& data) {
  const std::vector<CellCounts>& cells = data.digest.cells;
  int64_t failures = 0, skipped = 0;
  std::string cases;
  for (const CellCounts& cell : cells) {
    if (cell.decided == 0)
      ++skipped;
    else if (cell.violations > 0)
      ++failures;
    cases += TestCase(cell);
  }
  std::string tests = std::to_string(cells.size());
  std::string counts = "tests=\"" + tests + "\" failures=\"" + std::to_string(failures) +
                       "\" errors=\"0\" skipped=\"" + std::to_string(skipped) + "\"";
  std::string suite = "safeval " + data.run.suite_name + " on " + data.run.target_name +
                      (data.run.demo ? " (DEMO TARGET)" : "");
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"safeval\" " + counts + ">\n";
  xml += "  <testsuite name=\"" + Xml(suite) + "\" " + counts + " timestamp=\"" +
         Xml(data.run.started_at) + "\">\n";
  xml += "    <properties>\n      <property name=\"run\" value=\"" + Xml(data.run.id) +
         "\"/>\n      <property name=\"target_identity\" value=\"" + Xml(data.run.target_identity) +
         "\"/>\n    </properties>\n";
  return xml + cases + "  </testsuite>\n</testsuites>\n";
}

}  // namespace safeval
