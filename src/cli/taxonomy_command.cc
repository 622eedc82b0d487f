// safeval taxonomy show [--taxonomy SPEC] [--counts DATASET...]
// Draws a taxonomy as a tree (ids, names, groups); with --counts, each node's prompt count (the
// node and everything below it) and its split by intent.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iomanip>
#include <memory>
#include <optional>

#include "cli/command.h"
#include "core/terminal_text.h"
#include "dataset/dataset.h"
#include "taxonomy/coverage.h"

namespace safeval {
namespace {

struct ShowFlags {
  std::string taxonomy = "builtin:safeval-v1";
  std::vector<std::string> counts;  // dataset files; empty: no counts
};

struct TreeLine {
  int node;
  std::string label;  // box-drawing prefix, id, name
  size_t width;       // in terminal columns
};

// Columns taken by UTF-8 text: one per code point (names are not expected to hold wide
// characters), so counts line up after box-drawing characters and accented names.
size_t DisplayWidth(std::string_view text) {
  return static_cast<size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void CollectLines(const Taxonomy& taxonomy, const std::vector<int>& siblings,
                  const std::string& prefix, std::vector<TreeLine>* lines) {
  for (size_t k = 0; k < siblings.size(); ++k) {
    bool last = k + 1 == siblings.size();
    const TaxonomyNode& node = taxonomy.nodes()[siblings[k]];
    std::string label =
        prefix + (last ? "└── " : "├── ") + node.id + "  " + TerminalText(node.name);
    if (!node.group.empty()) label += "  [" + TerminalText(node.group) + "]";
    size_t width = DisplayWidth(label);
    lines->push_back({siblings[k], std::move(label), width});
    CollectLines(taxonomy, node.children, prefix + (last ? "    " : "│   "), lines);
  }
}

std::vector<TreeLine> TreeLines(const Taxonomy& taxonomy) {
  std::vector<int> top;
  for (size_t i = 0; i < taxonomy.nodes().size(); ++i) {
    if (taxonomy.nodes()[i].parent < 0) top.push_back(static_cast<int>(i));
  }
  std::vector<TreeLine> lines;
  CollectLines(taxonomy, top, "", &lines);
  return lines;
}

void PrintTree(const Taxonomy& taxonomy, const Coverage* coverage, std::ostream& out) {
  std::vector<TreeLine> lines = TreeLines(taxonomy);
  size_t width = taxonomy.id().size();
  for (const TreeLine& line : lines) width = std::max(width, line.width);
  out << taxonomy.id();
  if (coverage != nullptr) {
    out << std::string(width - taxonomy.id().size(), ' ') << std::setw(8) << "total";
    for (Intent intent : kAllIntents) out << std::setw(Name(intent).size() + 2) << Name(intent);
  }
  out << "\n";
  for (const TreeLine& line : lines) {
    out << line.label;
    if (coverage != nullptr) {
      const NodeCoverage& c = coverage->nodes[line.node];
      out << std::string(width - line.width, ' ') << std::setw(8) << c.total;
      for (Intent intent : kAllIntents) {
        out << std::setw(Name(intent).size() + 2) << c.by_intent[IntentIndex(intent)];
      }
    }
    out << "\n";
  }
}

void PrintSummary(const Taxonomy& taxonomy, const Coverage* coverage, std::ostream& out) {
  out << taxonomy.nodes().size() << " nodes, " << taxonomy.Leaves().size() << " leaves";
  if (coverage != nullptr) {
    out << "; " << coverage->prompts << " prompts";
    if (coverage->internal_node_prompts > 0) {
      out << " (" << coverage->internal_node_prompts
          << " at an internal node: counted there and above, in no leaf)";
    }
  }
  out << "\n";
}

void Execute(const ShowFlags& flags, CliContext& context) {
  Result<Taxonomy> taxonomy = Taxonomy::Resolve(flags.taxonomy, "");
  if (!taxonomy.ok()) {
    context.Fail(taxonomy.status());
    return;
  }
  std::optional<Coverage> coverage;
  if (!flags.counts.empty()) {
    DatasetLoad load = ReadDataset(flags.counts, *taxonomy);
    if (!load.problems.empty()) {
      *context.err << TerminalText(FormatProblems(load.problems), LineBreaks::kKeep) << "\n";
      context.Fail(Status::InvalidArgument(
          "the dataset given to --counts has problems ('safeval dataset validate' lists them "
          "all)"));
      return;
    }
    coverage = ComputeCoverage(*taxonomy, load.dataset.prompts);
  }
  const Coverage* counts = coverage ? &*coverage : nullptr;
  PrintTree(*taxonomy, counts, *context.out);
  PrintSummary(*taxonomy, counts, *context.out);
}

void SetupShowCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<ShowFlags>();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("--counts", flags->counts,
                 "Dataset files or folders: show each node's prompt count, by intent");
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace

// `safeval taxonomy <subcommand>`; only `show` so far.
void SetupTaxonomyCommand(CLI::App& sub, CliContext& context) {
  sub.require_subcommand(1);
  SetupShowCommand(*sub.add_subcommand("show", "Print a taxonomy tree, optionally with counts"),
                   context);
}

}  // namespace safeval
