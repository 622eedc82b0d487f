// safeval dataset dedup FILE... [--taxonomy SPEC] [--threshold 0.8] [--drop OUT.jsonl] [--json]
// Prints the exact and near-duplicate clusters and a summary; --drop writes a copy that keeps
// the first prompt of each cluster. Exit 1 when there are duplicates (so CI can enforce a
// duplicate-free dataset), 0 when there are none, 2 on bad input.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/dataset_command.h"
#include "core/terminal_text.h"
#include "dataset/atomic_output_file.h"
#include "dataset/dataset.h"
#include "dataset/dedup.h"

namespace safeval {
namespace {

struct DedupFlags {
  std::vector<std::string> files;
  std::string taxonomy = "builtin:safeval-v1";
  double threshold = 0.8;
  std::string drop;
  bool json = false;
};

std::string Fixed2(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", value);
  return buf;
}

// For each cluster, the pairs inside it (every pair lies inside one cluster).
std::vector<std::vector<const DuplicatePair*>> PairsByCluster(const DedupReport& report,
                                                              size_t prompt_count) {
  std::vector<int64_t> cluster_of(prompt_count, -1);
  for (size_t c = 0; c < report.clusters.size(); ++c) {
    for (size_t member : report.clusters[c].members) cluster_of[member] = static_cast<int64_t>(c);
  }
  std::vector<std::vector<const DuplicatePair*>> out(report.clusters.size());
  for (const DuplicatePair& pair : report.pairs) out[cluster_of[pair.a]].push_back(&pair);
  return out;
}

size_t CountKind(const DedupReport& report, DuplicateKind kind) {
  return std::count_if(report.clusters.begin(), report.clusters.end(),
                       [kind](const DuplicateCluster& c) { return c.kind == kind; });
}

void PrintCluster(const std::vector<Prompt>& prompts, size_t number,
                  const DuplicateCluster& cluster, const std::vector<const DuplicatePair*>& pairs,
                  std::ostream& out) {
  out << Name(cluster.kind) << " cluster " << number << " (" << cluster.members.size()
      << " prompts):";
  for (size_t k = 0; k < cluster.members.size(); ++k) {
    out << (k ? ", " : " ") << TerminalText(prompts[cluster.members[k]].id) << (k ? "" : " (kept)");
  }
  out << "\n";
  if (cluster.kind == DuplicateKind::kExact) return;  // every pair is 1.00: nothing to add
  for (const DuplicatePair* pair : pairs) {
    out << "  " << TerminalText(prompts[pair->a].id) << " ~ " << TerminalText(prompts[pair->b].id)
        << "  jaccard "
        << Fixed2(pair->jaccard) << (pair->kind == DuplicateKind::kExact ? " (exact)" : "") << "\n";
  }
}

void PrintText(const std::vector<Prompt>& prompts, const DedupReport& report,
               const DedupFlags& flags, std::ostream& out) {
  auto pairs = PairsByCluster(report, prompts.size());
  for (size_t c = 0; c < report.clusters.size(); ++c) {
    PrintCluster(prompts, c + 1, report.clusters[c], pairs[c], out);
  }
  out << prompts.size() << " prompts: " << CountKind(report, DuplicateKind::kExact)
      << " exact-duplicate clusters, " << CountKind(report, DuplicateKind::kNear)
      << " near-duplicate clusters, " << report.duplicates << " duplicates to drop (threshold "
      << Fixed2(flags.threshold) << ", LSH " << report.lsh.bands << " bands x " << report.lsh.rows
      << " rows)\n";
  if (report.large_buckets > 0) {
    out << "note: " << report.large_buckets
        << " LSH buckets held more than 64 similar prompts (templated texts?); in those only "
           "pairs with one of a bucket's first 32 prompts were compared\n";
  }
}

nlohmann::json ReportJson(const std::vector<Prompt>& prompts, const DedupReport& report,
                          const DedupFlags& flags) {
  auto pairs = PairsByCluster(report, prompts.size());
  nlohmann::json clusters = nlohmann::json::array();
  for (size_t c = 0; c < report.clusters.size(); ++c) {
    const DuplicateCluster& cluster = report.clusters[c];
    nlohmann::json ids = nlohmann::json::array(), cluster_pairs = nlohmann::json::array();
    for (size_t member : cluster.members) ids.push_back(prompts[member].id);
    std::string keep = prompts[cluster.members[0]].id;
    for (const DuplicatePair* pair : pairs[c]) {
      cluster_pairs.push_back({{"a", prompts[pair->a].id},
                               {"b", prompts[pair->b].id},
                               {"jaccard", pair->jaccard},
                               {"kind", Name(pair->kind)}});
    }
    clusters.push_back({{"kind", Name(cluster.kind)},
                        {"keep", std::move(keep)},
                        {"ids", std::move(ids)},
                        {"pairs", std::move(cluster_pairs)}});
  }
  return {{"schema_version", 1},
          {"prompts", prompts.size()},
          {"threshold", flags.threshold},
          {"lsh", {{"bands", report.lsh.bands}, {"rows", report.lsh.rows}}},
          {"exact_clusters", CountKind(report, DuplicateKind::kExact)},
          {"near_clusters", CountKind(report, DuplicateKind::kNear)},
          {"duplicates", report.duplicates},
          {"large_buckets", report.large_buckets},
          {"kept", prompts.size() - report.duplicates},
          {"clusters", std::move(clusters)}};
}

// Writes the prompts not marked in `drop`, in file order, as canonical JSONL.
Status WriteKept(const std::vector<Prompt>& prompts, const std::vector<bool>& drop,
                 const std::string& path) {
  SV_ASSIGN_OR_RETURN(std::unique_ptr<AtomicOutputFile> file, AtomicOutputFile::Open(path));
  for (size_t i = 0; i < prompts.size(); ++i) {
    if (!drop[i]) file->stream() << PromptToJsonLine(prompts[i]) << '\n';
  }
  return file->Commit();
}

Result<Dataset> Load(const DedupFlags& flags, std::ostream& err) {
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(flags.taxonomy, ""));
  DatasetLoad load = ReadDataset(flags.files, taxonomy);
  if (load.problems.empty()) return std::move(load.dataset);
  err << TerminalText(FormatProblems(load.problems), LineBreaks::kKeep) << "\n";
  return Status::InvalidArgument(std::to_string(load.problems.size()) +
                                 " problems in the dataset; nothing compared (see 'safeval "
                                 "dataset validate')");
}

void Execute(const DedupFlags& flags, CliContext& context) {
  Result<Dataset> dataset = Load(flags, *context.err);
  if (!dataset.ok()) {
    context.Fail(dataset.status());
    return;
  }
  const std::vector<Prompt>& prompts = dataset->prompts;
  int threads = std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, 2);
  Result<DedupReport> report = FindDuplicates(prompts, {flags.threshold, threads});
  if (!report.ok()) {
    context.Fail(report.status());
    return;
  }
  if (flags.json) {
    *context.out << ReportJson(prompts, *report, flags).dump(2) << "\n";
  } else {
    PrintText(prompts, *report, flags, *context.out);
  }
  if (!flags.drop.empty()) {
    Status written = WriteKept(prompts, DuplicatesToDrop(*report, prompts.size()), flags.drop);
    if (!written.ok()) {
      context.Fail(written);
      return;
    }
    *context.err << "wrote " << prompts.size() - report->duplicates << " prompts to " << flags.drop
                 << "\n";
  }
  context.exit_code = report->duplicates > 0 ? kExitGateFailed : kExitOk;
}

}  // namespace

void SetupDatasetDedupCommand(CLI::App& sub, CliContext& context) {
  auto flags = std::make_shared<DedupFlags>();
  sub.add_option("files", flags->files, "Dataset files (.jsonl) or folders of them")->required();
  sub.add_option("--taxonomy", flags->taxonomy,
                 "builtin:safeval-v1, builtin:ailuminate-v1 or a taxonomy.yaml path")
      ->capture_default_str();
  sub.add_option("--threshold", flags->threshold,
                 "Near-duplicate when the estimated Jaccard similarity of 3-word shingles is at "
                 "least this")
      ->check(CLI::Range(0.01, 1.0))
      ->capture_default_str();
  sub.add_option("--drop", flags->drop,
                 "Write a copy keeping only the first prompt of each cluster (canonical JSONL)");
  sub.add_flag("--json", flags->json, "Print one JSON document instead of text");
  sub.callback([flags, &context] { Execute(*flags, context); });
}

}  // namespace safeval
