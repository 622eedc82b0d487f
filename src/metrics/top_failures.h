// Per-category "top failures": the violating items most judges agree on, the
// first ones worth reading when deciding what to fix.
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/scored_item.h"

namespace safeval {

struct TopFailuresOptions {
  size_t per_category = 5;    // at most this many indexes per category (0: all of them)
  size_t category_depth = 1;  // the taxonomy level categories roll up to (0 counts as 1)
};

struct CategoryFailures {
  std::string category;         // a category path cut to category_depth, e.g. "vcr"
  int64_t violations = 0;       // every violating item of the category (not only those listed)
  std::vector<size_t> indexes;  // positions in the input, best-agreed first
};

// Violating items are judged items with a decided class whose deciding verdict is a
// violation. They are ranked by judge agreement, violation_votes / judge_votes
// (highest first), then by violation_votes (more judges first), then by position
// (earlier first), so the order is total and deterministic. An item with
// judge_votes == 0 (scored without vote counts) ranks as one vote out of one.
// Categories are sorted by path; categories without violations and items with an
// empty category are left out.
std::vector<CategoryFailures> TopFailures(const std::vector<ScoredItem>& items,
                                          const TopFailuresOptions& options = {});

}  // namespace safeval
