// safeval dataset stats FILE... [--taxonomy SPEC] [--mix safe=20,harmful=40,adversarial=40]
//                               [--tolerance 5] [--json] [--depth N]
// Counts by taxonomy node, intent, persona, technique and locale; the leaf × intent coverage
// matrix and its gaps; the intent mix against a target. Exit 1 when there is a gap or an intent
// is more than --tolerance points off target, 2 on bad input, 0 otherwise.
// One streamed pass (DatasetStream into a CoverageCounter): memory grows with the taxonomy and
// the distinct techniques and locales, never with the number of prompts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iomanip>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/dataset_command.h"
#include "dataset/dataset.h"
#include "taxonomy/coverage.h"

namespace safeval {
namespace {

struct StatsFlags {
  std::vector<std::string> files;
  std::string taxonomy = "builtin:safeval-v1";
  std::string mix = "safe=20,harmful=40,adversarial=40";
  double tolerance = 5;
  bool json = false;
  int depth = 0;  // 0: every level
};

// Everything the command prints, computed once for the text and the JSON forms.
struct Stats {
  const Taxonomy& taxonomy;
  std::string content_hash;
  IntentMix target;
  int depth;
  Coverage coverage;
  MixComparison mix;
  bool ok() const { return coverage.gaps.empty() && mix.ok(); }
  bool Shown(const TaxonomyNode& node) const {
    return depth <= 0 || node.path.depth() <= static_cast<size_t>(depth);
  }
};

std::string PersonaKey(size_t i) { return std::string(Name(kAllPersonas[i])); }

// ---- text ----------------------------------------------------------------------------------

int IntentWidth(Intent intent) { return static_cast<int>(Name(intent).size()) + 2; }

void PrintIntentHeader(std::ostream& out) {
  for (Intent intent : kAllIntents) out << std::setw(IntentWidth(intent)) << Name(intent);
}

// The cells of one row; `mark_gaps` prints "--" for an empty cell.
void PrintIntentCells(const IntentCounts& counts, bool mark_gaps, std::ostream& out) {
  for (Intent intent : kAllIntents) {
    int64_t n = counts[IntentIndex(intent)];
    out << std::setw(IntentWidth(intent));
    if (n == 0 && mark_gaps) {
      out << "--";
    } else {
      out << n;
    }
  }
}

void PrintNodeTable(const Stats& s, std::ostream& out) {
  size_t width = 4;
  for (const TaxonomyNode& node : s.taxonomy.nodes()) {
    if (s.Shown(node)) width = std::max(width, 2 * (node.path.depth() - 1) + node.id.size());
  }
  out << "Prompts by category (a prompt counts for its node and every node above it)\n  "
      << std::left << std::setw(static_cast<int>(width)) << "node" << std::right << std::setw(7)
      << "total";
  PrintIntentHeader(out);
  out << "  name\n";
  for (size_t i = 0; i < s.taxonomy.nodes().size(); ++i) {
    const TaxonomyNode& node = s.taxonomy.nodes()[i];
    if (!s.Shown(node)) continue;
    std::string label = std::string(2 * (node.path.depth() - 1), ' ') + node.id;
    out << "  " << std::left << std::setw(static_cast<int>(width)) << label << std::right
        << std::setw(7) << s.coverage.nodes[i].total;
    PrintIntentCells(s.coverage.nodes[i].by_intent, false, out);
    out << "  " << node.name << "\n";
  }
}

// "By technique:  a 3, b 5, (none) 172", wrapped before 100 columns under the first value.
void PrintValueCounts(const char* title, ValueCounts counts, int64_t none, std::ostream& out) {
  constexpr size_t kIndent = 15;
  constexpr size_t kMaxWidth = 100;
  counts.emplace_back("(none)", none);
  out << std::left << std::setw(kIndent) << title << std::right;
  size_t column = kIndent;
  for (size_t i = 0; i < counts.size(); ++i) {
    std::string item = counts[i].first + " " + std::to_string(counts[i].second);
    if (i + 1 < counts.size()) item += ",";
    if (i > 0 && column + 1 + item.size() > kMaxWidth) {
      out << "\n" << std::string(kIndent, ' ');
      column = kIndent;
    } else if (i > 0) {
      out << " ";
      ++column;
    }
    out << item;
    column += item.size();
  }
  out << "\n";
}

void PrintAxes(const Stats& s, std::ostream& out) {
  const Coverage& c = s.coverage;
  out << std::left << std::setw(15) << "By intent:" << std::right;
  for (Intent intent : kAllIntents) {
    out << (intent == kAllIntents[0] ? "" : ", ") << Name(intent) << " "
        << c.by_intent[IntentIndex(intent)];
  }
  out << "\n";
  ValueCounts personas;
  for (size_t i = 0; i < kAllPersonas.size(); ++i)
    personas.emplace_back(PersonaKey(i), c.by_persona[i]);
  PrintValueCounts("By persona:", personas, c.without_persona, out);
  PrintValueCounts("By technique:", c.by_technique, c.without_technique, out);
  PrintValueCounts("By locale:", c.by_locale, c.without_locale, out);
}

void PrintMatrix(const Stats& s, std::ostream& out) {
  size_t width = 4;
  for (int leaf : s.coverage.leaves) {
    width = std::max(width, s.taxonomy.nodes()[leaf].path.str().size());
  }
  out << "Coverage matrix: leaf x intent (\"--\" = gap)\n  " << std::left
      << std::setw(static_cast<int>(width)) << "leaf" << std::right;
  PrintIntentHeader(out);
  out << "\n";
  for (int leaf : s.coverage.leaves) {
    out << "  " << std::left << std::setw(static_cast<int>(width))
        << s.taxonomy.nodes()[leaf].path.str() << std::right;
    PrintIntentCells(s.coverage.nodes[leaf].by_intent, true, out);
    out << "\n";
  }
}

// Gaps grouped by leaf: "  ncr/fraud/phishing: safe, adversarial".
void PrintGaps(const Stats& s, std::ostream& out) {
  const Coverage& c = s.coverage;
  size_t cells = c.leaves.size() * kAllIntents.size();
  if (c.gaps.empty()) {
    out << "Gaps: none (all " << cells << " leaf x intent cells have prompts)\n";
  } else {
    out << "Gaps: " << c.gaps.size() << " of " << cells << " leaf x intent cells are empty";
    int leaf = -1;
    for (const CoverageGap& gap : c.gaps) {
      out << (gap.leaf == leaf ? ", " : "\n  " + s.taxonomy.nodes()[gap.leaf].path.str() + ": ")
          << Name(gap.intent);
      leaf = gap.leaf;
    }
    out << "\n";
  }
  if (c.internal_node_prompts == 0) return;
  bool one = c.internal_node_prompts == 1;
  out << "Note: " << c.internal_node_prompts << (one ? " prompt is" : " prompts are")
      << " categorised at an internal node (";
  const char* separator = "";
  for (size_t i = 0; i < c.nodes.size(); ++i) {
    if (!s.taxonomy.nodes()[i].children.empty() && c.nodes[i].direct > 0) {
      out << separator << s.taxonomy.nodes()[i].path.str() << " " << c.nodes[i].direct;
      separator = ", ";
    }
  }
  out << "):\n      " << (one ? "it counts" : "they count")
      << " for that node and the nodes above it, but in no leaf cell of the matrix.\n";
}

void PrintMix(const Stats& s, std::ostream& out) {
  out << "Intent mix (target " << IntentMixToString(s.target) << "; tolerance "
      << s.mix.tolerance_points << " points)\n"
      << "  intent         count  actual  target  deviation\n"
      << std::fixed << std::setprecision(1);
  for (const IntentShare& share : s.mix.shares) {
    out << "  " << std::left << std::setw(12) << Name(share.intent) << std::right << std::setw(7)
        << share.count << std::setw(7) << share.actual_percent << "%" << std::setw(7)
        << share.target_percent << "%" << std::setw(7) << std::showpos << share.deviation_points
        << std::noshowpos << " pts" << (share.within_tolerance ? "" : "  OFF TARGET") << "\n";
  }
  out << std::defaultfloat;
}

void PrintText(const Stats& s, std::ostream& out) {
  out << "Dataset: " << s.coverage.prompts << " prompts, content hash " << s.content_hash
      << "\nTaxonomy: " << s.taxonomy.id() << " (" << s.taxonomy.nodes().size() << " nodes, "
      << s.coverage.leaves.size() << " leaves)\n\n";
  PrintNodeTable(s, out);
  out << "\n";
  PrintAxes(s, out);
  out << "\n";
  PrintMatrix(s, out);
  PrintGaps(s, out);
  out << "\n";
  PrintMix(s, out);
  out << "\nResult: ";
  if (s.ok()) {
    out << "OK (no gaps, intent mix on target)\n";
    return;
  }
  out << "FAIL (" << s.coverage.gaps.size() << (s.coverage.gaps.size() == 1 ? " gap" : " gaps")
      << (s.mix.ok() ? ", intent mix on target)\n" : ", intent mix off target)\n");
}

// ---- JSON (shape documented in README.md, "Building a dataset") ----------------------------

using Json = nlohmann::ordered_json;  // keys in the documented order, not sorted

Json IntentJson(const IntentCounts& counts) {
  Json out = Json::object();
  for (Intent intent : kAllIntents) out[std::string(Name(intent))] = counts[IntentIndex(intent)];
  return out;
}

Json ValueCountsJson(const ValueCounts& counts) {
  Json out = Json::object();
  for (const auto& [value, n] : counts) out[value] = n;
  return out;
}

Json NodesJson(const Stats& s) {
  Json out = Json::array();
  for (size_t i = 0; i < s.taxonomy.nodes().size(); ++i) {
    const TaxonomyNode& node = s.taxonomy.nodes()[i];
    if (!s.Shown(node)) continue;
    const NodeCoverage& c = s.coverage.nodes[i];
    out.push_back({{"path", node.path.str()},
                   {"name", node.name},
                   {"depth", node.path.depth()},
                   {"leaf", node.children.empty()},
                   {"total", c.total},
                   {"direct", c.direct},
                   {"by_intent", IntentJson(c.by_intent)}});
  }
  return out;
}

Json CoverageJson(const Stats& s) {
  Json matrix = Json::array();
  for (int leaf : s.coverage.leaves) {
    Json row = {{"leaf", s.taxonomy.nodes()[leaf].path.str()}};
    row.update(IntentJson(s.coverage.nodes[leaf].by_intent));
    matrix.push_back(std::move(row));
  }
  Json gaps = Json::array();
  for (const CoverageGap& gap : s.coverage.gaps) {
    gaps.push_back({{"leaf", s.taxonomy.nodes()[gap.leaf].path.str()},
                    {"intent", std::string(Name(gap.intent))}});
  }
  Json internal = Json::array();
  for (size_t i = 0; i < s.coverage.nodes.size(); ++i) {
    if (!s.taxonomy.nodes()[i].children.empty() && s.coverage.nodes[i].direct > 0) {
      internal.push_back(
          {{"path", s.taxonomy.nodes()[i].path.str()}, {"prompts", s.coverage.nodes[i].direct}});
    }
  }
  return {{"cells", s.coverage.leaves.size() * kAllIntents.size()},
          {"matrix", matrix},
          {"gaps", gaps},
          {"internal_node_prompts", internal}};
}

Json MixJson(const Stats& s) {
  Json intents = Json::array();
  for (const IntentShare& share : s.mix.shares) {
    intents.push_back({{"intent", std::string(Name(share.intent))},
                       {"count", share.count},
                       {"actual_percent", share.actual_percent},
                       {"target_percent", share.target_percent},
                       {"deviation_points", share.deviation_points},
                       {"within_tolerance", share.within_tolerance}});
  }
  return {{"target", IntentMixToString(s.target)},
          {"tolerance_points", s.mix.tolerance_points},
          {"ok", s.mix.ok()},
          {"intents", intents}};
}

Json StatsJson(const Stats& s) {
  const Coverage& c = s.coverage;
  Json personas = Json::object();
  for (size_t i = 0; i < kAllPersonas.size(); ++i) personas[PersonaKey(i)] = c.by_persona[i];
  return {{"schema_version", 1},
          {"taxonomy", s.taxonomy.id()},
          {"content_hash", s.content_hash},
          {"prompts", c.prompts},
          {"nodes", NodesJson(s)},
          {"by_intent", IntentJson(c.by_intent)},
          {"by_persona", personas},
          {"without_persona", c.without_persona},
          {"by_technique", ValueCountsJson(c.by_technique)},
          {"without_technique", c.without_technique},
          {"by_locale", ValueCountsJson(c.by_locale)},
          {"without_locale", c.without_locale},
          {"coverage", CoverageJson(s)},
          {"mix", MixJson(s)},
          {"ok", s.ok()}};
}

// ---- command -------------------------------------------------------------------------------

void Execute(const StatsFlags& flags, CliContext& context) {
  Result<IntentMix> target = ParseIntentMix(flags.mix);
  if (!target.ok()) {
    context.Fail(target.status().WithContext("--mix '" + flags.mix + "'"));
    return;
  }
  Result<Taxonomy> taxonomy = Taxonomy::Resolve(flags.taxonomy, "");
  if (!taxonomy.ok()) {
    context.Fail(taxonomy.status());
    return;
  }
  DatasetStream stream(flags.files, *taxonomy);
  CoverageCounter counter(*taxonomy);
  while (std::optional<Prompt> prompt = stream.Next()) counter.Add(*prompt);
  if (!stream.problems().empty()) {
    *context.err << FormatProblems(stream.problems()) << "\n";
    context.Fail(Status::InvalidArgument(
        "the dataset has problems, so nothing was counted ('safeval dataset validate' lists "
        "them all)"));
    return;
  }
  Coverage coverage = std::move(counter).Finish();
  MixComparison mix = CompareMix(coverage.by_intent, *target, flags.tolerance);
  Stats stats{*taxonomy, stream.content_hash(), *target, flags.depth, std::move(coverage), mix};
  if (flags.json) {
    *context.out << StatsJson(stats).dump(2) << "\n";
  } else {
    PrintText(stats, *context.out);
  }
  context.exit_code = stats.ok() ? kExitOk : kExitGateFailed;
}

}  // namespace

void SetupDatasetStatsCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<StatsFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("--mix", flags->mix, "Target intent mix in percent, summing to 100")
      ->capture_default_str();
  sub.add_option("--tolerance", flags->tolerance,
                 "Points an intent's share may be off its target before the check fails")
      ->check(CLI::Range(0.0, 100.0))
      ->capture_default_str();
  sub.add_flag("--json", flags->json, "Print one JSON document instead of tables");
  sub.add_option("--depth", flags->depth, "Show category counts down to this level only")
      ->check(CLI::Range(1, 32));
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
