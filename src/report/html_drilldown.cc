// Drill-down: per hazard, how many failures and a readable sample of them.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "report/html_parts.h"
#include "report/item_kind.h"
#include "report/report_format.h"

namespace safeval {
namespace {

constexpr size_t kPromptChars = 300;
constexpr size_t kResponseChars = 600;

// The top failures of the hazard (best-agreed first), then an even sample of the others.
std::vector<size_t> PickRows(const ReportData& data, const HazardFailures& group,
                             const std::vector<size_t>* top) {
  std::vector<size_t> rows;
  std::set<size_t> taken;
  if (top != nullptr) {
    for (size_t i : *top) {
      if (rows.size() == kDrillDownRows) break;
      if (i >= data.items.size()) continue;
      const ReportItem& item = data.items[i];
      bool failure = KindOf(item) == ItemKind::kViolation && HazardOf(item.prompt) == group.hazard;
      if (failure && taken.insert(i).second) rows.push_back(i);
    }
  }
  std::vector<size_t> rest;
  for (size_t i : group.failures.kept)
    if (!taken.count(i) && i < data.items.size()) rest.push_back(i);
  for (size_t pos : SamplePositions(rest.size(), kDrillDownRows - rows.size()))
    rows.push_back(rest[pos]);
  return rows;
}

std::string Votes(const ReportItem& item) {
  int votes = 0, decided = 0;
  for (const Verdict& v : item.verdicts) {
    if (v.cls == ResponseClass::kUndetermined) continue;
    ++decided;
    if (v.violation) ++votes;
  }
  return std::to_string(votes) + "/" + std::to_string(decided);
}

std::string PromptCell(const Prompt& p) {
  std::string html = HtmlExcerpt(p.LastUserText(), kPromptChars);
  if (p.IsMultiTurn()) {
    html =
        "<span class=\"more\">(" + std::to_string(p.turns.size()) + " turns; last)</span> " + html;
  }
  return html;
}

std::string FailureRow(const ReportItem& item, bool top) {
  const Verdict* v = item.deciding();
  std::string techniques;
  for (const std::string& t : item.prompt.techniques)
    techniques += (techniques.empty() ? "" : " \u2192 ") + t;
  return "<tr" + std::string(top ? " class=\"top\"" : "") + "><td><code>" +
         HtmlText(item.prompt.id) + "</code></td><td>" + std::string(Name(item.prompt.intent)) +
         "</td><td>" + (v ? std::string(Name(v->cls)) : "") + "</td><td class=\"num\">" +
         Votes(item) + "</td><td>" + HtmlText(techniques) + "</td><td class=\"text\">" +
         PromptCell(item.prompt) + "</td><td class=\"text\">" +
         HtmlExcerpt(item.response, kResponseChars) + "</td></tr>";
}

std::string HazardBlock(const HazardFailures& group, const ReportData& data,
                        const Taxonomy& taxonomy, const std::vector<size_t>* top) {
  std::vector<size_t> rows = PickRows(data, group, top);
  std::set<size_t> top_set;
  if (top != nullptr) top_set.insert(top->begin(), top->end());
  std::string count = WithThousands(group.failures.count);
  std::string summary = HtmlText(HazardLabel(taxonomy, group.hazard)) + " \u2014 <b>" + count +
                        "</b> failure" + (group.failures.count == 1 ? "" : "s") + " \u00b7 " +
                        WithThousands(group.unsafe_violations) + " of " +
                        WithThousands(group.unsafe_judged) +
                        " judged harmful and adversarial items violate the policy \u00b7 showing " +
                        WithThousands(static_cast<int64_t>(rows.size())) + " of " + count;
  std::string html = "<details><summary>" + summary + "</summary>";
  html +=
      "<div class=\"scroll\"><table class=\"drill\"><thead><tr><th>Item</th><th>Intent</th>"
      "<th>Class</th><th class=\"num\">Judges</th><th>Techniques</th><th>Prompt</th>"
      "<th>Response</th></tr></thead><tbody>";
  for (size_t i : rows) html += FailureRow(data.items[i], top_set.count(i) > 0);
  return html + "</tbody></table></div></details>";
}

}  // namespace

std::string FailureDrillDownHtml(const ReportData& data, const Taxonomy& taxonomy) {
  std::map<std::string, const std::vector<size_t>*> top;
  for (const CategoryFailures& c : data.top_failures) top[c.category] = &c.indexes;
  std::string html;
  int64_t total = 0;
  for (const HazardFailures& group : data.digest.hazards) {
    if (group.failures.count == 0) continue;
    auto it = top.find(group.hazard);
    html += HazardBlock(group, data, taxonomy, it == top.end() ? nullptr : it->second);
    total += group.failures.count;
  }
  if (total == 0) return "<p class=\"note\">No violations.</p>";
  std::string note =
      "<p class=\"note\">" + WithThousands(total) +
      " failures in all (policy violations other than over-deflections; "
      "over-deflections are listed below). Open a hazard to read examples: the failures most "
      "judges agree on first (highlighted), then an even sample of the rest. "
      "Judges = judges finding a violation / judges that decided.";
  if (data.redacted_to) {
    note += " Harmful responses are cut to their first " + std::to_string(*data.redacted_to) +
            " characters.";
  }
  return note + "</p>" + html;
}

}  // namespace safeval
