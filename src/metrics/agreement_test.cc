// Tests of the agreement statistics against published worked examples, edge cases and a
// naive reference of Krippendorff's alpha on generated ratings.
#include "metrics/agreement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace safeval {
namespace {

// Ratings of one item: rater names r0, r1, ... in the order of `values`; "" is a missing rating.
void AddItem(std::vector<Rating>& ratings, int64_t item, const std::vector<std::string>& values) {
  for (size_t r = 0; r < values.size(); ++r)
    if (!values[r].empty()) ratings.push_back({item, "r" + std::to_string(r), values[r]});
}

// Fleiss (1971) as on Wikipedia: 10 items, 14 raters, 5 categories; row i gives how many
// raters put item i in each category.
TEST(FleissKappa, WikipediaWorkedExample) {
  const int table[10][5] = {{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0},
                            {2, 2, 8, 1, 1},  {7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2},
                            {6, 5, 2, 1, 0},  {0, 2, 2, 3, 7}};
  std::vector<Rating> ratings;
  for (int item = 0; item < 10; ++item) {
    std::vector<std::string> values;
    for (int category = 0; category < 5; ++category)
      for (int n = 0; n < table[item][category]; ++n)
        values.push_back(std::to_string(category + 1));
    AddItem(ratings, item, values);
  }
  AgreementReport report = MeasureAgreement(ratings);
  ASSERT_TRUE(report.fleiss_kappa);
  EXPECT_NEAR(*report.fleiss_kappa, 0.2099, 5e-4);  // P̄ = 0.378, P̄e = 0.213
  EXPECT_EQ(report.items, 10);
  EXPECT_EQ(report.items_multiply_rated, 10);
  EXPECT_EQ(report.raters.size(), 14u);
  EXPECT_EQ(report.values, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  // With every item rated by all raters, observed agreement equals Fleiss' P̄.
  ASSERT_TRUE(report.observed);
  EXPECT_NEAR(*report.observed, 0.37802, 1e-5);
  EXPECT_EQ(DescribeKappa(report.fleiss_kappa), "fair");
}

// Items with 2, 3 and 4 ratings: P_i = 1, 1/3, 1/2 each weigh equally, P̄ = 11/18;
// p(x) = 4/9, p(y) = 5/9, P̄e = 41/81, κ = 17/80. (Weighting items by m would give P̄ = 5/9.)
TEST(FleissKappa, VaryingRatingsPerItemWeighItemsEqually) {
  std::vector<Rating> ratings;
  AddItem(ratings, 1, {"x", "x"});
  AddItem(ratings, 2, {"x", "y", "y"});
  AddItem(ratings, 3, {"x", "y", "y", "y"});
  AgreementReport report = MeasureAgreement(ratings);
  ASSERT_TRUE(report.fleiss_kappa);
  EXPECT_NEAR(*report.fleiss_kappa, 17.0 / 80, 1e-12);
  // Observed pools pairs instead: (2 + 2 + 6) agreeing of (2 + 6 + 12) ordered pairs.
  ASSERT_TRUE(report.observed);
  EXPECT_NEAR(*report.observed, 0.5, 1e-12);
}

// Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: nominal data,
// 4 observers A–D, 12 units, missing values ("").
std::vector<Rating> KrippendorffExample() {
  const char* rows[4][12] = {{"1", "2", "3", "3", "2", "1", "4", "1", "2", "", "", ""},
                             {"1", "2", "3", "3", "2", "2", "4", "1", "2", "5", "", "3"},
                             {"", "3", "3", "3", "2", "3", "4", "2", "2", "5", "1", ""},
                             {"1", "2", "3", "3", "2", "4", "4", "1", "2", "5", "1", ""}};
  std::vector<Rating> ratings;
  for (int unit = 0; unit < 12; ++unit) {
    std::vector<std::string> values;
    for (int observer = 0; observer < 4; ++observer) values.push_back(rows[observer][unit]);
    AddItem(ratings, unit + 1, values);
  }
  return ratings;
}

TEST(KrippendorffAlpha, PublishedNominalExampleWithMissingData) {
  AgreementReport report = MeasureAgreement(KrippendorffExample());
  ASSERT_TRUE(report.krippendorff_alpha);
  EXPECT_NEAR(*report.krippendorff_alpha, 0.743, 5e-4);
  EXPECT_EQ(report.items, 12);
  EXPECT_EQ(report.items_multiply_rated, 11);  // unit 12 has one value and is not pairable
  // The paper's coincidence matrix (values 1..5), total n = 40 pairable values.
  const double third = 1.0 / 3, four_thirds = 4.0 / 3;
  const double expected[5][5] = {{7, four_thirds, third, third, 0},
                                 {four_thirds, 10, four_thirds, third, 0},
                                 {third, four_thirds, 8, third, 0},
                                 {third, third, third, 4, 0},
                                 {0, 0, 0, 0, 3}};
  ASSERT_EQ(report.coincidence.size(), 5u);
  double total = 0;
  for (int c = 0; c < 5; ++c) {
    ASSERT_EQ(report.coincidence[c].size(), 5u);
    for (int k = 0; k < 5; ++k) {
      EXPECT_NEAR(report.coincidence[c][k], expected[c][k], 1e-9) << c << "," << k;
      total += report.coincidence[c][k];
    }
  }
  EXPECT_NEAR(total, 40, 1e-9);
}

// 50 items rated yes/no by two raters: 20 both yes, 15 both no, 5 yes/no, 10 no/yes.
// po = 0.70, pe = 0.5·0.6 + 0.5·0.4 = 0.50, κ = 0.40.
TEST(CohenKappa, TwoRaterWorkedExample) {
  std::vector<Rating> ratings;
  int64_t item = 0;
  auto add = [&](int n, const char* a, const char* b) {
    for (int i = 0; i < n; ++i, ++item) {
      ratings.push_back({item, "bob", b});  // input order must not decide rater_a
      ratings.push_back({item, "alice", a});
    }
  };
  add(20, "yes", "yes");
  add(15, "no", "no");
  add(5, "yes", "no");
  add(10, "no", "yes");
  AgreementReport report = MeasureAgreement(ratings);
  ASSERT_EQ(report.pairs.size(), 1u);
  const PairAgreement& pair = report.pairs[0];
  EXPECT_EQ(pair.rater_a, "alice");
  EXPECT_EQ(pair.rater_b, "bob");
  EXPECT_EQ(pair.items, 50);
  EXPECT_DOUBLE_EQ(pair.observed, 0.70);
  ASSERT_TRUE(pair.kappa);
  EXPECT_NEAR(*pair.kappa, 0.40, 1e-12);
  EXPECT_EQ(FormatAgreement(pair.kappa), "0.40");
  EXPECT_EQ(DescribeKappa(pair.kappa), "fair");
  EXPECT_NEAR(*report.observed, 0.70, 1e-12);
  // Fleiss with pooled marginals: p(yes) = 55/100, P̄e = 0.505, κ = (0.7 − 0.505)/0.495.
  ASSERT_TRUE(report.fleiss_kappa);
  EXPECT_NEAR(*report.fleiss_kappa, 0.195 / 0.495, 1e-12);
  // Two raters, no missing data: α = 1 − (n − 1)·Do/De with n = 100, o(yes,no) = 15.
  ASSERT_TRUE(report.krippendorff_alpha);
  EXPECT_NEAR(*report.krippendorff_alpha, 1 - 99.0 * 30 / (2 * 55 * 45), 1e-12);
}

TEST(Pairs, EachPairOverItsSharedItemsOnly) {
  std::vector<Rating> ratings = {{1, "a", "x"}, {1, "b", "x"}, {1, "c", "y"},
                                 {2, "a", "y"}, {2, "b", "x"}, {3, "c", "x"}};
  AgreementReport report = MeasureAgreement(ratings);
  ASSERT_EQ(report.pairs.size(), 3u);
  EXPECT_EQ(report.pairs[0].rater_a, "a");
  EXPECT_EQ(report.pairs[0].rater_b, "b");
  EXPECT_EQ(report.pairs[0].items, 2);
  EXPECT_DOUBLE_EQ(report.pairs[0].observed, 0.5);
  EXPECT_EQ(report.pairs[1].rater_b, "c");
  EXPECT_EQ(report.pairs[1].items, 1);
  EXPECT_DOUBLE_EQ(report.pairs[1].observed, 0.0);
  EXPECT_EQ(report.pairs[2].rater_a, "b");
  EXPECT_EQ(report.pairs[2].rater_b, "c");
  // a–c share one item with different values: pe = 0, κ = po = 0.
  ASSERT_TRUE(report.pairs[1].kappa);
  EXPECT_DOUBLE_EQ(*report.pairs[1].kappa, 0.0);
}

TEST(MeasureAgreement, PerfectAgreementOnOneValueIsUndefinedNotNaN) {
  std::vector<Rating> ratings;
  for (int64_t item = 0; item < 5; ++item)
    AddItem(ratings, item, {"refuses", "refuses", "refuses"});
  AgreementReport report = MeasureAgreement(ratings);
  ASSERT_TRUE(report.observed);
  EXPECT_DOUBLE_EQ(*report.observed, 1.0);
  EXPECT_FALSE(report.fleiss_kappa);
  EXPECT_FALSE(report.krippendorff_alpha);
  ASSERT_EQ(report.pairs.size(), 3u);
  for (const PairAgreement& pair : report.pairs) {
    EXPECT_DOUBLE_EQ(pair.observed, 1.0);
    EXPECT_FALSE(pair.kappa);
  }
  EXPECT_EQ(FormatAgreement(report.fleiss_kappa), "–");
  EXPECT_EQ(DescribeKappa(report.krippendorff_alpha), "");
}

TEST(MeasureAgreement, PerfectAgreementOverTwoValuesIsOne) {
  std::vector<Rating> ratings;
  AddItem(ratings, 1, {"yes", "yes"});
  AddItem(ratings, 2, {"no", "no", "no"});
  AgreementReport report = MeasureAgreement(ratings);
  EXPECT_NEAR(*report.fleiss_kappa, 1.0, 1e-12);
  EXPECT_NEAR(*report.krippendorff_alpha, 1.0, 1e-12);
  EXPECT_EQ(DescribeKappa(report.fleiss_kappa), "almost perfect");
}

TEST(MeasureAgreement, NothingPairableIsUndefined) {
  AgreementReport empty = MeasureAgreement({});
  EXPECT_EQ(empty.items, 0);
  EXPECT_FALSE(empty.observed);
  EXPECT_FALSE(empty.fleiss_kappa);
  EXPECT_FALSE(empty.krippendorff_alpha);
  EXPECT_TRUE(empty.pairs.empty());
  EXPECT_TRUE(empty.coincidence.empty());

  // Each item rated once, with different values: nothing to compare.
  AgreementReport single = MeasureAgreement({{1, "a", "x"}, {2, "b", "y"}, {3, "a", "z"}});
  EXPECT_EQ(single.items, 3);
  EXPECT_EQ(single.items_multiply_rated, 0);
  EXPECT_FALSE(single.observed);
  EXPECT_FALSE(single.fleiss_kappa);
  EXPECT_FALSE(single.krippendorff_alpha);
  EXPECT_TRUE(single.pairs.empty());
  ASSERT_EQ(single.coincidence.size(), 3u);
  for (const auto& row : single.coincidence)
    for (double cell : row) EXPECT_EQ(cell, 0);
}

TEST(MeasureAgreement, ItemsRatedOnceAreIgnored) {
  std::vector<Rating> base = KrippendorffExample();
  std::vector<Rating> more = base;
  more.push_back({100, "r0", "1"});
  more.push_back({101, "r1", "2"});
  AgreementReport a = MeasureAgreement(base), b = MeasureAgreement(more);
  EXPECT_EQ(b.items, a.items + 2);
  EXPECT_EQ(b.items_multiply_rated, a.items_multiply_rated);
  EXPECT_DOUBLE_EQ(*b.krippendorff_alpha, *a.krippendorff_alpha);
  EXPECT_DOUBLE_EQ(*b.fleiss_kappa, *a.fleiss_kappa);
  EXPECT_DOUBLE_EQ(*b.observed, *a.observed);
}

TEST(MeasureAgreement, ARatersLastRatingReplacesTheFirst) {
  // b first disagrees on item 1, then corrects to agree: the last rating counts.
  std::vector<Rating> ratings = {
      {1, "a", "yes"}, {1, "b", "no"}, {2, "a", "no"}, {2, "b", "no"}, {1, "b", "yes"}};
  AgreementReport report = MeasureAgreement(ratings);
  EXPECT_EQ(report.items, 2);
  ASSERT_EQ(report.pairs.size(), 1u);
  EXPECT_EQ(report.pairs[0].items, 2);
  EXPECT_DOUBLE_EQ(report.pairs[0].observed, 1.0);
  EXPECT_NEAR(*report.pairs[0].kappa, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(*report.observed, 1.0);
  // The replaced value still counts as seen, but coincides with nothing.
  EXPECT_EQ(report.values, (std::vector<std::string>{"no", "yes"}));
  EXPECT_DOUBLE_EQ(report.coincidence[0][0], 2);
  EXPECT_DOUBLE_EQ(report.coincidence[1][1], 2);
  EXPECT_DOUBLE_EQ(report.coincidence[0][1], 0);
}

// Krippendorff's alpha by its other textbook form,
// ((n − 1)·Σ_c o_cc − Σ_c n_c(n_c − 1)) / (n(n − 1) − Σ_c n_c(n_c − 1)),
// with the coincidence matrix built pair by pair from the raw ratings.
std::optional<double> NaiveAlpha(const std::vector<std::vector<std::string>>& units,
                                 const std::vector<std::string>& values) {
  size_t k = values.size();
  std::vector<std::vector<double>> o(k, std::vector<double>(k, 0));
  auto index = [&](const std::string& v) {
    return static_cast<size_t>(std::find(values.begin(), values.end(), v) - values.begin());
  };
  for (const auto& unit : units) {
    std::vector<std::string> present;
    for (const std::string& v : unit)
      if (!v.empty()) present.push_back(v);
    if (present.size() < 2) continue;
    for (size_t i = 0; i < present.size(); ++i)
      for (size_t j = 0; j < present.size(); ++j)
        if (i != j) o[index(present[i])][index(present[j])] += 1.0 / (present.size() - 1);
  }
  double n = 0, diagonal = 0, same_expected = 0;
  for (size_t c = 0; c < k; ++c) {
    double n_c = 0;
    for (size_t d = 0; d < k; ++d) n_c += o[c][d];
    n += n_c;
    diagonal += o[c][c];
    same_expected += n_c * (n_c - 1);
  }
  double denominator = n * (n - 1) - same_expected;
  if (std::abs(denominator) < 1e-9) return std::nullopt;
  return ((n - 1) * diagonal - same_expected) / denominator;
}

TEST(KrippendorffAlpha, MatchesNaiveReferenceOnGeneratedRatings) {
  std::mt19937 rng(20261128);
  const std::vector<std::string> values = {"a", "b", "c", "d"};
  for (int trial = 0; trial < 200; ++trial) {
    int unit_count = 1 + static_cast<int>(rng() % 15),
        rater_count = 1 + static_cast<int>(rng() % 5);
    int value_count = 1 + static_cast<int>(rng() % 4);
    std::vector<std::vector<std::string>> units;
    std::vector<Rating> ratings;
    for (int u = 0; u < unit_count; ++u) {
      std::vector<std::string> unit;
      for (int r = 0; r < rater_count; ++r)
        unit.push_back(rng() % 3 == 0 ? "" : values[rng() % value_count]);
      AddItem(ratings, u, unit);
      units.push_back(unit);
    }
    AgreementReport report = MeasureAgreement(ratings);
    std::optional<double> naive = NaiveAlpha(units, values);
    ASSERT_EQ(report.krippendorff_alpha.has_value(), naive.has_value()) << "trial " << trial;
    if (naive) {
      EXPECT_NEAR(*report.krippendorff_alpha, *naive, 1e-9) << "trial " << trial;
    }
    for (size_t c = 0; c < report.coincidence.size(); ++c)
      for (size_t k = 0; k < report.coincidence.size(); ++k)
        EXPECT_NEAR(report.coincidence[c][k], report.coincidence[k][c], 1e-12);
  }
}

TEST(FormatAgreement, TwoDecimalsOrDash) {
  EXPECT_EQ(FormatAgreement(0.6349), "0.63");
  EXPECT_EQ(FormatAgreement(1.0), "1.00");
  EXPECT_EQ(FormatAgreement(-0.126), "-0.13");
  EXPECT_EQ(FormatAgreement(-0.001), "0.00");
  EXPECT_EQ(FormatAgreement(std::nullopt), "–");
}

TEST(DescribeKappa, LandisAndKochBands) {
  EXPECT_EQ(DescribeKappa(-0.01), "poor");
  EXPECT_EQ(DescribeKappa(0.0), "slight");
  EXPECT_EQ(DescribeKappa(0.20), "slight");
  EXPECT_EQ(DescribeKappa(0.21), "fair");
  EXPECT_EQ(DescribeKappa(0.40), "fair");
  EXPECT_EQ(DescribeKappa(0.41), "moderate");
  EXPECT_EQ(DescribeKappa(0.60), "moderate");
  EXPECT_EQ(DescribeKappa(0.61), "substantial");
  EXPECT_EQ(DescribeKappa(0.80), "substantial");
  EXPECT_EQ(DescribeKappa(0.81), "almost perfect");
  EXPECT_EQ(DescribeKappa(std::nullopt), "");
}

}  // namespace
}  // namespace safeval
