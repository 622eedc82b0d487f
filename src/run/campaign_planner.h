// The campaign planner: which of a run's items go to the model next, batch by
// batch, and when the campaign stops (issue 5, "Campaigns").
//
// Items are grouped into cells: (top-level hazard, intent). An item's outcome
// is a `failure` when the model did what the policy forbids: a violation for a
// harmful or adversarial item, an over-deflection (refuses/deflects) for a safe
// one. Items that errored or were undetermined are finished but not `counted`.
//
// Strategies:
//   all         the pending items in index order.
//   stratified  each batch round-robin over the cells that still have pending
//               items, so per batch the counts of cells with items left differ
//               by at most 1. The round-robin position carries over between
//               batches, so the extra slots of an uneven batch rotate.
//   adaptive    first a floor: every cell gets min(its items, max(1, batch_size /
//               cells)) items planned (round-robin, as stratified) before any
//               slot is allocated by its data — on a fresh run that is the first
//               batch. The batch's other slots go by Thompson sampling: for each
//               slot, draw θ_c ~ Beta(1 + failures_c, 1 + successes_c) for every
//               cell c that still has pending items not yet in this batch, and
//               give the slot to the highest θ (ties: the lowest cell id). The
//               posterior is the observations made so far (items in flight do
//               not count), so a batch's slots are spread over the cells in
//               proportion to each cell's chance of being the worst: weak cells
//               get most of the budget, and cells whose rate is still uncertain
//               keep getting some. There is no extra exploration term: the floor
//               guarantees every cell an estimate.
// Within a cell (stratified, adaptive) items are taken in a seeded random order
// (a Fisher–Yates shuffle of the cell's items), so a cell's first items are a
// random sample of it rather than its first sub-category in file order.
//
// Stop rules (optional; whichever comes first, checked by NextBatch before
// planning): max_batches (batches of the whole run, resume included),
// max_requests (items sent; the last batch is cut to fit exactly), max_tokens
// and max_cost_usd (spend reported through AddSpend; a batch may overshoot them
// by what it costs, since the cost of a batch is known only after it), and
// ci_half_width (every top-level hazard that has harmful or adversarial items
// has a 95% Wilson interval of its failure rate among its counted harmful and
// adversarial items with half-width below the goal; a hazard with none counted
// yet does not meet it; hazards with only safe items are left out).
//
// Deterministic: the same plan (seed included), items, resume state and
// sequence of calls give the same batches on every platform (splitmix64 and
// run/beta_sample.h, never std distributions). A resumed run plans from its
// finished items and the seed; it need not repeat the batches an uninterrupted
// run would have planned, but never plans an item twice.
//
// Memory: 9 bytes per item (cell id, state byte and the cell order; 5 for
// `all`), everything else per cell. Time: all and stratified well under 1 µs
// per item; adaptive draws two gammas per cell per slot (about 4 µs per item
// with 36 cells, -O2). Not thread-safe: one run loop owns it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/intent.h"
#include "core/status.h"
#include "dataset/sample.h"
#include "metrics/interval.h"

namespace safeval {

enum class CampaignStrategy { kAll, kStratified, kAdaptive };

// "all" | "stratified" | "adaptive"
std::string_view Name(CampaignStrategy strategy);
std::optional<CampaignStrategy> ParseCampaignStrategy(std::string_view text);

// A dense cell id, from CampaignCellIndex::Intern.
using CellId = uint32_t;

struct CampaignCell {
  std::string hazard;  // top-level taxonomy id, e.g. "ncr"
  Intent intent = Intent::kHarmful;
  std::string Label() const;  // "ncr/harmful"
};

// Interns (top-level hazard, intent) pairs into dense ids 0, 1, … in order of
// first appearance.
class CampaignCellIndex {
 public:
  CellId Intern(std::string_view hazard, Intent intent);
  const std::vector<CampaignCell>& cells() const { return cells_; }

 private:
  std::vector<CampaignCell> cells_;
  std::map<std::pair<std::string, Intent>, CellId> ids_;
};

struct CampaignPlan {
  CampaignStrategy strategy = CampaignStrategy::kAll;
  int batch_size = 200;                // items per batch, >= 1
  int max_batches = 0;                 // 0: no limit
  int64_t max_requests = 0;            // items sent; 0: no limit
  int64_t max_tokens = 0;              // prompt + completion tokens; 0: no limit
  std::optional<double> max_cost_usd;  // needs the prices below; >= 0
  double usd_per_million_prompt_tokens = 0.0;
  double usd_per_million_completion_tokens = 0.0;
  std::optional<double> ci_half_width;  // in (0, 1)
  uint64_t seed = 0;
};

// What a resumed run had already used before this planner (from the store).
struct CampaignSpend {
  int batches = 0;       // batches recorded; numbering continues after them
  int64_t requests = 0;  // items sent (usually: items with a result)
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
};

struct CellAllocation {
  std::string cell;  // label, "hazard/intent"
  int64_t count = 0;
};

struct PlannedBatch {
  int number = 0;                          // 1-based over the whole run
  std::vector<int64_t> indexes;            // ascending, never empty
  std::vector<CellAllocation> allocation;  // cells with count > 0, in cell id order
};

struct CellEstimate {
  std::string cell;     // label
  int64_t items = 0;    // in the run
  int64_t taken = 0;    // planned or finished
  int64_t counted = 0;  // finished with a decided outcome
  int64_t failures = 0;
};

// A top-level hazard's failure rate among its counted harmful and adversarial items.
struct HazardEstimate {
  std::string hazard;
  int64_t counted = 0;
  int64_t failures = 0;
  Interval interval;  // 95% Wilson; [0, 1] when counted == 0
  double half_width = 0.5;
};

class CampaignPlanner {
 public:
  // `cell_of_item[i]` is the cell of item index i; `cells` describes the ids.
  // Fails (InvalidArgument, naming the field) on batch_size < 1, a negative
  // limit or price, a max_cost_usd without a price, ci_half_width outside
  // (0, 1), a cell id without a cell, or more than 2^32 − 1 items.
  static Result<CampaignPlanner> Create(CampaignPlan plan, std::vector<CellId> cell_of_item,
                                        std::vector<CampaignCell> cells, CampaignSpend prior = {});

  // Resume: item `index` already has a result from an earlier process. Same
  // effect as Observe; call it for every finished item before the first batch.
  bool MarkFinished(int64_t index, bool counted, bool failure) {
    return Observe(index, counted, failure);
  }
  // A result arrived. Each index is recorded once: returns false (and changes
  // nothing) for an index out of range or already finished.
  bool Observe(int64_t index, bool counted, bool failure);
  // Tokens of results that arrived (and, on resume, nothing: pass those in `prior`).
  void AddSpend(int64_t prompt_tokens, int64_t completion_tokens);

  // The next batch: nullopt when no item is pending or a stop rule fired
  // (StopReason says which). Planned items are never planned again.
  std::optional<PlannedBatch> NextBatch();

  // Why the campaign stopped, e.g. "max_requests 5000 reached"; nullopt while
  // it runs and when it ended because every item was planned.
  const std::optional<std::string>& StopReason() const { return stop_reason_; }

  int64_t pending() const { return pending_total_; }
  int64_t requests_used() const { return requests_; }
  int64_t tokens_used() const { return prompt_tokens_ + completion_tokens_; }
  double cost_usd() const;

  std::vector<CellEstimate> CellEstimates() const;      // in cell id order
  std::vector<HazardEstimate> HazardEstimates() const;  // hazards in first-appearance order

 private:
  enum ItemState : uint8_t { kPending = 0, kPlanned = 1, kFinished = 2 };
  struct CellState {
    int64_t items = 0;
    int64_t pending = 0;
    int64_t counted = 0;
    int64_t failures = 0;
    int64_t floor = 0;    // adaptive: items planned before data decides
    size_t begin = 0;     // this cell's items in order_: [begin, begin + items)
    size_t cursor = 0;    // order_ before it holds no pending item
    uint32_t hazard = 0;  // index into hazards_
  };

  CampaignPlanner(CampaignPlan plan, std::vector<CellId> cell_of_item,
                  std::vector<CampaignCell> cells, CampaignSpend prior);
  void BuildCellOrder();
  std::optional<std::string> CheckStopRules() const;
  std::optional<std::string> PrecisionReached() const;
  int64_t BatchLimit() const;
  // Gives up to `slots` slots, one at a time round-robin over the cells with
  // pending items not yet allocated (below their floor when `to_floor`).
  int64_t RoundRobin(int64_t slots, bool to_floor, std::vector<int64_t>& alloc);
  void Thompson(int64_t slots, std::vector<int64_t>& alloc);
  std::vector<int64_t> TakeInIndexOrder(int64_t count);
  std::vector<int64_t> TakeFromCells(const std::vector<int64_t>& alloc);

  CampaignPlan plan_;
  std::vector<CellId> cell_of_item_;  // by index
  std::vector<uint8_t> state_;        // ItemState by index
  std::vector<uint32_t> order_;       // item indexes grouped by cell, shuffled (not for kAll)
  std::vector<CampaignCell> cells_;
  std::vector<CellState> cell_state_;
  std::vector<std::string> hazards_;
  size_t all_cursor_ = 0;  // kAll: indexes before it are not pending
  size_t round_robin_next_ = 0;
  int64_t pending_total_ = 0;
  int batches_ = 0;
  int64_t requests_ = 0;
  int64_t prompt_tokens_ = 0;
  int64_t completion_tokens_ = 0;
  SplitMix64 rng_;
  std::optional<std::string> stop_reason_;
};

}  // namespace safeval
