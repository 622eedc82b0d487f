// Top failures of a run's items: the ranking of metrics/top_failures.h over the report's items.
#include "metrics/top_failures.h"
#include "report/item_kind.h"
#include "report/report.h"

namespace safeval {
namespace {

// Only the report's failures may be violations here: over-deflections have their own list.
ScoredItem ScoreForRanking(const ReportItem& item) {
  ScoredItem s = ToScoredItem(item);
  s.violation = KindOf(item) == ItemKind::kViolation;
  return s;
}

}  // namespace

std::vector<CategoryFailures> TopFailuresOf(const std::vector<ReportItem>& items,
                                            size_t per_category) {
  std::vector<ScoredItem> scored;
  scored.reserve(items.size());
  for (const ReportItem& item : items) scored.push_back(ScoreForRanking(item));
  // Positions in `scored` are positions in `items`.
  return TopFailures(scored, {per_category, 1});
}

}  // namespace safeval
