#include "run/campaign_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "run/beta_sample.h"

namespace safeval {
namespace {

// A run's items: sizes[c] items in cell c (hazard "h<c>", the given intents or
// harmful), either in blocks (cell 0's items first, like a dataset sorted by
// category) or interleaved round-robin.
struct Items {
  std::vector<CellId> cell_of_item;
  std::vector<CampaignCell> cells;
};

Items MakeItems(const std::vector<int>& sizes, bool blocks,
                const std::vector<Intent>& intents = {}) {
  Items items;
  for (size_t c = 0; c < sizes.size(); ++c) {
    items.cells.push_back(
        {"h" + std::to_string(c), c < intents.size() ? intents[c] : Intent::kHarmful});
  }
  if (blocks) {
    for (size_t c = 0; c < sizes.size(); ++c) {
      items.cell_of_item.insert(items.cell_of_item.end(), sizes[c], CellId(c));
    }
    return items;
  }
  std::vector<int> left = sizes;
  for (bool any = true; any;) {
    any = false;
    for (size_t c = 0; c < sizes.size(); ++c) {
      if (left[c] == 0) continue;
      --left[c];
      items.cell_of_item.push_back(CellId(c));
      any = true;
    }
  }
  return items;
}

CampaignPlanner Make(const CampaignPlan& plan, const Items& items, CampaignSpend prior = {}) {
  auto planner = CampaignPlanner::Create(plan, items.cell_of_item, items.cells, prior);
  EXPECT_TRUE(planner.ok()) << planner.status().ToString();
  return std::move(planner).value();
}

// Plans to the end, observing every planned item as counted with failure[i].
std::vector<PlannedBatch> RunToEnd(CampaignPlanner& planner, const std::vector<bool>& failure) {
  std::vector<PlannedBatch> batches;
  while (auto batch = planner.NextBatch()) {
    for (int64_t i : batch->indexes) planner.Observe(i, true, failure[static_cast<size_t>(i)]);
    batches.push_back(std::move(*batch));
  }
  return batches;
}

std::vector<int64_t> Range(int64_t begin, int64_t end) {
  std::vector<int64_t> out;
  for (int64_t i = begin; i < end; ++i) out.push_back(i);
  return out;
}

// Per-cell counts of a batch, by cell id.
std::vector<int64_t> CountsByCell(const PlannedBatch& batch, const Items& items) {
  std::vector<int64_t> counts(items.cells.size(), 0);
  for (int64_t i : batch.indexes) ++counts[items.cell_of_item[static_cast<size_t>(i)]];
  return counts;
}

TEST(CampaignStrategy, NamesRoundTrip) {
  for (auto s :
       {CampaignStrategy::kAll, CampaignStrategy::kStratified, CampaignStrategy::kAdaptive}) {
    EXPECT_EQ(ParseCampaignStrategy(Name(s)), s);
  }
  EXPECT_EQ(Name(CampaignStrategy::kAdaptive), "adaptive");
  EXPECT_FALSE(ParseCampaignStrategy("Adaptive").has_value());
  EXPECT_FALSE(ParseCampaignStrategy("").has_value());
}

TEST(CampaignCellIndex, InternsPairsDensely) {
  CampaignCellIndex index;
  EXPECT_EQ(index.Intern("ncr", Intent::kHarmful), 0u);
  EXPECT_EQ(index.Intern("ncr", Intent::kSafe), 1u);
  EXPECT_EQ(index.Intern("vcr", Intent::kHarmful), 2u);
  EXPECT_EQ(index.Intern("ncr", Intent::kHarmful), 0u);
  ASSERT_EQ(index.cells().size(), 3u);
  EXPECT_EQ(index.cells()[1].Label(), "ncr/safe");
}

TEST(CampaignPlanner, CreateRejectsBadPlans) {
  Items items = MakeItems({2, 2}, true);
  auto with = [&](auto change) {
    CampaignPlan plan;
    change(plan);
    return CampaignPlanner::Create(plan, items.cell_of_item, items.cells).status();
  };
  EXPECT_NE(with([](CampaignPlan& p) { p.batch_size = 0; }).message().find("batch_size"),
            std::string::npos);
  EXPECT_FALSE(with([](CampaignPlan& p) { p.max_requests = -1; }).ok());
  EXPECT_FALSE(with([](CampaignPlan& p) { p.ci_half_width = 1.5; }).ok());
  EXPECT_FALSE(with([](CampaignPlan& p) { p.ci_half_width = 0.0; }).ok());
  EXPECT_NE(with([](CampaignPlan& p) { p.max_cost_usd = 5; }).message().find("price"),
            std::string::npos);
  EXPECT_TRUE(with([](CampaignPlan& p) {
                p.max_cost_usd = 5;
                p.usd_per_million_completion_tokens = 1;
              }).ok());
  items.cell_of_item.push_back(7);
  EXPECT_EQ(CampaignPlanner::Create({}, items.cell_of_item, items.cells).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CampaignPlanner, AllPlansIndexOrderInBatches) {
  Items items = MakeItems({5, 5}, false);
  CampaignPlan plan;
  plan.batch_size = 4;
  CampaignPlanner planner = Make(plan, items);
  auto b1 = planner.NextBatch();
  auto b2 = planner.NextBatch();  // planned before b1 is observed: still no overlap
  auto b3 = planner.NextBatch();
  ASSERT_TRUE(b1 && b2 && b3);
  EXPECT_EQ(b1->indexes, Range(0, 4));
  EXPECT_EQ(b2->indexes, Range(4, 8));
  EXPECT_EQ(b3->indexes, Range(8, 10));
  EXPECT_EQ(b1->number, 1);
  EXPECT_EQ(b3->number, 3);
  ASSERT_EQ(b3->allocation.size(), 2u);
  EXPECT_EQ(b3->allocation[0].cell, "h0/harmful");
  EXPECT_EQ(b3->allocation[0].count, 1);
  EXPECT_FALSE(planner.NextBatch().has_value());
  EXPECT_FALSE(planner.StopReason().has_value());  // ran out, no rule fired
  EXPECT_EQ(planner.requests_used(), 10);
}

TEST(CampaignPlanner, ResumeSkipsFinishedItemsAndContinuesNumbering) {
  Items items = MakeItems({5, 5}, false);
  CampaignPlan plan;
  plan.batch_size = 4;
  CampaignPlanner planner = Make(plan, items, {.batches = 3, .requests = 3});
  EXPECT_TRUE(planner.MarkFinished(0, true, false));
  EXPECT_TRUE(planner.MarkFinished(1, false, false));
  EXPECT_TRUE(planner.MarkFinished(5, true, true));
  EXPECT_FALSE(planner.MarkFinished(5, true, true));  // once per index
  EXPECT_FALSE(planner.MarkFinished(10, true, true));
  EXPECT_FALSE(planner.MarkFinished(-1, true, true));
  auto batch = planner.NextBatch();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->number, 4);
  EXPECT_EQ(batch->indexes, (std::vector<int64_t>{2, 3, 4, 6}));
  EXPECT_EQ(planner.requests_used(), 7);
  // Finished items entered the estimates (items alternate cells), the duplicate did not.
  auto cells = planner.CellEstimates();
  EXPECT_EQ(cells[0].counted, 1);  // item 0
  EXPECT_EQ(cells[0].failures, 0);
  EXPECT_EQ(cells[1].counted, 1);  // item 5; item 1 was not counted
  EXPECT_EQ(cells[1].failures, 1);
}

TEST(CampaignPlanner, ResumedStratifiedAndAdaptiveNeverPlanFinishedItems) {
  for (auto strategy : {CampaignStrategy::kStratified, CampaignStrategy::kAdaptive}) {
    Items items = MakeItems({30, 3, 12}, true);
    CampaignPlan plan;
    plan.strategy = strategy;
    plan.batch_size = 5;
    CampaignPlanner planner = Make(plan, items);
    std::set<int64_t> finished;
    for (int64_t i = 0; i < 45; i += 3) {
      ASSERT_TRUE(planner.MarkFinished(i, true, i % 2 == 0));
      finished.insert(i);
    }
    std::set<int64_t> planned;
    while (auto batch = planner.NextBatch()) {
      for (int64_t i : batch->indexes) {
        EXPECT_FALSE(finished.count(i)) << i;
        EXPECT_TRUE(planned.insert(i).second) << i;
      }
    }
    EXPECT_EQ(planned.size() + finished.size(), 45u);
  }
}

TEST(CampaignPlanner, StratifiedBalancesEveryBatch) {
  Items items = MakeItems({3, 10, 25, 40, 7}, /*blocks=*/true);
  CampaignPlan plan;
  plan.strategy = CampaignStrategy::kStratified;
  plan.batch_size = 7;
  plan.seed = 11;
  CampaignPlanner planner = Make(plan, items);
  std::vector<int64_t> left = {3, 10, 25, 40, 7};
  std::vector<int64_t> taken(5, 0);
  std::set<int64_t> seen;
  int batches = 0;
  while (auto batch = planner.NextBatch()) {
    ++batches;
    std::vector<int64_t> counts = CountsByCell(*batch, items);
    int64_t lo = INT64_MAX, hi = 0;
    for (size_t c = 0; c < left.size(); ++c) {
      left[c] -= counts[c];
      taken[c] += counts[c];
      if (left[c] > 0) {  // still has items: must be within one of the others
        lo = std::min(lo, counts[c]);
        hi = std::max(hi, counts[c]);
      }
    }
    if (hi > 0) {
      EXPECT_LE(hi - lo, 1) << "batch " << batch->number;
      // A cell that ran out in this batch got no more than one over the others.
      for (size_t c = 0; c < left.size(); ++c) EXPECT_LE(counts[c], hi + 1);
    }
    // The extra slots of uneven batches rotate: so far, too, cells with items
    // left are within one of each other.
    int64_t taken_lo = INT64_MAX, taken_hi = 0;
    for (size_t c = 0; c < left.size(); ++c) {
      if (left[c] == 0) continue;
      taken_lo = std::min(taken_lo, taken[c]);
      taken_hi = std::max(taken_hi, taken[c]);
    }
    if (taken_hi > 0) {
      EXPECT_LE(taken_hi - taken_lo, 1) << "after batch " << batch->number;
    }
    EXPECT_EQ(static_cast<int64_t>(batch->indexes.size()),
              std::min<int64_t>(7, 85 - static_cast<int64_t>(seen.size())));
    for (int64_t i : batch->indexes) EXPECT_TRUE(seen.insert(i).second);
  }
  EXPECT_EQ(seen.size(), 85u);
  EXPECT_EQ(batches, 13);  // ceil(85 / 7)
}

TEST(CampaignPlanner, StratifiedTakesEachCellInSeededRandomOrder) {
  Items items = MakeItems({40, 40}, /*blocks=*/true);
  CampaignPlan plan;
  plan.strategy = CampaignStrategy::kStratified;
  plan.batch_size = 10;
  plan.seed = 3;
  CampaignPlanner planner = Make(plan, items);
  auto batch = planner.NextBatch();
  ASSERT_TRUE(batch);
  EXPECT_EQ(CountsByCell(*batch, items), (std::vector<int64_t>{5, 5}));
  // Not the first five of each cell in file order (which would be one sub-category).
  EXPECT_NE(batch->indexes, (std::vector<int64_t>{0, 1, 2, 3, 4, 40, 41, 42, 43, 44}));
}

TEST(CampaignPlanner, AdaptiveGivesEveryCellItsFloorFirst) {
  Items items = MakeItems(std::vector<int>(20, 50), false);
  CampaignPlan plan;
  plan.strategy = CampaignStrategy::kAdaptive;
  plan.batch_size = 50;  // floor: 50 / 20 = 2 per cell
  CampaignPlanner planner = Make(plan, items);
  auto batch = planner.NextBatch();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->indexes.size(), 50u);
  for (int64_t count : CountsByCell(*batch, items)) EXPECT_GE(count, 2);

  // More cells than slots: floor 1, reached over three batches, one item per cell.
  Items many = MakeItems(std::vector<int>(30, 4), false);
  plan.batch_size = 10;
  CampaignPlanner wide = Make(plan, many);
  std::vector<int64_t> total(30, 0);
  for (int b = 0; b < 3; ++b) {
    auto next = wide.NextBatch();
    ASSERT_TRUE(next);
    std::vector<int64_t> counts = CountsByCell(*next, many);
    for (size_t c = 0; c < 30; ++c) total[c] += counts[c];
  }
  EXPECT_EQ(total, std::vector<int64_t>(30, 1));
}

// The point of adaptive: 20 cells, two weak ones (60% failures), the rest at
// 2%; with the same request budget adaptive finds far more of the weak cells'
// failures than all or stratified, on every seed and in total.
TEST(CampaignPlanner, AdaptiveFindsMoreFailuresInWeakCellsOnAFixedBudget) {
  const std::vector<size_t> weak = {3, 11};
  Items items = MakeItems(std::vector<int>(20, 500), /*blocks=*/false);
  auto weak_failures = [&](CampaignStrategy strategy, uint64_t seed) {
    SplitMix64 truth(seed + 1000);
    std::vector<bool> failure;
    for (CellId c : items.cell_of_item) {
      bool is_weak = std::count(weak.begin(), weak.end(), c) > 0;
      failure.push_back(SampleUniform01(truth) < (is_weak ? 0.6 : 0.02));
    }
    CampaignPlan plan;
    plan.strategy = strategy;
    plan.batch_size = 50;
    plan.max_requests = 1000;
    plan.seed = seed;
    CampaignPlanner planner = Make(plan, items);
    int64_t found = 0;
    for (const PlannedBatch& batch : RunToEnd(planner, failure)) {
      for (int64_t i : batch.indexes) {
        CellId c = items.cell_of_item[static_cast<size_t>(i)];
        if (failure[static_cast<size_t>(i)] && std::count(weak.begin(), weak.end(), c)) ++found;
      }
    }
    EXPECT_EQ(planner.requests_used(), 1000);
    EXPECT_EQ(planner.StopReason().value_or(""), "max_requests 1000 reached");
    for (const CellEstimate& cell : planner.CellEstimates()) EXPECT_GE(cell.counted, 2);
    return found;
  };
  int64_t adaptive = 0, stratified = 0, all = 0;
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    int64_t a = weak_failures(CampaignStrategy::kAdaptive, seed);
    int64_t s = weak_failures(CampaignStrategy::kStratified, seed);
    int64_t l = weak_failures(CampaignStrategy::kAll, seed);
    EXPECT_GE(a, 2 * s) << "seed " << seed;
    adaptive += a;
    stratified += s;
    all += l;
  }
  // Stratified and all spend 1000 / 20 × 2 = 100 requests on weak cells (≈ 60 failures).
  EXPECT_GE(adaptive, 3 * stratified);
  EXPECT_GE(adaptive, 3 * all);
}

TEST(CampaignPlanner, MaxBatchesCountsTheWholeRun) {
  Items items = MakeItems({50}, true);
  CampaignPlan plan;
  plan.batch_size = 5;
  plan.max_batches = 3;
  plan.max_requests = 1000;  // both set: the first to fire is reported
  CampaignPlanner planner = Make(plan, items, {.batches = 1});
  EXPECT_EQ(planner.NextBatch()->number, 2);
  EXPECT_EQ(planner.NextBatch()->number, 3);
  EXPECT_FALSE(planner.StopReason().has_value());
  EXPECT_FALSE(planner.NextBatch().has_value());
  EXPECT_EQ(planner.StopReason().value_or(""), "max_batches 3 reached");
  EXPECT_FALSE(planner.NextBatch().has_value());  // stays stopped
  EXPECT_EQ(planner.pending(), 40);
}

TEST(CampaignPlanner, MaxRequestsCutsTheLastBatchToFit) {
  Items items = MakeItems({100}, true);
  CampaignPlan plan;
  plan.batch_size = 30;
  plan.max_requests = 70;
  CampaignPlanner planner = Make(plan, items);
  std::vector<size_t> sizes;
  while (auto batch = planner.NextBatch()) sizes.push_back(batch->indexes.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{30, 30, 10}));
  EXPECT_EQ(planner.StopReason().value_or(""), "max_requests 70 reached");

  CampaignPlanner resumed = Make(plan, items, {.requests = 50});
  auto batch = resumed.NextBatch();
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->indexes.size(), 20u);
  EXPECT_FALSE(resumed.NextBatch().has_value());
}

TEST(CampaignPlanner, RunningOutOfItemsIsNotAStopRule) {
  Items items = MakeItems({10}, true);
  CampaignPlan plan;
  plan.batch_size = 10;
  plan.max_requests = 10;
  CampaignPlanner planner = Make(plan, items);
  ASSERT_TRUE(planner.NextBatch());
  EXPECT_FALSE(planner.NextBatch());
  EXPECT_FALSE(planner.StopReason().has_value());
}

TEST(CampaignPlanner, MaxTokensFiresOnceSpendReachesIt) {
  Items items = MakeItems({100}, true);
  CampaignPlan plan;
  plan.batch_size = 10;
  plan.max_tokens = 1000;
  CampaignPlanner planner = Make(plan, items, {.prompt_tokens = 100});
  int batches = 0;
  while (planner.NextBatch()) {
    ++batches;
    planner.AddSpend(200, 100);  // 100 + 300 per batch: 400, 700, 1000
  }
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(planner.StopReason().value_or(""), "max_tokens 1000 reached (1000 used)");
}

TEST(CampaignPlanner, MaxCostUsesThePricesPerMillionTokens) {
  Items items = MakeItems({100}, true);
  CampaignPlan plan;
  plan.batch_size = 10;
  plan.max_cost_usd = 5.0;
  plan.usd_per_million_prompt_tokens = 2.0;
  plan.usd_per_million_completion_tokens = 10.0;
  CampaignPlanner planner = Make(plan, items);
  int batches = 0;
  while (planner.NextBatch()) {
    ++batches;
    planner.AddSpend(1'000'000, 100'000);  // $2 + $1 per batch
  }
  EXPECT_EQ(batches, 2);
  EXPECT_DOUBLE_EQ(planner.cost_usd(), 6.0);
  EXPECT_EQ(planner.StopReason().value_or(""), "max_cost_usd 5 reached ($6.0000 estimated)");
}

// Three hazards: h0 harmful, h1 adversarial, h2 safe only (no rate to measure).
// Nothing fails, so a hazard's 95% Wilson half-width is z²/(2(n + z²)) with
// z² = 3.8415: 0.0568 at n = 30, 0.0438 at n = 40. Stratified batches of 30
// give each cell 10, so the goal 0.05 is met after the fourth batch.
TEST(CampaignPlanner, CiHalfWidthStopsWhenEveryHazardIsPrecise) {
  Items items =
      MakeItems({100, 100, 100}, true, {Intent::kHarmful, Intent::kAdversarial, Intent::kSafe});
  CampaignPlan plan;
  plan.strategy = CampaignStrategy::kStratified;
  plan.batch_size = 30;
  plan.ci_half_width = 0.05;
  CampaignPlanner planner = Make(plan, items);
  std::vector<bool> no_failures(300, false);
  auto batches = RunToEnd(planner, no_failures);
  EXPECT_EQ(batches.size(), 4u);
  ASSERT_TRUE(planner.StopReason().has_value());
  EXPECT_EQ(
      planner.StopReason()->rfind("every hazard's 95% half-width < 0.05 (widest 0.0438, h", 0), 0u)
      << *planner.StopReason();
  auto hazards = planner.HazardEstimates();
  ASSERT_EQ(hazards.size(), 3u);
  EXPECT_EQ(hazards[0].counted, 40);
  EXPECT_EQ(hazards[2].counted, 0);  // safe items are not in the hazard's failure rate
  EXPECT_NEAR(hazards[0].half_width, 3.8415 / (2 * (40 + 3.8415)), 1e-4);
}

TEST(CampaignPlanner, CiHalfWidthNeedsCountedItemsInEveryHazard) {
  Items items = MakeItems({100, 100}, true);
  CampaignPlan plan;
  plan.strategy = CampaignStrategy::kStratified;
  plan.batch_size = 20;
  // Above 0.5, the half-width of "no data" ([0, 1]): only the rule itself keeps h1 out.
  plan.ci_half_width = 0.6;
  CampaignPlanner planner = Make(plan, items);
  int batches = 0;
  while (auto batch = planner.NextBatch()) {
    ++batches;
    // h1's items all end in errors: never counted, so its precision is never reached.
    for (int64_t i : batch->indexes) planner.Observe(i, /*counted=*/i < 100, false);
  }
  EXPECT_EQ(batches, 10);
  EXPECT_FALSE(planner.StopReason().has_value());
}

TEST(CampaignPlanner, EstimatesCountObservationsPerCellAndHazard) {
  Items items = MakeItems({4, 4}, true, {Intent::kHarmful, Intent::kSafe});
  items.cells[1].hazard = "h0";  // one hazard, two intents
  CampaignPlan plan;
  plan.batch_size = 8;
  CampaignPlanner planner = Make(plan, items);
  ASSERT_TRUE(planner.NextBatch());
  planner.Observe(0, true, true);
  planner.Observe(1, true, false);
  planner.Observe(2, false, true);  // an error: not counted
  planner.Observe(4, true, true);   // an over-deflection on a safe item
  auto cells = planner.CellEstimates();
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].cell, "h0/harmful");
  EXPECT_EQ(cells[0].taken, 4);
  EXPECT_EQ(cells[0].counted, 2);
  EXPECT_EQ(cells[0].failures, 1);
  EXPECT_EQ(cells[1].failures, 1);
  auto hazards = planner.HazardEstimates();
  ASSERT_EQ(hazards.size(), 1u);
  EXPECT_EQ(hazards[0].counted, 2);
  EXPECT_EQ(hazards[0].failures, 1);
  EXPECT_LT(hazards[0].interval.low, 0.5);
  EXPECT_GT(hazards[0].interval.high, 0.5);
}

TEST(CampaignPlanner, DeterministicUnderTheSeed) {
  Items items = MakeItems({60, 60, 60, 60}, false);
  std::vector<bool> failure;
  SplitMix64 truth(5);
  for (size_t i = 0; i < items.cell_of_item.size(); ++i) {
    failure.push_back(SampleUniform01(truth) < 0.1 * (items.cell_of_item[i] + 1));
  }
  auto run = [&](CampaignStrategy strategy, uint64_t seed) {
    CampaignPlan plan;
    plan.strategy = strategy;
    plan.batch_size = 16;
    plan.seed = seed;
    CampaignPlanner planner = Make(plan, items);
    std::vector<std::vector<int64_t>> order;
    for (const PlannedBatch& b : RunToEnd(planner, failure)) order.push_back(b.indexes);
    return order;
  };
  for (auto strategy : {CampaignStrategy::kStratified, CampaignStrategy::kAdaptive}) {
    EXPECT_EQ(run(strategy, 9), run(strategy, 9));
    EXPECT_NE(run(strategy, 9), run(strategy, 10));
  }
}

// Over many random configurations (strategies, cells including empty ones,
// resume, budgets, items left in flight): no index is planned twice, every
// planned index was pending, batches respect their size, and a campaign that
// ends without a stop reason has planned or finished every item.
TEST(CampaignPlanner, PropertyNeverPlansAnItemTwice) {
  SplitMix64 rng(2026);
  for (int trial = 0; trial < 300; ++trial) {
    size_t cells = 1 + rng.Below(8);
    size_t n = rng.Below(300);
    Items items;
    for (size_t c = 0; c < cells; ++c) {
      items.cells.push_back({"h" + std::to_string(rng.Below(3)), kAllIntents[rng.Below(3)]});
    }
    for (size_t i = 0; i < n; ++i) items.cell_of_item.push_back(CellId(rng.Below(cells)));
    CampaignPlan plan;
    plan.strategy = static_cast<CampaignStrategy>(rng.Below(3));
    plan.batch_size = 1 + static_cast<int>(rng.Below(40));
    plan.max_requests = rng.Below(3) == 0 ? static_cast<int64_t>(rng.Below(n + 1)) : 0;
    plan.max_batches = rng.Below(4) == 0 ? static_cast<int>(rng.Below(10)) : 0;
    if (rng.Below(4) == 0) plan.ci_half_width = 0.05 + 0.2 * SampleUniform01(rng);
    plan.seed = rng.Next();
    CampaignPlanner planner = Make(plan, items);
    std::vector<int> state(n, 0);  // 0 pending, 1 planned, 2 finished before
    for (size_t i = 0; i < n; ++i) {
      if (rng.Below(5) == 0) {
        state[i] = 2;
        planner.MarkFinished(static_cast<int64_t>(i), rng.Below(2), rng.Below(2));
      }
    }
    int64_t planned = 0;
    while (auto batch = planner.NextBatch()) {
      ASSERT_FALSE(batch->indexes.empty());
      ASSERT_LE(batch->indexes.size(), static_cast<size_t>(plan.batch_size));
      int64_t allocated = 0;
      for (const CellAllocation& a : batch->allocation) allocated += a.count;
      ASSERT_EQ(allocated, static_cast<int64_t>(batch->indexes.size()));
      for (int64_t i : batch->indexes) {
        ASSERT_GE(i, 0);
        ASSERT_LT(i, static_cast<int64_t>(n));
        ASSERT_EQ(state[static_cast<size_t>(i)], 0) << "trial " << trial << " index " << i;
        state[static_cast<size_t>(i)] = 1;
        ++planned;
        if (rng.Below(10) != 0) planner.Observe(i, rng.Below(4) != 0, rng.Below(3) == 0);
      }
    }
    if (plan.max_requests > 0) {
      EXPECT_LE(planned, plan.max_requests);
    }
    if (!planner.StopReason()) {
      EXPECT_EQ(std::count(state.begin(), state.end(), 0), 0) << "trial " << trial;
      EXPECT_EQ(planner.pending(), 0);
    }
  }
}

TEST(BetaSample, MomentsMatchAndDrawsRepeat) {
  SplitMix64 rng(1);
  const int kDraws = 40000;
  double sum = 0, sum_sq = 0, gamma_small = 0, gamma_large = 0;
  for (int i = 0; i < kDraws; ++i) {
    double x = SampleBeta(3, 7, rng);
    ASSERT_GT(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
    sum_sq += x * x;
    gamma_small += SampleGamma(0.5, rng);
    gamma_large += SampleGamma(20, rng);
  }
  double mean = sum / kDraws;
  EXPECT_NEAR(mean, 0.3, 0.005);
  EXPECT_NEAR(sum_sq / kDraws - mean * mean, 0.3 * 0.7 / 11, 0.002);  // ab/((a+b)²(a+b+1))
  EXPECT_NEAR(gamma_small / kDraws, 0.5, 0.02);
  EXPECT_NEAR(gamma_large / kDraws, 20, 0.1);
  SplitMix64 a(42), b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(SampleBeta(2, 5, a), SampleBeta(2, 5, b));
}

}  // namespace
}  // namespace safeval
