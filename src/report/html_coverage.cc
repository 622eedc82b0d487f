// The coverage matrix: how many of the run's prompts fall in each leaf × intent cell.
#include <string>
#include <unordered_map>
#include <vector>

#include "report/html_parts.h"
#include "report/item_kind.h"
#include "report/report_format.h"
#include "taxonomy/coverage.h"

namespace safeval {
namespace {

// Above this many leaves only the rows with a gap are drawn, so the page stays small.
constexpr size_t kMaxFullRows = 300;

bool HasGap(const NodeCoverage& node) {
  for (int64_t count : node.by_intent)
    if (count == 0) return true;
  return false;
}

std::string CoverageRow(const TaxonomyNode& leaf, const NodeCoverage& node) {
  std::string html =
      "<tr><td><code>" + HtmlText(leaf.path.str()) + "</code> " + HtmlText(leaf.name) + "</td>";
  for (Intent intent : kAllIntents) {
    int64_t count = node.by_intent[IntentIndex(intent)];
    html += count == 0 ? "<td class=\"num gap\" title=\"gap: no " + std::string(Name(intent)) +
                             " prompts\">0</td>"
                       : "<td class=\"num\">" + WithThousands(count) + "</td>";
  }
  return html + "<td class=\"num\">" + WithThousands(node.total) + "</td></tr>";
}

std::string Summary(const Coverage& c, size_t shown_rows) {
  size_t cells = c.leaves.size() * kAllIntents.size();
  std::string html = "<p class=\"note\">" + WithThousands(c.prompts) + " prompts over " +
                     WithThousands(static_cast<int64_t>(c.leaves.size())) +
                     " leaves: " + WithThousands(static_cast<int64_t>(c.gaps.size())) + " of " +
                     WithThousands(static_cast<int64_t>(cells)) +
                     " leaf \u00d7 intent cells are empty (highlighted).";
  if (shown_rows < c.leaves.size()) {
    html += " Showing the " + WithThousands(static_cast<int64_t>(shown_rows)) +
            " leaves with a gap; " +
            WithThousands(static_cast<int64_t>(c.leaves.size() - shown_rows)) +
            " fully covered leaves are not listed.";
  }
  if (c.internal_node_prompts > 0) {
    html += " " + WithThousands(c.internal_node_prompts) +
            " prompts are categorised at an internal node and count for no leaf.";
  }
  if (c.unknown_category > 0) {
    html += " " + WithThousands(c.unknown_category) +
            " prompts have a category outside this "
            "taxonomy.";
  }
  return html + "</p>";
}

// The coverage of the digest's category counts, as CoverageCounter (taxonomy/coverage.h) counts
// prompts — for the leaves, the only nodes the matrix shows: a leaf's cells are the prompts
// categorised exactly at it, since nothing lies below a leaf.
Coverage LeafCoverage(const std::vector<CategoryCount>& categories, const Taxonomy& taxonomy) {
  const std::vector<TaxonomyNode>& nodes = taxonomy.nodes();
  std::unordered_map<std::string, size_t> node_by_path;
  for (size_t i = 0; i < nodes.size(); ++i) node_by_path.emplace(nodes[i].path.str(), i);
  Coverage c;
  c.nodes.resize(nodes.size());
  for (const CategoryCount& count : categories) {
    int64_t prompts = 0;
    for (int64_t n : count.by_intent) prompts += n;
    c.prompts += prompts;
    auto it = node_by_path.find(count.category);
    if (it == node_by_path.end()) {
      c.unknown_category += prompts;
      continue;
    }
    NodeCoverage& node = c.nodes[it->second];
    node.direct += prompts;
    for (size_t i = 0; i < count.by_intent.size(); ++i)
      node.direct_by_intent[i] += count.by_intent[i];
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    NodeCoverage& node = c.nodes[i];
    if (!nodes[i].children.empty()) {
      c.internal_node_prompts += node.direct;
      continue;
    }
    node.total = node.direct;
    node.by_intent = node.direct_by_intent;
    c.leaves.push_back(static_cast<int>(i));
    for (Intent intent : kAllIntents) {
      if (node.by_intent[IntentIndex(intent)] == 0) c.gaps.push_back({static_cast<int>(i), intent});
    }
  }
  return c;
}

}  // namespace

std::string CoverageHtml(const std::vector<CategoryCount>& categories, const Taxonomy& taxonomy) {
  Coverage coverage = LeafCoverage(categories, taxonomy);
  if (coverage.leaves.empty()) return "<p class=\"note\">The taxonomy has no leaves.</p>";
  bool gaps_only = coverage.leaves.size() > kMaxFullRows;
  std::string rows;
  size_t shown = 0;
  for (int leaf : coverage.leaves) {
    const NodeCoverage& node = coverage.nodes[static_cast<size_t>(leaf)];
    if (gaps_only && !HasGap(node)) continue;
    rows += CoverageRow(taxonomy.nodes()[static_cast<size_t>(leaf)], node);
    ++shown;
  }
  std::string html = Summary(coverage, shown);
  if (shown == 0) return html;
  html += "<div class=\"scroll tall\"><table class=\"coverage\"><thead><tr><th>Leaf</th>";
  for (Intent intent : kAllIntents)
    html += "<th class=\"num\">" + std::string(Name(intent)) + "</th>";
  return html + "<th class=\"num\">total</th></tr></thead><tbody>" + rows +
         "</tbody></table></div>";
}

}  // namespace safeval
