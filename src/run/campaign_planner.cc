#include "run/campaign_planner.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include "run/beta_sample.h"

namespace safeval {
namespace {

// Separates the Thompson stream from the shuffle stream of the same seed.
constexpr uint64_t kThompsonStream = 0x243f6a8885a308d3ULL;

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

Status Invalid(const std::string& field, const std::string& expected) {
  return Status::InvalidArgument("campaign: field '" + field + "': " + expected);
}

Status Validate(const CampaignPlan& plan, const std::vector<CellId>& cell_of_item, size_t cells) {
  if (plan.batch_size < 1) return Invalid("batch_size", "expected an integer >= 1");
  if (plan.max_batches < 0) return Invalid("max_batches", "expected an integer >= 0");
  if (plan.max_requests < 0) return Invalid("max_requests", "expected an integer >= 0");
  if (plan.max_tokens < 0) return Invalid("max_tokens", "expected an integer >= 0");
  if (plan.usd_per_million_prompt_tokens < 0 || plan.usd_per_million_completion_tokens < 0) {
    return Invalid("prices", "expected prices per million tokens >= 0");
  }
  if (plan.max_cost_usd) {
    if (!(*plan.max_cost_usd >= 0)) return Invalid("max_cost_usd", "expected a number >= 0");
    if (plan.usd_per_million_prompt_tokens == 0 && plan.usd_per_million_completion_tokens == 0) {
      return Invalid("max_cost_usd", "needs a price per million prompt or completion tokens");
    }
  }
  if (plan.ci_half_width && !(*plan.ci_half_width > 0 && *plan.ci_half_width < 1)) {
    return Invalid("ci_half_width", "expected a number between 0 and 1 (exclusive)");
  }
  if (cell_of_item.size() >= std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("campaign: more than 2^32 - 2 items");
  }
  for (size_t i = 0; i < cell_of_item.size(); ++i) {
    if (cell_of_item[i] >= cells) {
      return Status::InvalidArgument("campaign: item " + std::to_string(i) + " has cell id " +
                                     std::to_string(cell_of_item[i]) + " but there are " +
                                     std::to_string(cells) + " cells");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view Name(CampaignStrategy strategy) {
  switch (strategy) {
    case CampaignStrategy::kAll:
      return "all";
    case CampaignStrategy::kStratified:
      return "stratified";
    case CampaignStrategy::kAdaptive:
      return "adaptive";
  }
  return "all";
}

std::optional<CampaignStrategy> ParseCampaignStrategy(std::string_view text) {
  for (auto s :
       {CampaignStrategy::kAll, CampaignStrategy::kStratified, CampaignStrategy::kAdaptive}) {
    if (Name(s) == text) return s;
  }
  return std::nullopt;
}

std::string CampaignCell::Label() const { return hazard + "/" + std::string(Name(intent)); }

CellId CampaignCellIndex::Intern(std::string_view hazard, Intent intent) {
  auto [it, added] = ids_.try_emplace({std::string(hazard), intent}, 0);
  if (added) {
    it->second = static_cast<CellId>(cells_.size());
    cells_.push_back({std::string(hazard), intent});
  }
  return it->second;
}

Result<CampaignPlanner> CampaignPlanner::Create(CampaignPlan plan, std::vector<CellId> cell_of_item,
                                                std::vector<CampaignCell> cells,
                                                CampaignSpend prior) {
  SV_RETURN_IF_ERROR(Validate(plan, cell_of_item, cells.size()));
  return CampaignPlanner(plan, std::move(cell_of_item), std::move(cells), prior);
}

CampaignPlanner::CampaignPlanner(CampaignPlan plan, std::vector<CellId> cell_of_item,
                                 std::vector<CampaignCell> cells, CampaignSpend prior)
    : plan_(plan),
      cell_of_item_(std::move(cell_of_item)),
      state_(cell_of_item_.size(), kPending),
      cells_(std::move(cells)),
      cell_state_(cells_.size()),
      pending_total_(static_cast<int64_t>(cell_of_item_.size())),
      batches_(prior.batches),
      requests_(prior.requests),
      prompt_tokens_(prior.prompt_tokens),
      completion_tokens_(prior.completion_tokens),
      rng_(plan.seed ^ kThompsonStream) {
  for (size_t c = 0; c < cells_.size(); ++c) {
    auto it = std::find(hazards_.begin(), hazards_.end(), cells_[c].hazard);
    cell_state_[c].hazard = static_cast<uint32_t>(it - hazards_.begin());
    if (it == hazards_.end()) hazards_.push_back(cells_[c].hazard);
  }
  for (CellId c : cell_of_item_) ++cell_state_[c].items;
  int64_t nonempty = 0;
  for (CellState& s : cell_state_) {
    s.pending = s.items;
    if (s.items > 0) ++nonempty;
  }
  int64_t floor = std::max<int64_t>(1, plan_.batch_size / std::max<int64_t>(1, nonempty));
  for (CellState& s : cell_state_) s.floor = std::min(s.items, floor);
  if (plan_.strategy != CampaignStrategy::kAll) BuildCellOrder();
}

void CampaignPlanner::BuildCellOrder() {
  size_t begin = 0;
  for (CellState& s : cell_state_) {
    s.begin = s.cursor = begin;
    begin += static_cast<size_t>(s.items);
  }
  order_.resize(cell_of_item_.size());
  std::vector<size_t> fill(cell_state_.size());
  for (size_t c = 0; c < cell_state_.size(); ++c) fill[c] = cell_state_[c].begin;
  for (size_t i = 0; i < cell_of_item_.size(); ++i) {
    order_[fill[cell_of_item_[i]]++] = static_cast<uint32_t>(i);
  }
  SplitMix64 shuffle(plan_.seed);
  for (const CellState& s : cell_state_) {
    uint32_t* first = order_.data() + s.begin;
    for (int64_t i = s.items - 1; i > 0; --i) {
      std::swap(first[i], first[shuffle.Below(static_cast<uint64_t>(i) + 1)]);
    }
  }
}

bool CampaignPlanner::Observe(int64_t index, bool counted, bool failure) {
  if (index < 0 || static_cast<size_t>(index) >= state_.size()) return false;
  uint8_t& state = state_[static_cast<size_t>(index)];
  if (state == kFinished) return false;
  CellState& cell = cell_state_[cell_of_item_[static_cast<size_t>(index)]];
  if (state == kPending) {
    --cell.pending;
    --pending_total_;
  }
  state = kFinished;
  if (counted) {
    ++cell.counted;
    if (failure) ++cell.failures;
  }
  return true;
}

void CampaignPlanner::AddSpend(int64_t prompt_tokens, int64_t completion_tokens) {
  prompt_tokens_ += prompt_tokens;
  completion_tokens_ += completion_tokens;
}

double CampaignPlanner::cost_usd() const {
  return (static_cast<double>(prompt_tokens_) * plan_.usd_per_million_prompt_tokens +
          static_cast<double>(completion_tokens_) * plan_.usd_per_million_completion_tokens) /
         1e6;
}

std::optional<PlannedBatch> CampaignPlanner::NextBatch() {
  if (stop_reason_ || pending_total_ == 0) return std::nullopt;
  stop_reason_ = CheckStopRules();
  if (stop_reason_) return std::nullopt;

  int64_t size = BatchLimit();
  PlannedBatch batch;
  if (plan_.strategy == CampaignStrategy::kAll) {
    batch.indexes = TakeInIndexOrder(size);
  } else {
    std::vector<int64_t> alloc(cells_.size(), 0);
    int64_t given = 0;
    if (plan_.strategy == CampaignStrategy::kAdaptive) {
      given = RoundRobin(size, /*to_floor=*/true, alloc);
      Thompson(size - given, alloc);
    } else {
      RoundRobin(size, /*to_floor=*/false, alloc);
    }
    batch.indexes = TakeFromCells(alloc);
  }
  std::sort(batch.indexes.begin(), batch.indexes.end());

  std::vector<int64_t> counts(cells_.size(), 0);
  for (int64_t i : batch.indexes) ++counts[cell_of_item_[static_cast<size_t>(i)]];
  for (size_t c = 0; c < cells_.size(); ++c) {
    if (counts[c] > 0) batch.allocation.push_back({cells_[c].Label(), counts[c]});
  }
  batch.number = ++batches_;
  requests_ += static_cast<int64_t>(batch.indexes.size());
  return batch;
}

std::optional<std::string> CampaignPlanner::CheckStopRules() const {
  if (plan_.max_batches > 0 && batches_ >= plan_.max_batches) {
    return "max_batches " + std::to_string(plan_.max_batches) + " reached";
  }
  if (plan_.max_requests > 0 && requests_ >= plan_.max_requests) {
    return "max_requests " + std::to_string(plan_.max_requests) + " reached";
  }
  if (plan_.max_tokens > 0 && tokens_used() >= plan_.max_tokens) {
    return "max_tokens " + std::to_string(plan_.max_tokens) + " reached (" +
           std::to_string(tokens_used()) + " used)";
  }
  if (plan_.max_cost_usd && cost_usd() >= *plan_.max_cost_usd) {
    return "max_cost_usd " + Format("%g", *plan_.max_cost_usd) + " reached (" +
           Format("$%.4f", cost_usd()) + " estimated)";
  }
  if (plan_.ci_half_width) return PrecisionReached();
  return std::nullopt;
}

std::optional<std::string> CampaignPlanner::PrecisionReached() const {
  std::vector<int64_t> unsafe_items(hazards_.size(), 0);
  for (size_t c = 0; c < cells_.size(); ++c) {
    if (!IsUnsafeIntent(cells_[c].intent)) continue;
    unsafe_items[cell_state_[c].hazard] += cell_state_[c].items;
  }
  std::vector<HazardEstimate> estimates = HazardEstimates();
  const HazardEstimate* widest = nullptr;
  for (size_t h = 0; h < hazards_.size(); ++h) {
    if (unsafe_items[h] == 0) continue;  // nothing could ever be measured
    const HazardEstimate& e = estimates[h];
    if (e.counted == 0 || e.half_width >= *plan_.ci_half_width) return std::nullopt;
    if (!widest || e.half_width > widest->half_width) widest = &e;
  }
  if (!widest) return std::nullopt;
  return "every hazard's 95% half-width < " + Format("%g", *plan_.ci_half_width) + " (widest " +
         Format("%.4f", widest->half_width) + ", " + widest->hazard + ")";
}

int64_t CampaignPlanner::BatchLimit() const {
  int64_t size = std::min<int64_t>(plan_.batch_size, pending_total_);
  if (plan_.max_requests > 0) size = std::min(size, plan_.max_requests - requests_);
  return size;
}

int64_t CampaignPlanner::RoundRobin(int64_t slots, bool to_floor, std::vector<int64_t>& alloc) {
  const size_t cells = cells_.size();
  int64_t given = 0;
  while (given < slots) {
    bool found = false;
    for (size_t k = 0; k < cells && !found; ++k) {
      size_t c = (round_robin_next_ + k) % cells;
      const CellState& s = cell_state_[c];
      if (s.pending - alloc[c] <= 0) continue;
      if (to_floor && (s.items - s.pending) + alloc[c] >= s.floor) continue;
      ++alloc[c];
      ++given;
      round_robin_next_ = (c + 1) % cells;
      found = true;
    }
    if (!found) break;
  }
  return given;
}

void CampaignPlanner::Thompson(int64_t slots, std::vector<int64_t>& alloc) {
  for (int64_t slot = 0; slot < slots; ++slot) {
    size_t best = cells_.size();
    double best_theta = -1.0;
    for (size_t c = 0; c < cells_.size(); ++c) {
      const CellState& s = cell_state_[c];
      if (s.pending - alloc[c] <= 0) continue;
      double theta = SampleBeta(1.0 + static_cast<double>(s.failures),
                                1.0 + static_cast<double>(s.counted - s.failures), rng_);
      if (theta > best_theta) {
        best_theta = theta;
        best = c;
      }
    }
    if (best == cells_.size()) return;  // REQUIRES of the caller: slots <= pending
    ++alloc[best];
  }
}

std::vector<int64_t> CampaignPlanner::TakeInIndexOrder(int64_t count) {
  std::vector<int64_t> taken;
  taken.reserve(static_cast<size_t>(count));
  while (static_cast<int64_t>(taken.size()) < count) {
    while (state_[all_cursor_] != kPending) ++all_cursor_;
    state_[all_cursor_] = kPlanned;
    --cell_state_[cell_of_item_[all_cursor_]].pending;
    --pending_total_;
    taken.push_back(static_cast<int64_t>(all_cursor_));
  }
  return taken;
}

std::vector<int64_t> CampaignPlanner::TakeFromCells(const std::vector<int64_t>& alloc) {
  std::vector<int64_t> taken;
  for (size_t c = 0; c < cells_.size(); ++c) {
    CellState& s = cell_state_[c];
    for (int64_t k = 0; k < alloc[c]; ++k) {
      while (state_[order_[s.cursor]] != kPending) ++s.cursor;
      uint32_t index = order_[s.cursor++];
      state_[index] = kPlanned;
      --s.pending;
      --pending_total_;
      taken.push_back(index);
    }
  }
  return taken;
}

std::vector<CellEstimate> CampaignPlanner::CellEstimates() const {
  std::vector<CellEstimate> out;
  out.reserve(cells_.size());
  for (size_t c = 0; c < cells_.size(); ++c) {
    const CellState& s = cell_state_[c];
    out.push_back({cells_[c].Label(), s.items, s.items - s.pending, s.counted, s.failures});
  }
  return out;
}

std::vector<HazardEstimate> CampaignPlanner::HazardEstimates() const {
  std::vector<HazardEstimate> out(hazards_.size());
  for (size_t h = 0; h < hazards_.size(); ++h) out[h].hazard = hazards_[h];
  for (size_t c = 0; c < cells_.size(); ++c) {
    if (!IsUnsafeIntent(cells_[c].intent)) continue;
    HazardEstimate& e = out[cell_state_[c].hazard];
    e.counted += cell_state_[c].counted;
    e.failures += cell_state_[c].failures;
  }
  for (HazardEstimate& e : out) {
    e.interval = WilsonInterval(e.failures, e.counted);
    e.half_width = (e.interval.high - e.interval.low) / 2;
  }
  return out;
}

}  // namespace safeval
