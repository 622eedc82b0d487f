// Stratified sampling of a dataset: split the prompts into strata by some of
// their axes, give each stratum a share of the sample proportional to its size
// (largest remainders), and draw that many prompts from it at random.
//
// Reproducible across compilers, standard libraries and platforms: the random
// numbers come from splitmix64 with our own unbiased bounded draw (never
// std::uniform_int_distribution, whose output differs between libraries), and
// the allocation uses integer arithmetic only. Each stratum draws from its own
// stream, seeded by the seed and the stratum's label, so a stratum's sample
// depends only on its own members and share. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "core/status.h"

namespace safeval {

enum class StratumAxis { kCategory, kIntent, kPersona, kTechnique, kLocale };

// One axis to stratify by; for kCategory, `depth` > 0 cuts the path to its
// first `depth` ids ("category:1" → top-level hazard); 0 means the full path.
struct StratumKey {
  StratumAxis axis = StratumAxis::kCategory;
  size_t depth = 0;
  friend bool operator==(const StratumKey&, const StratumKey&) = default;
};

// Parses "category,intent" or "category:1,persona". Names: category[:DEPTH],
// intent, persona, technique, locale; each at most once. Fails (InvalidArgument)
// on an empty list, an unknown name, a repeated axis or a bad depth.
Result<std::vector<StratumKey>> ParseStratumKeys(std::string_view text);

// The label of a prompt's stratum, e.g. "category=ncr intent=harmful". Missing
// values read "-" (no persona, no locale, no technique); techniques are the
// chain joined with "+".
std::string StratumLabel(const Prompt& prompt, const std::vector<StratumKey>& keys);

struct Stratum {
  std::string label;
  size_t available = 0;  // prompts in the stratum
  size_t sampled = 0;    // prompts drawn from it
};

struct Sample {
  std::vector<size_t> indices;  // into the prompts, ascending (original file order)
  std::vector<Stratum> strata;  // sorted by label
};

// Draws min(n, prompts.size()) prompts. Stratum sizes are n * size / total,
// rounded down, with the leftover given one each to the largest remainders
// (ties: label order). When n >= the number of strata every stratum gets at
// least one: a stratum rounded to 0 takes one from the stratum furthest above
// its exact share. Fails (InvalidArgument) when `keys` is empty.
Result<Sample> StratifiedSample(const std::vector<Prompt>& prompts, size_t n,
                                const std::vector<StratumKey>& keys, uint64_t seed);

// splitmix64 (Steele, Lea & Flood 2014): a small 64-bit generator whose output
// is the same everywhere. Exposed for tests and other reproducible draws.
class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, bound) by rejection (no modulo bias). REQUIRES: bound > 0.
  uint64_t Below(uint64_t bound);

 private:
  uint64_t state_;
};

}  // namespace safeval
