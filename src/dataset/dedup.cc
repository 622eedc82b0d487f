// FindDuplicates: exact groups by normalised-text hash, then MinHash + banded LSH
// over the first prompt of each group, then union-find into clusters.
#include "dataset/dedup.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "core/hash.h"

namespace safeval {
namespace {

// A pair at the threshold must become an LSH candidate with at least this probability.
constexpr double kMinCandidateProbability = 0.99;
// An LSH bucket with more prompts than this (templated texts that share most shingles) is
// not compared all-pairs, which would be quadratic: each of its prompts is compared with the
// bucket's first kBucketPivots prompts only. This bounds the work to 64 comparisons per
// prompt and band whatever the data.
constexpr size_t kLargeBucket = 64;
constexpr size_t kBucketPivots = 32;

// Multiplier (odd) and increment of each of the 128 hash functions.
struct Seeds {
  std::array<uint64_t, kMinHashSize> mul;
  std::array<uint64_t, kMinHashSize> add;
};

uint64_t NextSplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// The 128 hash functions are multiply-add-shift hashes of the shingle's 64-bit
// xxHash3: h_i(x) = (mul_i * x + add_i) mod 2^64, top 32 bits (Dietzfelbinger's
// universal family; the input is already a good hash, so this cheap family is
// enough, and it is about twice as fast as a full 64-bit mixer per function).
// mul_i (made odd) and add_i are consecutive outputs of splitmix64 from a fixed
// start. Changing the start or the family changes every report.
Seeds MakeSeeds() {
  Seeds seeds;
  uint64_t state = 0x5afe'd0d0'cafe'f00dULL;
  for (int f = 0; f < kMinHashSize; ++f) {
    seeds.mul[f] = NextSplitMix64(&state) | 1;
    seeds.add[f] = NextSplitMix64(&state);
  }
  return seeds;
}

inline uint32_t HashOf(uint64_t x, const Seeds& seeds, int f) {
  return static_cast<uint32_t>((seeds.mul[f] * x + seeds.add[f]) >> 32);
}

inline bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Appends the normalised `text` to *out as if a separator stood between them.
void AppendNormalized(std::string_view text, std::string* out) {
  bool pending_space = !out->empty();
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (!IsWordByte(c)) {
      pending_space = !out->empty();
      continue;
    }
    if (pending_space) out->push_back(' ');
    pending_space = false;
    out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : ch);
  }
}

void NormalizeUserTurns(const Prompt& prompt, std::string* out) {
  out->clear();
  for (const Turn& turn : prompt.turns) {
    if (turn.role == "user") AppendNormalized(turn.content, out);
  }
}

// Calls fn(hash) for each shingle of a normalised text; `starts` is scratch space.
template <typename Fn>
void ForEachShingle(std::string_view text, std::vector<size_t>* starts, Fn fn) {
  if (text.empty()) return;
  starts->clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 0 || text[i - 1] == ' ') starts->push_back(i);
  }
  size_t words = starts->size();
  if (words < static_cast<size_t>(kShingleWords)) {
    fn(Hash64(text));
    return;
  }
  for (size_t first = 0; first + kShingleWords <= words; ++first) {
    size_t begin = (*starts)[first];
    size_t after = first + kShingleWords;
    size_t end = after < words ? (*starts)[after] - 1 : text.size();
    fn(Hash64(text.substr(begin, end - begin)));
  }
}

// Per-prompt results of the first pass. Signatures keep the low 16 bits of each
// 32-bit minimum ("b-bit MinHash"): unequal minima then agree by chance with
// probability 2^-16, a bias far below the estimate's own spread (about 0.035 at
// Jaccard 0.8), for half the memory.
struct Signatures {
  std::vector<uint64_t> text_hash;  // Hash64 of the normalised text
  std::vector<uint16_t> values;     // kMinHashSize per prompt
  std::vector<uint8_t> has_shingles;

  const uint16_t* Of(size_t i) const { return values.data() + i * kMinHashSize; }
};

class SignatureWorker {
 public:
  SignatureWorker(const Seeds& seeds, Signatures* out) : seeds_(seeds), out_(out) {}

  void Run(const std::vector<Prompt>& prompts, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) One(prompts[i], i);
  }

 private:
  void One(const Prompt& prompt, size_t index) {
    NormalizeUserTurns(prompt, &text_);
    out_->text_hash[index] = Hash64(text_);
    std::array<uint32_t, kMinHashSize> mins;
    mins.fill(std::numeric_limits<uint32_t>::max());
    bool any = false;
    ForEachShingle(text_, &starts_, [&](uint64_t shingle) {
      any = true;
      for (int f = 0; f < kMinHashSize; ++f) {
        mins[f] = std::min(mins[f], HashOf(shingle, seeds_, f));
      }
    });
    out_->has_shingles[index] = any ? 1 : 0;
    uint16_t* sig = out_->values.data() + index * kMinHashSize;
    for (int f = 0; f < kMinHashSize; ++f) sig[f] = static_cast<uint16_t>(mins[f]);
  }

  const Seeds& seeds_;
  Signatures* out_;
  std::string text_;
  std::vector<size_t> starts_;
};

// Runs fn(thread_index, begin, end) over [0, count) split into `threads` slices.
template <typename Fn>
void ParallelSlices(int threads, size_t count, Fn fn) {
  if (threads <= 1 || count < 2) {
    fn(0, 0, count);
    return;
  }
  std::vector<std::thread> workers;
  size_t slice = (count + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    size_t begin = std::min(count, t * slice);
    size_t end = std::min(count, begin + slice);
    workers.emplace_back([&fn, t, begin, end] { fn(t, begin, end); });
  }
  for (std::thread& worker : workers) worker.join();
}

Signatures ComputeSignatures(const std::vector<Prompt>& prompts, int threads) {
  Signatures sigs;
  sigs.text_hash.resize(prompts.size());
  sigs.values.resize(prompts.size() * kMinHashSize);
  sigs.has_shingles.resize(prompts.size());
  Seeds seeds = MakeSeeds();
  ParallelSlices(threads, prompts.size(), [&](int, size_t begin, size_t end) {
    SignatureWorker(seeds, &sigs).Run(prompts, begin, end);
  });
  return sigs;
}

double EstimateJaccard(const uint16_t* a, const uint16_t* b) {
  int same = 0;
  for (int f = 0; f < kMinHashSize; ++f) same += a[f] == b[f] ? 1 : 0;
  return static_cast<double>(same) / kMinHashSize;
}

// Exact groups: the first prompt of each normalised text is its representative.
// Appends (representative, copy) pairs and returns representative[i] for each i.
std::vector<uint32_t> GroupExact(const Signatures& sigs, std::vector<DuplicatePair>* pairs) {
  size_t n = sigs.text_hash.size();
  std::vector<uint32_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) {
    return std::pair(sigs.text_hash[x], x) < std::pair(sigs.text_hash[y], y);
  });
  std::vector<uint32_t> representative(n);
  for (size_t k = 0; k < n; ++k) {
    bool starts_group = k == 0 || sigs.text_hash[order[k]] != sigs.text_hash[order[k - 1]];
    representative[order[k]] = starts_group ? order[k] : representative[order[k - 1]];
    if (!starts_group)
      pairs->push_back({representative[order[k]], order[k], 1.0, DuplicateKind::kExact});
  }
  return representative;
}

struct BandEntry {
  uint64_t key;
  uint32_t index;
  friend bool operator<(const BandEntry& x, const BandEntry& y) {
    return std::pair(x.key, x.index) < std::pair(y.key, y.index);
  }
};

// What the bands found: near pairs (a pair may appear once per band it shares).
struct BandFindings {
  std::vector<DuplicatePair> pairs;
  size_t large_buckets = 0;
};

// Compares the prompts entries[begin, end) (one bucket, in file order), appending the pairs at
// or above the threshold. A large bucket compares each prompt with the first kBucketPivots only.
void ScanBucket(const Signatures& sigs, const std::vector<BandEntry>& entries, size_t begin,
                size_t end, double threshold, BandFindings* out) {
  size_t pivots_end = end;
  if (end - begin > kLargeBucket) {
    pivots_end = begin + kBucketPivots;
    ++out->large_buckets;
  }
  for (size_t x = begin; x < pivots_end; ++x) {
    for (size_t y = x + 1; y < end; ++y) {
      uint32_t a = entries[x].index, b = entries[y].index;
      double jaccard = EstimateJaccard(sigs.Of(a), sigs.Of(b));
      if (jaccard >= threshold) out->pairs.push_back({a, b, jaccard, DuplicateKind::kNear});
    }
  }
}

// Near pairs among `members` that share band `band` and pass the threshold.
void ScanBand(const Signatures& sigs, const std::vector<uint32_t>& members, LshBands lsh, int band,
              double threshold, std::vector<BandEntry>* entries, BandFindings* out) {
  entries->clear();
  size_t bytes = lsh.rows * sizeof(uint16_t);
  for (uint32_t i : members) {
    auto* row = reinterpret_cast<const char*>(sigs.Of(i) + band * lsh.rows);
    entries->push_back({Hash64(std::string_view(row, bytes)), i});
  }
  std::sort(entries->begin(), entries->end());
  for (size_t begin = 0; begin < entries->size();) {
    size_t end = begin + 1;
    while (end < entries->size() && (*entries)[end].key == (*entries)[begin].key) ++end;
    if (end - begin > 1) ScanBucket(sigs, *entries, begin, end, threshold, out);
    begin = end;
  }
}

BandFindings FindNearPairs(const Signatures& sigs, const std::vector<uint32_t>& representative,
                           LshBands lsh, const DedupOptions& options) {
  std::vector<uint32_t> members;  // representatives with at least one shingle
  for (size_t i = 0; i < representative.size(); ++i) {
    if (representative[i] == i && sigs.has_shingles[i]) members.push_back(static_cast<uint32_t>(i));
  }
  std::vector<BandFindings> found(std::max(1, options.threads));
  ParallelSlices(options.threads, static_cast<size_t>(lsh.bands), [&](int t, size_t b, size_t e) {
    std::vector<BandEntry> entries;
    entries.reserve(members.size());
    for (size_t band = b; band < e; ++band) {
      ScanBand(sigs, members, lsh, static_cast<int>(band), options.threshold, &entries, &found[t]);
    }
  });
  BandFindings all;
  for (BandFindings& part : found) {
    all.pairs.insert(all.pairs.end(), part.pairs.begin(), part.pairs.end());
    all.large_buckets += part.large_buckets;
  }
  return all;
}

// Union-find whose root is always the smallest index, i.e. the first in file order.
class Clusters {
 public:
  explicit Clusters(size_t n) : parent_(n) {
    for (size_t i = 0; i < n; ++i) parent_[i] = static_cast<uint32_t>(i);
  }
  uint32_t Find(uint32_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void Join(uint32_t a, uint32_t b) {
    uint32_t ra = Find(a), rb = Find(b);
    if (ra < rb) parent_[rb] = ra;
    if (rb < ra) parent_[ra] = rb;
  }

 private:
  std::vector<uint32_t> parent_;
};

std::vector<DuplicateCluster> BuildClusters(const std::vector<DuplicatePair>& pairs,
                                            const Signatures& sigs) {
  size_t n = sigs.text_hash.size();
  Clusters sets(n);
  for (const DuplicatePair& pair : pairs) {
    sets.Join(static_cast<uint32_t>(pair.a), static_cast<uint32_t>(pair.b));
  }
  std::vector<DuplicateCluster> clusters;
  std::vector<int64_t> cluster_of(n, -1);  // by root
  for (size_t i = 0; i < n; ++i) {
    uint32_t root = sets.Find(static_cast<uint32_t>(i));
    if (root == i) continue;  // roots come first; a cluster starts at its first non-root
    if (cluster_of[root] < 0) {
      cluster_of[root] = static_cast<int64_t>(clusters.size());
      clusters.push_back({{root}, DuplicateKind::kExact});
    }
    DuplicateCluster& cluster = clusters[cluster_of[root]];
    cluster.members.push_back(i);
    if (sigs.text_hash[i] != sigs.text_hash[root]) cluster.kind = DuplicateKind::kNear;
  }
  return clusters;
}

Status CheckOptions(size_t count, const DedupOptions& options) {
  if (!(options.threshold > 0 && options.threshold <= 1)) {
    return Status::InvalidArgument("dedup threshold must be in (0, 1], got " +
                                   std::to_string(options.threshold));
  }
  if (options.threads < 1) return Status::InvalidArgument("dedup threads must be at least 1");
  if (count >= std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("too many prompts for dedup (at most 4294967294)");
  }
  return Status::Ok();
}

}  // namespace

std::string_view Name(DuplicateKind kind) {
  return kind == DuplicateKind::kExact ? "exact" : "near";
}

LshBands ChooseLshBands(double threshold) {
  for (int rows = kMinHashSize; rows > 1; --rows) {
    LshBands lsh{kMinHashSize / rows, rows};
    if (CandidateProbability(threshold, lsh) >= kMinCandidateProbability) return lsh;
  }
  return {kMinHashSize, 1};
}

double CandidateProbability(double similarity, LshBands lsh) {
  return 1.0 - std::pow(1.0 - std::pow(similarity, lsh.rows), lsh.bands);
}

std::string DedupText(const Prompt& prompt) {
  std::string text;
  for (const Turn& turn : prompt.turns) {
    if (turn.role != "user") continue;
    if (!text.empty()) text += '\n';
    text += turn.content;
  }
  return text;
}

std::string NormalizeForDedup(std::string_view text) {
  std::string out;
  AppendNormalized(text, &out);
  return out;
}

std::vector<uint64_t> ShingleHashes(std::string_view normalized) {
  std::vector<uint64_t> hashes;
  std::vector<size_t> starts;
  ForEachShingle(normalized, &starts, [&](uint64_t h) { hashes.push_back(h); });
  return hashes;
}

Result<DedupReport> FindDuplicates(const std::vector<Prompt>& prompts,
                                   const DedupOptions& options) {
  SV_RETURN_IF_ERROR(CheckOptions(prompts.size(), options));
  DedupReport report;
  report.lsh = ChooseLshBands(options.threshold);
  Signatures sigs = ComputeSignatures(prompts, options.threads);
  std::vector<uint32_t> representative = GroupExact(sigs, &report.pairs);
  BandFindings near = FindNearPairs(sigs, representative, report.lsh, options);
  report.pairs.insert(report.pairs.end(), near.pairs.begin(), near.pairs.end());
  report.large_buckets = near.large_buckets;
  auto by_ids = [](const DuplicatePair& x, const DuplicatePair& y) {
    return std::pair(x.a, x.b) < std::pair(y.a, y.b);
  };
  std::sort(report.pairs.begin(), report.pairs.end(), by_ids);
  auto same_ids = [](const DuplicatePair& x, const DuplicatePair& y) {
    return x.a == y.a && x.b == y.b;
  };
  report.pairs.erase(std::unique(report.pairs.begin(), report.pairs.end(), same_ids),
                     report.pairs.end());
  report.clusters = BuildClusters(report.pairs, sigs);
  for (const DuplicateCluster& cluster : report.clusters) {
    report.duplicates += cluster.members.size() - 1;
  }
  return report;
}

std::vector<bool> DuplicatesToDrop(const DedupReport& report, size_t count) {
  std::vector<bool> drop(count, false);
  for (const DuplicateCluster& cluster : report.clusters) {
    for (size_t k = 1; k < cluster.members.size(); ++k) {
      if (cluster.members[k] < count) drop[cluster.members[k]] = true;
    }
  }
  return drop;
}

}  // namespace safeval
