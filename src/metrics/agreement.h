// Agreement between annotators who labelled the same items with nominal values (a response
// class, or "yes"/"no" for violation): pairwise Cohen's kappa, Fleiss' kappa, Krippendorff's
// alpha and the coincidence of values between annotators. Pure functions; thread-safe.
//
// Undefined statistics (no item rated by two annotators, or every rating the same value so that
// expected disagreement is zero) are std::nullopt, never NaN, and print as "–".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace safeval {

struct Rating {
  int64_t item = 0;
  std::string rater;
  std::string value;
};

struct PairAgreement {
  std::string rater_a, rater_b;     // rater_a < rater_b
  int64_t items = 0;                // items both rated
  double observed = 0;              // share of those items with the same value
  std::optional<double> kappa;      // Cohen's kappa over those items
};

struct AgreementReport {
  std::vector<std::string> values;  // every value seen, sorted
  std::vector<std::string> raters;  // every rater, sorted
  int64_t items = 0;                // items with at least one rating
  int64_t items_multiply_rated = 0; // items with two or more ratings (the ones measured)
  std::optional<double> observed;   // share of agreeing rating pairs within items (pairable)
  std::vector<PairAgreement> pairs; // every pair of raters with a shared item
  // Fleiss' kappa over items rated two or more times; items may have different numbers of
  // ratings (each item's agreement is weighted equally, as in Fleiss 1971 generalised).
  std::optional<double> fleiss_kappa;
  // Krippendorff's alpha, nominal metric, from the coincidence matrix (missing ratings allowed).
  std::optional<double> krippendorff_alpha;
  // The coincidence matrix: coincidence[i][j] counts ordered pairs of ratings of one item by two
  // different raters with values[i] and values[j], each item weighted 1/(m-1) as in
  // Krippendorff (so it is symmetric and its total is the number of pairable ratings).
  std::vector<std::vector<double>> coincidence;
};

// A rater's second rating of an item replaces the first (the last one counts).
AgreementReport MeasureAgreement(const std::vector<Rating>& ratings);

// "0.63", or "–" when undefined.
std::string FormatAgreement(const std::optional<double>& statistic);

// Landis & Koch's words for a kappa: "poor" (< 0), "slight" (≤ 0.20), "fair" (≤ 0.40),
// "moderate" (≤ 0.60), "substantial" (≤ 0.80), "almost perfect"; "" when undefined.
std::string_view DescribeKappa(const std::optional<double>& kappa);

}  // namespace safeval
