// Duplicate detection over a dataset's prompts: exact duplicates (same text
// after normalisation) and near-duplicates (MinHash over word 3-shingles,
// banded LSH, confirmed by the MinHash Jaccard estimate).
//
// The text of a prompt is all its user turns joined with "\n". Normalisation
// lower-cases ASCII letters and turns every run of ASCII punctuation, control
// characters and whitespace into one space (trimmed at both ends); bytes >= 0x80
// are kept as they are, so UTF-8 stays intact and non-ASCII letters count as
// word characters. Near-duplicates compare the sets of 3-word shingles (a text
// of fewer than 3 words is one shingle: the whole normalised text).
//
// Deterministic: the same prompts and options give the same report, whatever
// `threads` is. FindDuplicates is a pure function of its arguments and safe to
// call from several threads at once. Memory: 256 bytes of signature per prompt
// plus a few index arrays (about 300 MB for 1,000,000 prompts); the work is
// O(n log n) plus at most 64 signature comparisons per prompt and LSH band.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

// Number of MinHash functions per signature.
inline constexpr int kMinHashSize = 128;
// Words per shingle.
inline constexpr int kShingleWords = 3;

struct DedupOptions {
  // Near-duplicate when the estimated Jaccard similarity of the shingle sets is
  // at least this. REQUIRES: 0 < threshold <= 1.
  double threshold = 0.8;
  // Threads used for signatures and LSH bands (1 or more); does not change the result.
  int threads = 1;
};

enum class DuplicateKind { kExact, kNear };
std::string_view Name(DuplicateKind kind);  // "exact" | "near"

// Two prompts, as indices into the prompts given to FindDuplicates, a < b.
struct DuplicatePair {
  size_t a = 0;
  size_t b = 0;
  double jaccard = 1.0;  // 1 for exact pairs; the MinHash estimate for near pairs
  DuplicateKind kind = DuplicateKind::kExact;
};

// A connected group of duplicates (the transitive closure of the pairs).
struct DuplicateCluster {
  std::vector<size_t> members;  // in file order; members[0] is the one to keep
  // kExact when every member has the same normalised text, kNear otherwise.
  DuplicateKind kind = DuplicateKind::kExact;
};

// The LSH banding: `bands` bands of `rows` signature values each (bands * rows <= 128).
struct LshBands {
  int bands = 0;
  int rows = 0;
};

struct DedupReport {
  // Exact pairs join each later copy to the first prompt with the same
  // normalised text. Near pairs join only those first copies (the
  // "representatives"): a later exact copy of a representative is implied.
  // Sorted by (a, b).
  std::vector<DuplicatePair> pairs;
  // Clusters of two or more prompts, ordered by their first member.
  std::vector<DuplicateCluster> clusters;
  LshBands lsh;
  size_t duplicates = 0;  // prompts that are not the first of their cluster
  // LSH buckets (counted once per band) of more than 64 prompts. In such a bucket each prompt
  // is compared only with the bucket's first 32 prompts, which keeps templated datasets from
  // costing quadratic time; a near pair of two later prompts may then be missing from `pairs`
  // (their clusters still join when both are near one of those 32).
  size_t large_buckets = 0;
};

// Finds exact and near duplicates among `prompts`. Fails (InvalidArgument) on a
// threshold outside (0, 1] or threads < 1. A prompt with no shingle (empty or
// punctuation-only text) can be an exact duplicate but never a near one.
Result<DedupReport> FindDuplicates(const std::vector<Prompt>& prompts, const DedupOptions& options);

// True for each prompt that is in a cluster but not its first member (what
// `dataset dedup --drop` leaves out). Returns `count` entries.
std::vector<bool> DuplicatesToDrop(const DedupReport& report, size_t count);

// The banding for `threshold`: the largest `rows` (fewest false candidates) for
// which a pair exactly at the threshold becomes a candidate with probability
// >= 0.99, with bands = floor(128 / rows). For 0.8 that is 21 bands of 6 rows:
// P(candidate) is 0.998 at Jaccard 0.8, 0.99999 at 0.9 and 0.28 at 0.5.
LshBands ChooseLshBands(double threshold);

// 1 - (1 - s^rows)^bands: the probability that a pair of Jaccard similarity s
// shares at least one band.
double CandidateProbability(double similarity, LshBands lsh);

// Exposed for tests and for tools that want the same view of the text.
std::string DedupText(const Prompt& prompt);                       // user turns joined with "\n"
std::string NormalizeForDedup(std::string_view text);              // see the top of this file
std::vector<uint64_t> ShingleHashes(std::string_view normalized);  // one per shingle, in order

}  // namespace safeval
