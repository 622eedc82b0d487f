#include "metrics/top_failures.h"

#include <algorithm>
#include <map>

namespace safeval {
namespace {

bool IsViolation(const ScoredItem& item) {
  return item.outcome == Outcome::kJudged && item.cls != ResponseClass::kUndetermined &&
         item.violation && !item.category.empty();
}

// How strongly the judges agree that the item violates: votes for / votes cast.
struct Agreement {
  int64_t votes_for = 1;
  int64_t votes = 1;

  explicit Agreement(const ScoredItem& item) {
    if (item.judge_votes > 0) {
      votes_for = std::clamp(item.violation_votes, 0, item.judge_votes);
      votes = item.judge_votes;
    }
  }
  // Compares fractions by cross-multiplying: exact, so ties stay ties.
  int Compare(const Agreement& other) const {
    int64_t lhs = votes_for * other.votes, rhs = other.votes_for * votes;
    if (lhs != rhs) return lhs > rhs ? -1 : 1;
    if (votes_for != other.votes_for) return votes_for > other.votes_for ? -1 : 1;
    return 0;
  }
};

}  // namespace

std::vector<CategoryFailures> TopFailures(const std::vector<ScoredItem>& items,
                                          const TopFailuresOptions& options) {
  size_t depth = std::max<size_t>(options.category_depth, 1);
  std::map<std::string, std::vector<size_t>> by_category;  // sorted by path
  for (size_t i = 0; i < items.size(); ++i)
    if (IsViolation(items[i])) by_category[items[i].category.Prefix(depth).str()].push_back(i);

  std::vector<CategoryFailures> out;
  for (auto& [category, indexes] : by_category) {
    auto better = [&](size_t a, size_t b) {
      int order = Agreement(items[a]).Compare(Agreement(items[b]));
      return order != 0 ? order < 0 : a < b;
    };
    size_t keep =
        options.per_category == 0 ? indexes.size() : std::min(options.per_category, indexes.size());
    std::partial_sort(indexes.begin(), indexes.begin() + static_cast<ptrdiff_t>(keep),
                      indexes.end(), better);
    CategoryFailures failures;
    failures.category = category;
    failures.violations = static_cast<int64_t>(indexes.size());
    failures.indexes.assign(indexes.begin(), indexes.begin() + static_cast<ptrdiff_t>(keep));
    out.push_back(std::move(failures));
  }
  return out;
}

}  // namespace safeval
