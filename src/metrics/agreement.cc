// Agreement statistics between annotators (Cohen, Fleiss, Krippendorff), textbook definitions.
#include "metrics/agreement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace safeval {
namespace {

// Below this an expected disagreement counts as zero: chance agreements summed from fractions
// may miss 1 by rounding when every rating is the same value.
constexpr double kEpsilon = 1e-12;

// One item's ratings, each the index of its value in AgreementReport::values, by rater.
using ItemRatings = std::map<std::string, int>;

struct Indexed {
  std::vector<std::string> values;
  std::vector<std::string> raters;
  std::map<int64_t, ItemRatings> items;
};

// Sorted values and raters; each rater's last rating of an item replaces earlier ones.
Indexed Index(const std::vector<Rating>& ratings) {
  std::set<std::string> values, raters;
  for (const Rating& r : ratings) {
    values.insert(r.value);
    raters.insert(r.rater);
  }
  Indexed indexed{{values.begin(), values.end()}, {raters.begin(), raters.end()}, {}};
  for (const Rating& r : ratings) {
    auto at = std::lower_bound(indexed.values.begin(), indexed.values.end(), r.value);
    indexed.items[r.item][r.rater] = static_cast<int>(at - indexed.values.begin());
  }
  return indexed;
}

// How many ratings of one item have each value.
std::vector<double> Counts(const ItemRatings& item, size_t value_count) {
  std::vector<double> counts(value_count, 0);
  for (const auto& [rater, value] : item) counts[value] += 1;
  return counts;
}

// Share of agreeing ordered pairs of ratings within items, over all such pairs.
std::optional<double> Observed(const Indexed& in) {
  double agreeing = 0, pairs = 0;
  for (const auto& [item, ratings] : in.items) {
    double m = static_cast<double>(ratings.size());
    for (double n : Counts(ratings, in.values.size())) agreeing += n * (n - 1);
    pairs += m * (m - 1);
  }
  if (pairs == 0) return std::nullopt;
  return agreeing / pairs;
}

// Cohen's kappa of two raters over the (value of a, value of b) of each item both rated.
std::optional<double> CohenKappa(const std::vector<std::pair<int, int>>& shared,
                                 size_t value_count) {
  std::vector<double> marginal_a(value_count, 0), marginal_b(value_count, 0);
  double same = 0, total = static_cast<double>(shared.size());
  for (const auto& [a, b] : shared) {
    marginal_a[a] += 1;
    marginal_b[b] += 1;
    if (a == b) same += 1;
  }
  double chance = 0;
  for (size_t v = 0; v < value_count; ++v)
    chance += (marginal_a[v] / total) * (marginal_b[v] / total);
  if (chance >= 1 - kEpsilon) return std::nullopt;
  return (same / total - chance) / (1 - chance);
}

std::vector<PairAgreement> Pairs(const Indexed& in) {
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<int, int>>> shared;
  for (const auto& [item, ratings] : in.items) {
    // ItemRatings is ordered by rater, so `a` precedes `b` and rater_a < rater_b.
    for (auto a = ratings.begin(); a != ratings.end(); ++a)
      for (auto b = std::next(a); b != ratings.end(); ++b)
        shared[{a->first, b->first}].emplace_back(a->second, b->second);
  }
  std::vector<PairAgreement> pairs;
  for (const auto& [raters, values] : shared) {
    double same = 0;
    for (const auto& [a, b] : values) same += a == b ? 1 : 0;
    pairs.push_back(PairAgreement{raters.first, raters.second, static_cast<int64_t>(values.size()),
                                  same / values.size(), CohenKappa(values, in.values.size())});
  }
  return pairs;
}

// Fleiss' kappa over items with m_i >= 2 ratings, generalised to varying m_i.
std::optional<double> FleissKappa(const Indexed& in) {
  std::vector<double> value_totals(in.values.size(), 0);
  double agreement_sum = 0, rating_total = 0, measured = 0;
  for (const auto& [item, ratings] : in.items) {
    double m = static_cast<double>(ratings.size());
    if (m < 2) continue;
    std::vector<double> counts = Counts(ratings, in.values.size());
    double squares = 0;
    for (size_t v = 0; v < counts.size(); ++v) {
      squares += counts[v] * counts[v];
      value_totals[v] += counts[v];
    }
    agreement_sum += (squares - m) / (m * (m - 1));
    rating_total += m;
    measured += 1;
  }
  if (measured == 0) return std::nullopt;
  double chance = 0;
  for (double total : value_totals) chance += (total / rating_total) * (total / rating_total);
  if (chance >= 1 - kEpsilon) return std::nullopt;
  return (agreement_sum / measured - chance) / (1 - chance);
}

// Krippendorff's coincidence matrix: o_ck = Σ_u (ordered c–k pairs in u) / (m_u − 1).
std::vector<std::vector<double>> Coincidence(const Indexed& in) {
  size_t k = in.values.size();
  std::vector<std::vector<double>> o(k, std::vector<double>(k, 0));
  for (const auto& [item, ratings] : in.items) {
    double m = static_cast<double>(ratings.size());
    if (m < 2) continue;
    std::vector<double> counts = Counts(ratings, k);
    for (size_t c = 0; c < k; ++c)
      for (size_t d = 0; d < k; ++d) {
        double pairs = c == d ? counts[c] * (counts[c] - 1) : counts[c] * counts[d];
        o[c][d] += pairs / (m - 1);
      }
  }
  return o;
}

// Nominal alpha = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k.
std::optional<double> KrippendorffAlpha(const std::vector<std::vector<double>>& o) {
  size_t k = o.size();
  std::vector<double> marginals(k, 0);
  double n = 0, observed = 0;
  for (size_t c = 0; c < k; ++c)
    for (size_t d = 0; d < k; ++d) {
      marginals[c] += o[c][d];
      n += o[c][d];
      if (c != d) observed += o[c][d];
    }
  double expected = 0;
  for (size_t c = 0; c < k; ++c)
    for (size_t d = 0; d < k; ++d)
      if (c != d) expected += marginals[c] * marginals[d];
  if (expected <= kEpsilon) return std::nullopt;
  return 1 - (n - 1) * observed / expected;
}

}  // namespace

AgreementReport MeasureAgreement(const std::vector<Rating>& ratings) {
  Indexed in = Index(ratings);
  AgreementReport report;
  report.items = static_cast<int64_t>(in.items.size());
  for (const auto& [item, item_ratings] : in.items)
    if (item_ratings.size() >= 2) ++report.items_multiply_rated;
  report.observed = Observed(in);
  report.pairs = Pairs(in);
  report.fleiss_kappa = FleissKappa(in);
  report.coincidence = Coincidence(in);
  report.krippendorff_alpha = KrippendorffAlpha(report.coincidence);
  report.values = std::move(in.values);
  report.raters = std::move(in.raters);
  return report;
}

std::string FormatAgreement(const std::optional<double>& statistic) {
  if (!statistic || !std::isfinite(*statistic)) return "–";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", *statistic);
  std::string text = buffer;
  return text == "-0.00" ? "0.00" : text;
}

std::string_view DescribeKappa(const std::optional<double>& kappa) {
  if (!kappa || !std::isfinite(*kappa)) return "";
  if (*kappa < 0) return "poor";
  if (*kappa <= 0.20) return "slight";
  if (*kappa <= 0.40) return "fair";
  if (*kappa <= 0.60) return "moderate";
  if (*kappa <= 0.80) return "substantial";
  return "almost perfect";
}

}  // namespace safeval
