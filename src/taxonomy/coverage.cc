// Coverage counting (one pass, roll-up at the end) and the intent-mix comparison.
#include "taxonomy/coverage.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace safeval {
namespace {

// Absorbs rounding in percentages such as 100 * 1 / 3, so a share exactly at the tolerance (or a
// mix of thirds summing to 100) is not rejected by the last bit of a double.
constexpr double kEpsilon = 1e-9;
constexpr double kMixSumSlack = 0.001;

ValueCounts Sorted(const std::unordered_map<std::string, int64_t>& counts) {
  ValueCounts out(counts.begin(), counts.end());
  std::sort(out.begin(), out.end());
  return out;
}

void AddIntent(IntentCounts& counts, Intent intent, int64_t n) { counts[IntentIndex(intent)] += n; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

std::string FormatNumber(double value) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return ec == std::errc() ? std::string(buffer, end) : "?";
}

Result<double> ParsePercent(std::string_view part, std::string_view number) {
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() ||
      !std::isfinite(value) || value < 0 || value > 100) {
    return Status::InvalidArgument("'" + std::string(part) +
                                   "': expected a percentage from 0 to 100 after '='");
  }
  return value;
}

}  // namespace

CoverageCounter::CoverageCounter(const Taxonomy& taxonomy) : taxonomy_(taxonomy) {
  coverage_.nodes.resize(taxonomy.nodes().size());
  for (size_t i = 0; i < taxonomy.nodes().size(); ++i) {
    node_by_path_.emplace(taxonomy.nodes()[i].path.str(), static_cast<int>(i));
  }
}

CoverageCounter::~CoverageCounter() = default;

int CoverageCounter::NodeIndex(const CategoryPath& path) {
  key_.clear();
  for (const std::string& id : path.ids()) {
    if (!key_.empty()) key_ += '/';
    key_ += id;
  }
  auto it = node_by_path_.find(key_);
  return it == node_by_path_.end() ? -1 : it->second;
}

void CoverageCounter::Add(const Prompt& prompt) {
  Coverage& c = coverage_;
  ++c.prompts;
  AddIntent(c.by_intent, prompt.intent, 1);
  if (prompt.persona) {
    ++c.by_persona[static_cast<size_t>(*prompt.persona)];
  } else {
    ++c.without_persona;
  }
  if (prompt.locale.empty()) {
    ++c.without_locale;
  } else {
    ++locales_[prompt.locale];
  }
  if (prompt.techniques.empty()) ++c.without_technique;
  for (size_t i = 0; i < prompt.techniques.size(); ++i) {
    const std::string& technique = prompt.techniques[i];
    // A chain may repeat a technique; the prompt still counts once for it.
    auto first = prompt.techniques.begin() + static_cast<std::ptrdiff_t>(i);
    if (std::find(prompt.techniques.begin(), first, technique) == first) ++techniques_[technique];
  }
  int node = NodeIndex(prompt.category);
  if (node < 0) {
    ++c.unknown_category;
    return;
  }
  ++c.nodes[node].direct;
  AddIntent(c.nodes[node].direct_by_intent, prompt.intent, 1);
}

Coverage CoverageCounter::Finish() && {
  Coverage c = std::move(coverage_);
  c.by_technique = Sorted(techniques_);
  c.by_locale = Sorted(locales_);
  const std::vector<TaxonomyNode>& nodes = taxonomy_.nodes();
  for (size_t i = 0; i < nodes.size(); ++i) {
    c.nodes[i].total = c.nodes[i].direct;
    c.nodes[i].by_intent = c.nodes[i].direct_by_intent;
  }
  // Nodes are in pre-order (parents first), so walking backwards adds each node's finished
  // total to its parent before the parent is itself added to its own parent.
  for (size_t i = nodes.size(); i-- > 0;) {
    int parent = nodes[i].parent;
    if (parent < 0) continue;
    c.nodes[parent].total += c.nodes[i].total;
    for (Intent intent : kAllIntents) {
      AddIntent(c.nodes[parent].by_intent, intent, c.nodes[i].by_intent[IntentIndex(intent)]);
    }
  }
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].children.empty()) {
      c.internal_node_prompts += c.nodes[i].direct;
      continue;
    }
    c.leaves.push_back(static_cast<int>(i));
    for (Intent intent : kAllIntents) {
      if (c.nodes[i].by_intent[IntentIndex(intent)] == 0) {
        c.gaps.push_back({static_cast<int>(i), intent});
      }
    }
  }
  return c;
}

Coverage ComputeCoverage(const Taxonomy& taxonomy, const std::vector<Prompt>& prompts) {
  CoverageCounter counter(taxonomy);
  for (const Prompt& prompt : prompts) counter.Add(prompt);
  return std::move(counter).Finish();
}

Result<IntentMix> ParseIntentMix(std::string_view text) {
  IntentMix mix;
  mix.percent.fill(0);
  std::array<bool, kAllIntents.size()> seen{};
  if (Trim(text).empty()) {
    return Status::InvalidArgument("empty mix (expected e.g. safe=20,harmful=40,adversarial=40)");
  }
  double sum = 0;
  for (bool more = true; more;) {
    size_t comma = text.find(',');
    std::string_view part = Trim(text.substr(0, comma));
    more = comma != std::string_view::npos;
    if (more) text.remove_prefix(comma + 1);
    size_t equals = part.find('=');
    if (equals == std::string_view::npos) {
      return Status::InvalidArgument("'" + std::string(part) +
                                     "': expected intent=percent, e.g. harmful=40");
    }
    std::string_view name = Trim(part.substr(0, equals));
    std::optional<Intent> intent = ParseIntent(name);
    if (!intent) {
      return Status::InvalidArgument("'" + std::string(name) +
                                     "' is not an intent (expected safe, harmful or adversarial)");
    }
    if (seen[IntentIndex(*intent)]) {
      return Status::InvalidArgument("'" + std::string(name) + "' is given more than once");
    }
    seen[IntentIndex(*intent)] = true;
    SV_ASSIGN_OR_RETURN(double percent, ParsePercent(part, Trim(part.substr(equals + 1))));
    mix.percent[IntentIndex(*intent)] = percent;
    sum += percent;
  }
  if (std::abs(sum - 100) > kMixSumSlack) {
    return Status::InvalidArgument("the shares sum to " + FormatNumber(sum) + ", not 100");
  }
  return mix;
}

std::string IntentMixToString(const IntentMix& mix) {
  std::string out;
  for (Intent intent : kAllIntents) {
    if (!out.empty()) out += ',';
    out += std::string(Name(intent)) + "=" + FormatNumber(mix.percent[IntentIndex(intent)]);
  }
  return out;
}

bool MixComparison::ok() const {
  return std::all_of(shares.begin(), shares.end(),
                     [](const IntentShare& share) { return share.within_tolerance; });
}

MixComparison CompareMix(const IntentCounts& counts, const IntentMix& target,
                         double tolerance_points) {
  int64_t total = 0;
  for (int64_t n : counts) total += n;
  MixComparison out;
  out.tolerance_points = tolerance_points;
  for (size_t i = 0; i < kAllIntents.size(); ++i) {
    IntentShare& share = out.shares[i];
    share.intent = kAllIntents[i];
    share.count = counts[i];
    share.actual_percent =
        total > 0 ? 100.0 * static_cast<double>(counts[i]) / static_cast<double>(total) : 0;
    share.target_percent = target.percent[i];
    share.deviation_points = share.actual_percent - share.target_percent;
    share.within_tolerance = std::abs(share.deviation_points) <= tolerance_points + kEpsilon;
  }
  return out;
}

}  // namespace safeval
