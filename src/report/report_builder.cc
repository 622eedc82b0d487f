#include "report/report_builder.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <utility>

#include "metrics/top_failures.h"
#include "report/even_sample.h"
#include "report/html_parts.h"
#include "report/item_kind.h"

namespace safeval {
namespace {

// Twice what the renderers list, so a sample keeps at least what they show.
constexpr size_t kNotableCapacity = 2 * kMaxNotablePerKind;
constexpr size_t kFailureCapacity = 2 * kDrillDownRows;
constexpr size_t kTopFailuresPerHazard = 5;  // TopFailuresOf's default
constexpr char kTechniquePrefix[] = "+";     // ranking keys of techniques; no hazard id has it
// Top-failure candidates are cut back to the best of each hazard when there are this many.
constexpr size_t kCandidatesToPrune = 1024;

constexpr std::array<ItemKind, 4> kNotableKinds = {ItemKind::kViolation, ItemKind::kOverDeflection,
                                                   ItemKind::kUndetermined, ItemKind::kError};

struct HazardState {
  EvenSample failures{kFailureCapacity};
  int64_t unsafe_judged = 0;
  int64_t unsafe_violations = 0;
};

// An item some list still points to, and how many lists do.
struct Held {
  ReportItem item;
  int refs = 0;
};

void CountOutcome(const ScoredItem& s, Totals* t) {
  ++t->items;
  switch (s.outcome) {
    case Outcome::kJudged:
      ++t->judged;
      t->undetermined += s.cls == ResponseClass::kUndetermined;
      break;
    case Outcome::kModelError:
      ++t->model_error;
      break;
    case Outcome::kJudgeError:
      ++t->judge_error;
      break;
    case Outcome::kSkipped:
      ++t->skipped;
      break;
  }
}

void CountCell(ItemKind kind, const ReportItem& item, CellCounts* cell) {
  ++cell->items;
  if (IsDecided(item)) {
    ++cell->decided;
    if (IsViolation(item)) ++cell->violations;
  } else if (kind == ItemKind::kUndetermined) {
    ++cell->undetermined;
  } else if (kind == ItemKind::kError) {
    ++cell->errors;
  } else {
    ++cell->not_run;
  }
}

// What ranking a failure needs (metrics/top_failures.h), without the axes it does not.
ScoredItem RankingFacts(const ScoredItem& scored, const std::string& hazard) {
  ScoredItem s;
  s.category = CategoryPath({hazard});
  s.intent = scored.intent;
  s.outcome = scored.outcome;
  s.cls = scored.cls;
  s.violation = true;  // only the report's failures are ranked (not over-deflections)
  s.judge_votes = scored.judge_votes;
  s.violation_votes = scored.violation_votes;
  return s;
}

}  // namespace

struct ReportDataBuilder::State {
  explicit State(const ReportBuilderOptions& opts)
      : options(opts),
        metrics(opts.metrics),
        disparity(DisparityOptions{opts.metrics.confidence}),
        notable{EvenSample(kNotableCapacity), EvenSample(kNotableCapacity),
                EvenSample(kNotableCapacity), EvenSample(kNotableCapacity)} {}

  ReportBuilderOptions options;
  MetricsAccumulator metrics;
  DisparityAccumulator disparity;
  Totals totals;
  uint64_t next_id = 0;               // arrival number of the next item: its position in the run
  std::array<EvenSample, 4> notable;  // parallel to kNotableKinds
  std::map<std::string, HazardState> hazards;
  std::map<std::pair<std::string, Intent>, CellCounts> cells;
  std::map<std::string, CategoryCount> categories;
  std::vector<ScoredItem> candidates;   // failures that may be among the top ones
  std::map<std::string, int64_t> technique_failures;  // violating adversarial items per technique
  std::vector<uint64_t> candidate_ids;  // parallel, increasing
  std::map<uint64_t, Held> held;
  std::vector<uint64_t> dropped;  // scratch

  EvenSample* NotableFor(ItemKind kind) {
    for (size_t i = 0; i < kNotableKinds.size(); ++i)
      if (kNotableKinds[i] == kind) return &notable[i];
    return nullptr;
  }

  void Release(uint64_t id) {
    auto it = held.find(id);
    if (it != held.end() && --it->second.refs <= 0) held.erase(it);
  }

  void CountCategory(const Prompt& prompt) {
    std::string key = prompt.category.str();
    auto it = categories.find(key);
    if (it == categories.end()) it = categories.emplace(key, CategoryCount{key, {}}).first;
    ++it->second.by_intent[static_cast<size_t>(prompt.intent)];
  }

  // Keeps the best-agreed failures of each hazard among the candidates (the ranking is a total
  // order, so the best of a superset are the best of the run so far).
  std::vector<CategoryFailures> PruneCandidates() {
    std::vector<CategoryFailures> top = TopFailures(candidates, {kTopFailuresPerHazard, 1});
    std::vector<size_t> keep;
    for (CategoryFailures& c : top) keep.insert(keep.end(), c.indexes.begin(), c.indexes.end());
    std::sort(keep.begin(), keep.end());
    std::vector<size_t> new_position(candidates.size(), 0);
    std::vector<ScoredItem> kept_items;
    std::vector<uint64_t> kept_ids;
    size_t next = 0;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (next < keep.size() && keep[next] == i) {
        new_position[i] = kept_items.size();
        kept_items.push_back(std::move(candidates[i]));
        kept_ids.push_back(candidate_ids[i]);
        ++next;
      } else {
        Release(candidate_ids[i]);
      }
    }
    candidates = std::move(kept_items);
    candidate_ids = std::move(kept_ids);
    for (CategoryFailures& c : top)
      for (size_t& index : c.indexes) index = new_position[index];
    return top;
  }
};

ReportDataBuilder::ReportDataBuilder(const ReportBuilderOptions& options)
    : state_(std::make_unique<State>(options)) {}
ReportDataBuilder::~ReportDataBuilder() = default;

void ReportDataBuilder::Add(ReportItem item) {
  State& s = *state_;
  const uint64_t id = s.next_id++;
  const ItemKind kind = KindOf(item);
  const std::string hazard = HazardOf(item.prompt);
  s.CountCategory(item.prompt);
  if (!hazard.empty()) {
    auto it = s.cells.find({hazard, item.prompt.intent});
    if (it == s.cells.end()) {
      CellCounts cell;
      cell.hazard = hazard;
      cell.intent = item.prompt.intent;
      it = s.cells.emplace(std::make_pair(hazard, item.prompt.intent), std::move(cell)).first;
    }
    CountCell(kind, item, &it->second);
  }

  int refs = s.options.keep_every_item ? 1 : 0;
  s.dropped.clear();
  const bool failure = kind == ItemKind::kViolation;
  if (item.pending) {
    ++s.totals.pending;
  } else {
    ScoredItem scored = ToScoredItem(item);
    CountOutcome(scored, &s.totals);
    s.metrics.Add(scored);
    s.disparity.Add(scored);
    if (failure && !hazard.empty()) {
      s.candidates.push_back(RankingFacts(scored, hazard));
      s.candidate_ids.push_back(id);
      ++refs;
    }
    // Techniques rank among the same candidates under keys no hazard id can take ("+name").
    if (failure && item.prompt.intent == Intent::kAdversarial) {
      std::set<std::string> seen;
      for (const std::string& technique : item.prompt.techniques) {
        if (!seen.insert(technique).second) continue;
        ++s.technique_failures[technique];
        s.candidates.push_back(RankingFacts(scored, kTechniquePrefix + technique));
        s.candidate_ids.push_back(id);
        ++refs;
      }
    }
  }
  if (EvenSample* sample = s.NotableFor(kind); sample && sample->Offer(id, &s.dropped)) ++refs;
  const bool unsafe_decided = IsDecided(item) && IsUnsafeIntent(item.prompt.intent);
  if (!hazard.empty() && (failure || unsafe_decided)) {
    HazardState& group = s.hazards[hazard];
    if (unsafe_decided) ++group.unsafe_judged;
    if (unsafe_decided && failure) ++group.unsafe_violations;
    if (failure && group.failures.Offer(id, &s.dropped)) ++refs;
  }
  for (uint64_t gone : s.dropped)
    if (gone == id) --refs;  // taken in, then dropped by the stride doubling it caused
  if (refs > 0) s.held.emplace(id, Held{std::move(item), refs});
  for (uint64_t gone : s.dropped)
    if (gone != id) s.Release(gone);
  if (s.candidates.size() >= kCandidatesToPrune) s.PruneCandidates();
}

size_t ReportDataBuilder::held() const { return state_->held.size(); }

HazardUnsafeCounts ReportDataBuilder::UnsafeCounts() const {
  HazardUnsafeCounts counts;
  for (const auto& [hazard, group] : state_->hazards)
    if (group.unsafe_judged > 0) counts[hazard] = {group.unsafe_judged, group.unsafe_violations};
  return counts;
}

void ReportDataBuilder::Finish(ReportData* data) && {
  State& s = *state_;
  std::vector<CategoryFailures> top = s.PruneCandidates();
  std::vector<uint64_t> ids;
  ids.reserve(s.held.size());
  data->items.clear();
  data->items.reserve(s.held.size());
  for (auto& [id, held] : s.held) {
    ids.push_back(id);
    data->items.push_back(std::move(held.item));
  }
  s.held.clear();
  auto position = [&ids](uint64_t id) {
    return static_cast<size_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
  };
  auto to_sample = [&](const EvenSample& sample) {
    ItemSample out;
    out.count = static_cast<int64_t>(sample.count());
    for (uint64_t id : sample.kept()) out.kept.push_back(position(id));
    return out;
  };

  ItemDigest& digest = data->digest;
  digest = ItemDigest{};
  digest.violations = to_sample(s.notable[0]);
  digest.over_deflections = to_sample(s.notable[1]);
  digest.undetermined = to_sample(s.notable[2]);
  digest.errors = to_sample(s.notable[3]);
  for (const auto& [hazard, group] : s.hazards) {
    digest.hazards.push_back(
        {hazard, to_sample(group.failures), group.unsafe_judged, group.unsafe_violations});
  }
  for (auto& [key, cell] : s.cells) digest.cells.push_back(std::move(cell));
  for (auto& [key, count] : s.categories) digest.categories.push_back(std::move(count));

  data->top_failures.clear();
  data->top_failures_by_technique.clear();
  for (CategoryFailures& c : top) {
    if (c.category.starts_with(kTechniquePrefix)) {
      c.category = c.category.substr(std::string_view(kTechniquePrefix).size());
      c.violations = s.technique_failures[c.category];
      for (size_t& index : c.indexes) index = position(s.candidate_ids[index]);
      data->top_failures_by_technique.push_back(std::move(c));
      continue;
    }
    auto group = s.hazards.find(c.category);
    if (group != s.hazards.end())
      c.violations = static_cast<int64_t>(group->second.failures.count());
    for (size_t& index : c.indexes) index = position(s.candidate_ids[index]);
    data->top_failures.push_back(std::move(c));
  }
  data->totals = s.totals;
  data->metrics = s.metrics.Rows();
  data->disparity = s.disparity.Result();
}

void BuildReportItems(std::vector<ReportItem> items, const ReportBuilderOptions& options,
                      ReportData* data) {
  ReportDataBuilder builder(options);
  for (ReportItem& item : items) builder.Add(std::move(item));
  std::move(builder).Finish(data);
}

}  // namespace safeval
