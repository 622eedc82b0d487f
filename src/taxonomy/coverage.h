// Coverage of a taxonomy by a set of prompts: how many prompts fall under each node (at every
// level), by intent, persona, technique and locale; which leaf × intent cells are empty (the
// gaps); and how far the intent mix is from a target mix.
//
// Counting is one pass over the prompts with a fixed amount of work per prompt and memory that
// grows with the taxonomy and the number of distinct techniques and locales, never with the
// number of prompts. All functions are pure; a CoverageCounter is not thread-safe (one per thread).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/intent.h"
#include "core/prompt.h"
#include "core/status.h"
#include "taxonomy/taxonomy.h"

namespace safeval {

// Counts per intent, indexed by IntentIndex(intent).
using IntentCounts = std::array<int64_t, kAllIntents.size()>;
inline size_t IntentIndex(Intent intent) { return static_cast<size_t>(intent); }

struct NodeCoverage {
  // Prompts whose category is this node or lies below it (a prompt counts for its own node and
  // every ancestor).
  int64_t total = 0;
  IntentCounts by_intent{};
  // Prompts whose category is exactly this node. For a leaf this equals `total`; for an internal
  // node these prompts are in no leaf cell of the coverage matrix.
  int64_t direct = 0;
  IntentCounts direct_by_intent{};
};

// An empty cell of the leaf × intent matrix.
struct CoverageGap {
  int leaf = -1;  // index into Taxonomy::nodes()
  Intent intent = Intent::kSafe;
  friend bool operator==(const CoverageGap&, const CoverageGap&) = default;
};

// A count per distinct value (technique or locale), sorted by value.
using ValueCounts = std::vector<std::pair<std::string, int64_t>>;

struct Coverage {
  int64_t prompts = 0;
  std::vector<NodeCoverage> nodes;  // parallel to Taxonomy::nodes()
  // Prompts whose category is not a node of the taxonomy (ReadDataset never lets these
  // through); they count in the totals by intent, persona, technique and locale only.
  int64_t unknown_category = 0;

  IntentCounts by_intent{};
  std::array<int64_t, kAllPersonas.size()> by_persona{};  // indexed by static_cast<size_t>
  int64_t without_persona = 0;
  // A prompt counts once for each distinct technique of its chain.
  ValueCounts by_technique;
  int64_t without_technique = 0;
  ValueCounts by_locale;
  int64_t without_locale = 0;

  // The leaves (indexes into Taxonomy::nodes(), in table order): the rows of the matrix, whose
  // cells are nodes[leaf].by_intent.
  std::vector<int> leaves;
  // Every empty leaf × intent cell, by leaf in table order, then intent in kAllIntents order.
  std::vector<CoverageGap> gaps;
  // Prompts categorised at an internal node: counted for it and its ancestors, for no leaf.
  int64_t internal_node_prompts = 0;
};

// Counts prompts one at a time, so that callers can stream them.
class CoverageCounter {
 public:
  // `taxonomy` is borrowed and must outlive the counter.
  explicit CoverageCounter(const Taxonomy& taxonomy);
  ~CoverageCounter();
  CoverageCounter(const CoverageCounter&) = delete;
  CoverageCounter& operator=(const CoverageCounter&) = delete;

  void Add(const Prompt& prompt);
  // Rolls counts up the tree and lists the gaps. Call once, after the last Add.
  Coverage Finish() &&;

 private:
  int NodeIndex(const CategoryPath& path);

  const Taxonomy& taxonomy_;
  Coverage coverage_;
  std::unordered_map<std::string, int> node_by_path_;
  std::unordered_map<std::string, int64_t> techniques_;
  std::unordered_map<std::string, int64_t> locales_;
  std::string key_;  // reused for lookups, so a lookup does not allocate
};

// Every prompt through a CoverageCounter.
Coverage ComputeCoverage(const Taxonomy& taxonomy, const std::vector<Prompt>& prompts);

// A target share per intent, in percent (summing to 100).
struct IntentMix {
  std::array<double, kAllIntents.size()> percent = {20, 40, 40};  // default: 20/40/40
};

// Parses "safe=20,harmful=40,adversarial=40": comma-separated intent=percent pairs, each intent
// at most once, an omitted intent meaning 0, non-negative decimal numbers summing to 100 (within
// 0.001). Fails with InvalidArgument saying what is wrong with which part.
Result<IntentMix> ParseIntentMix(std::string_view text);
// "safe=20,harmful=40,adversarial=40" (shortest decimal form of each share).
std::string IntentMixToString(const IntentMix& mix);

struct IntentShare {
  Intent intent = Intent::kSafe;
  int64_t count = 0;
  double actual_percent = 0;  // 0 when there are no prompts
  double target_percent = 0;
  double deviation_points = 0;  // actual - target, in percentage points
  bool within_tolerance = true;
};

struct MixComparison {
  std::array<IntentShare, kAllIntents.size()> shares;  // in kAllIntents order
  double tolerance_points = 0;
  bool ok() const;  // every share within tolerance
};

// The actual mix of `counts` against `target`. A share is within tolerance when its deviation is
// at most `tolerance_points` either way (exactly at the boundary is within; a tiny epsilon absorbs
// floating-point rounding).
MixComparison CompareMix(const IntentCounts& counts, const IntentMix& target,
                         double tolerance_points);

}  // namespace safeval
