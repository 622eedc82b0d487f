// StratifiedSample: proportional allocation by largest remainders, then a
// partial Fisher-Yates shuffle per stratum on a splitmix64 stream.
#include "dataset/sample.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <queue>

#include "core/hash.h"

namespace safeval {
namespace {

struct AxisName {
  std::string_view name;
  StratumAxis axis;
};
constexpr AxisName kAxisNames[] = {{"category", StratumAxis::kCategory},
                                   {"intent", StratumAxis::kIntent},
                                   {"persona", StratumAxis::kPersona},
                                   {"technique", StratumAxis::kTechnique},
                                   {"locale", StratumAxis::kLocale}};

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

Result<StratumKey> ParseOneKey(std::string_view item) {
  std::string_view name = item.substr(0, item.find(':'));
  for (const AxisName& known : kAxisNames) {
    if (known.name != name) continue;
    StratumKey key{known.axis, 0};
    if (name.size() == item.size()) return key;
    std::string_view digits = item.substr(name.size() + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), key.depth);
    if (known.axis != StratumAxis::kCategory || ec != std::errc() ||
        end != digits.data() + digits.size() || key.depth == 0) {
      return Status::InvalidArgument("bad stratum key '" + std::string(item) +
                                     "': only category takes a depth, e.g. category:1");
    }
    return key;
  }
  return Status::InvalidArgument("unknown stratum key '" + std::string(item) +
                                 "' (expected category[:DEPTH], intent, persona, technique, "
                                 "locale)");
}

std::string Join(const std::vector<std::string>& items, char separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string AxisValue(const Prompt& prompt, const StratumKey& key) {
  switch (key.axis) {
    case StratumAxis::kCategory:
      return (key.depth > 0 ? prompt.category.Prefix(key.depth) : prompt.category).str();
    case StratumAxis::kIntent:
      return std::string(Name(prompt.intent));
    case StratumAxis::kPersona:
      return prompt.persona ? std::string(Name(*prompt.persona)) : "-";
    case StratumAxis::kTechnique:
      return prompt.techniques.empty() ? "-" : Join(prompt.techniques, '+');
    case StratumAxis::kLocale:
      return prompt.locale.empty() ? "-" : prompt.locale;
  }
  return "-";
}

std::string_view AxisName(StratumAxis axis) {
  for (const auto& known : kAxisNames) {
    if (known.axis == axis) return known.name;
  }
  return "?";
}

// Shares of n proportional to `sizes` (total > n), by largest remainders,
// then at least one each when n >= sizes.size(). Integer arithmetic only.
std::vector<size_t> Allocate(const std::vector<size_t>& sizes, size_t total, size_t n) {
  size_t k = sizes.size();
  std::vector<size_t> share(k);
  std::vector<uint64_t> remainder(k);
  size_t given = 0;
  for (size_t j = 0; j < k; ++j) {
    uint64_t scaled = static_cast<uint64_t>(n) * sizes[j];
    share[j] = scaled / total;
    remainder[j] = scaled % total;
    given += share[j];
  }
  std::vector<size_t> order(k);
  for (size_t j = 0; j < k; ++j) order[j] = j;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return remainder[x] > remainder[y]; });
  for (size_t i = 0; given < n; ++i, ++given) ++share[order[i]];
  if (n < k) return share;
  // Strata that can give one away (share >= 2), the furthest above its exact share first
  // (surplus = share * total - n * size; ties: label order).
  using Donor = std::pair<int64_t, size_t>;  // (surplus, stratum)
  auto after = [](const Donor& x, const Donor& y) {
    return x.first != y.first ? x.first < y.first : x.second > y.second;
  };
  std::priority_queue<Donor, std::vector<Donor>, decltype(after)> donors(after);
  auto surplus = [&](size_t j) {
    return static_cast<int64_t>(share[j] * total) - static_cast<int64_t>(n * sizes[j]);
  };
  for (size_t j = 0; j < k; ++j) {
    if (share[j] >= 2) donors.push({surplus(j), j});
  }
  for (size_t j = 0; j < k; ++j) {
    if (share[j] > 0) continue;
    size_t donor = donors.top().second;  // exists: the other k-1 strata hold n >= k prompts
    donors.pop();
    --share[donor];
    if (share[donor] >= 2) donors.push({surplus(donor), donor});
    share[j] = 1;
  }
  return share;
}

// The first `count` of a random permutation of `members` (partial Fisher-Yates).
void Draw(std::vector<size_t>& members, size_t count, SplitMix64& rng, std::vector<size_t>* out) {
  for (size_t i = 0; i < count; ++i) {
    size_t pick = i + static_cast<size_t>(rng.Below(members.size() - i));
    std::swap(members[i], members[pick]);
    out->push_back(members[i]);
  }
}

}  // namespace

uint64_t SplitMix64::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::Below(uint64_t bound) {
  // 2^64 mod bound values at the bottom would be drawn once more than the rest: skip them.
  uint64_t skip = (0 - bound) % bound;
  for (;;) {
    uint64_t r = Next();
    if (r >= skip) return r % bound;
  }
}

Result<std::vector<StratumKey>> ParseStratumKeys(std::string_view text) {
  std::vector<StratumKey> keys;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = Trim(text.substr(start, comma - start));
    if (item.empty()) {
      return Status::InvalidArgument("empty stratum key in '" + std::string(text) + "'");
    }
    SV_ASSIGN_OR_RETURN(StratumKey key, ParseOneKey(item));
    for (const StratumKey& seen : keys) {
      if (seen.axis == key.axis) {
        return Status::InvalidArgument("stratum key '" + std::string(AxisName(key.axis)) +
                                       "' given twice");
      }
    }
    keys.push_back(key);
    start = comma + 1;
  }
  return keys;
}

std::string StratumLabel(const Prompt& prompt, const std::vector<StratumKey>& keys) {
  std::string label;
  for (const StratumKey& key : keys) {
    if (!label.empty()) label += ' ';
    label += std::string(AxisName(key.axis)) + "=" + AxisValue(prompt, key);
  }
  return label;
}

Result<Sample> StratifiedSample(const std::vector<Prompt>& prompts, size_t n,
                                const std::vector<StratumKey>& keys, uint64_t seed) {
  if (keys.empty()) return Status::InvalidArgument("stratified sample needs at least one key");
  if (prompts.size() >= (size_t{1} << 31)) {  // keeps n * size below 2^62 in Allocate
    return Status::InvalidArgument("too many prompts to sample (at most 2^31 - 1)");
  }
  std::map<std::string, std::vector<size_t>> members;  // label order
  for (size_t i = 0; i < prompts.size(); ++i) members[StratumLabel(prompts[i], keys)].push_back(i);
  Sample sample;
  std::vector<size_t> sizes;
  for (const auto& [label, list] : members) {
    sample.strata.push_back({label, list.size(), 0});
    sizes.push_back(list.size());
  }
  std::vector<size_t> shares = n >= prompts.size() ? sizes : Allocate(sizes, prompts.size(), n);
  size_t j = 0;
  for (auto& [label, list] : members) {
    SplitMix64 rng(seed ^ Hash64(label));
    Draw(list, shares[j], rng, &sample.indices);
    sample.strata[j].sampled = shares[j];
    ++j;
  }
  std::sort(sample.indices.begin(), sample.indices.end());
  return sample;
}

}  // namespace safeval
