#include "cli/annotate_sample.h"

#include <algorithm>
#include <limits>
#include <random>
#include <string_view>

namespace safeval {
namespace {

bool IsHumanVerdict(const Verdict& v) {
  return v.judge == kGoldJudgeName || std::string_view(v.judge).starts_with("human:");
}

bool MachineJudgesDisagree(const std::vector<Verdict>& verdicts) {
  const Verdict* first = nullptr;
  for (const Verdict& v : verdicts) {
    if (IsHumanVerdict(v)) continue;
    if (first == nullptr) {
      first = &v;
    } else if (v.cls != first->cls || v.violation != first->violation) {
      return true;
    }
  }
  return false;
}

// A uniform value in [0, bound) without modulo bias. REQUIRES: bound > 0.
uint64_t UniformBelow(std::mt19937_64& rng, uint64_t bound) {
  const uint64_t max = std::numeric_limits<uint64_t>::max();
  // Values ≥ limit would make the low residues more likely; limit = 2^64 − (2^64 mod bound).
  const uint64_t excess = (max % bound + 1) % bound;
  const uint64_t limit = max - excess;  // draws in [0, limit] are accepted: limit+1 ≡ 0 mod bound
  uint64_t value = 0;
  do {
    value = rng();
  } while (excess != 0 && value > limit);
  return value % bound;
}

std::vector<int64_t> Indexes(const std::vector<SampleCandidate>& candidates) {
  std::vector<int64_t> out;
  out.reserve(candidates.size());
  for (const SampleCandidate& c : candidates) out.push_back(c.index);
  return out;
}

std::vector<int64_t> RandomSample(std::vector<int64_t> indexes, std::optional<int64_t> n,
                                  uint64_t seed) {
  const size_t take = n ? std::min(indexes.size(), static_cast<size_t>(*n)) : indexes.size();
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < take; ++i) {
    size_t j = i + static_cast<size_t>(UniformBelow(rng, indexes.size() - i));
    std::swap(indexes[i], indexes[j]);
  }
  indexes.resize(take);
  return indexes;
}

}  // namespace

std::optional<SampleCandidate> ToSampleCandidate(const StoredItem& item) {
  if (!item.result || item.result->outcome != Outcome::kJudged || item.result->verdicts.empty()) {
    return std::nullopt;
  }
  const Verdict& deciding = item.result->verdicts.front();
  const Findings& f = item.result->findings;
  SampleCandidate c;
  c.index = item.index;
  c.intent = item.prompt.intent;
  c.cls = deciding.cls;
  c.violation = deciding.violation || f.leak.value_or(false) || f.harmful_action.value_or(false);
  c.confidence = deciding.confidence;
  c.judges_disagree = MachineJudgesDisagree(item.result->verdicts);
  return c;
}

bool IsBorderline(const SampleCandidate& candidate) {
  return candidate.judges_disagree || candidate.confidence < kBorderlineConfidence;
}

bool IsFailure(const SampleCandidate& candidate) {
  return candidate.violation || (candidate.intent == Intent::kSafe && IsDecline(candidate.cls));
}

RoundSelection SelectRoundItems(std::vector<SampleCandidate> candidates,
                                const SampleOptions& options) {
  std::sort(candidates.begin(), candidates.end(),
            [](const SampleCandidate& a, const SampleCandidate& b) { return a.index < b.index; });
  RoundSelection selection;
  if (options.sample == RoundSample::kRandom) {
    selection.qualifying = static_cast<int64_t>(candidates.size());
    selection.items = RandomSample(Indexes(candidates), options.n, options.seed);
    return selection;
  }
  if (options.sample != RoundSample::kAll) {
    bool (*keep)(const SampleCandidate&) =
        options.sample == RoundSample::kBorderline ? IsBorderline : IsFailure;
    std::erase_if(candidates, [keep](const SampleCandidate& c) { return !keep(c); });
  }
  selection.qualifying = static_cast<int64_t>(candidates.size());
  selection.items = Indexes(candidates);
  if (options.n && static_cast<int64_t>(selection.items.size()) > *options.n) {
    selection.items.resize(static_cast<size_t>(*options.n));
  }
  return selection;
}

}  // namespace safeval
