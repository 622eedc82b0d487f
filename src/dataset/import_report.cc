// ImportReport: skipped rows grouped by reason, and the summary an import prints.
#include <algorithm>

#include "dataset/importers.h"

namespace safeval {
namespace {

// Distinct reasons kept; more would let a file of all-different problems grow
// the report without bound. Later reasons share one group.
constexpr size_t kMaxReasons = 100;
constexpr size_t kMaxReasonsShown = 20;

std::string Plural(int n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string LineList(const SkipGroup& group) {
  std::string out = group.first_lines.size() == 1 ? "line " : "lines ";
  for (size_t i = 0; i < group.first_lines.size(); ++i) {
    out += (i > 0 ? ", " : "") + std::to_string(group.first_lines[i]);
  }
  if (static_cast<size_t>(group.count) > group.first_lines.size()) out += ", ...";
  return out;
}

}  // namespace

int ImportReport::SkippedCount() const {
  int total = 0;
  for (const SkipGroup& group : skipped) total += group.count;
  return total;
}

void ImportReport::AddSkip(const std::string& reason, int line) {
  auto find = [this](const std::string& wanted) {
    return std::find_if(skipped.begin(), skipped.end(),
                        [&](const SkipGroup& group) { return group.reason == wanted; });
  };
  auto it = find(reason);
  if (it == skipped.end()) {
    std::string group_reason = reason;
    if (skipped.size() >= kMaxReasons) {
      group_reason = "other reasons (more than " + std::to_string(kMaxReasons) + " different ones)";
      it = find(group_reason);
    }
    if (it == skipped.end()) it = skipped.insert(skipped.end(), SkipGroup{group_reason, 0, {}});
  }
  ++it->count;
  if (it->first_lines.size() < SkipGroup::kMaxLines) it->first_lines.push_back(line);
}

std::string FormatImportReport(const ImportReport& report, const std::string& source,
                               const std::string& out) {
  std::string text = source + ": read " + Plural(report.rows_read, "row", "rows") + ", imported " +
                     std::to_string(report.imported) + " into " + out;
  if (report.skipped.empty()) return text;
  text += ", skipped " + std::to_string(report.SkippedCount()) + ":";
  size_t shown = std::min(report.skipped.size(), kMaxReasonsShown);
  for (size_t i = 0; i < shown; ++i) {
    const SkipGroup& group = report.skipped[i];
    text += "\n  " + group.reason + ": " + Plural(group.count, "row", "rows") + " (" +
            LineList(group) + ")";
  }
  if (report.skipped.size() > shown) {
    text += "\n  ... and " + std::to_string(report.skipped.size() - shown) + " more reasons";
  }
  return text;
}

}  // namespace safeval
