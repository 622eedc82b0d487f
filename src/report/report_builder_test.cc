// Tests of ReportDataBuilder: every count against a naive pass over all the items, the samples
// against their definition, renderers' output the same from the bounded data as from all the
// items, and the number of items held bounded however long the run.
#include "report/report_builder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>

#include "metrics/top_failures.h"
#include "report/item_kind.h"
#include "report/report_test_fixture.h"

namespace safeval {
namespace {

using RC = ResponseClass;

// A deterministic run of `count` items over five hazards (one sub-category, one category outside
// the taxonomy) with every kind of item, and a second judge that sometimes disagrees.
std::vector<ReportItem> GeneratedItems(size_t count) {
  const char* categories[] = {"vcr", "ssh", "spc/spc_hlt", "cse", "zzz"};
  std::vector<ReportItem> items;
  for (size_t i = 0; i < count; ++i) {
    uint64_t h = (i * 2654435761u) % 1000;
    Intent intent = kAllIntents[i % 3];
    bool unsafe = intent != Intent::kSafe;
    bool violation = unsafe ? h % 7 == 0 : h % 97 == 0;
    RC cls = violation ? RC::kCompliesHarmful
                       : (unsafe ? RC::kRefuses : (h % 5 == 0 ? RC::kDeflects : RC::kHelpful));
    if (h < 10) cls = RC::kUndetermined;
    std::vector<std::string> techniques;
    if (intent == Intent::kAdversarial) techniques = {h % 2 ? "role_play" : "base64"};
    ReportItem item = testing::FixtureItem("g" + std::to_string(i), categories[(i / 3) % 5], intent,
                                           cls, violation && h >= 10, techniques);
    item.index = static_cast<int64_t>(i);
    if (h % 3 == 0) {  // a second judge, agreeing on one in two violations
      Verdict second = item.verdicts[0];
      second.judge = "llm";
      second.judge_version = "llm@2";
      second.violation = item.verdicts[0].violation && h % 2 == 0;
      item.verdicts.push_back(second);
    }
    if (h >= 10 && h < 15) {
      item.outcome = Outcome::kModelError;
      item.verdicts.clear();
      item.response.clear();
      item.error = "timeout";
    } else if (h >= 15 && h < 17) {
      item.pending = true;
      item.verdicts.clear();
      item.response.clear();
    }
    items.push_back(std::move(item));
  }
  items[1].prompt.category = CategoryPath();  // no category: in no hazard, cell or coverage leaf
  return items;
}

ReportData Build(const std::vector<ReportItem>& items, bool keep_every_item,
                 size_t* most_held = nullptr) {
  ReportBuilderOptions options;
  options.keep_every_item = keep_every_item;
  ReportDataBuilder builder(options);
  for (const ReportItem& item : items) {
    builder.Add(item);
    if (most_held != nullptr) *most_held = std::max(*most_held, builder.held());
  }
  ReportData data = testing::FixtureReportData(false);  // the run's identity
  std::move(builder).Finish(&data);
  return data;
}

// The prompt ids at `positions` of data.items.
std::vector<std::string> Ids(const ReportData& data, const std::vector<size_t>& positions) {
  std::vector<std::string> ids;
  for (size_t i : positions) ids.push_back(data.items.at(i).prompt.id);
  return ids;
}

// What an EvenSample of `capacity` keeps of `all`: every stride-th, the smallest power-of-two
// stride that keeps at most `capacity`.
std::vector<std::string> EvenlyKept(const std::vector<std::string>& all, size_t capacity) {
  size_t stride = 1;
  while ((all.size() + stride - 1) / stride > capacity) stride *= 2;
  std::vector<std::string> kept;
  for (size_t p = 0; p < all.size(); p += stride) kept.push_back(all[p]);
  return kept;
}

std::vector<std::string> IdsWhere(const std::vector<ReportItem>& items,
                                  const std::function<bool(const ReportItem&)>& pred) {
  std::vector<std::string> ids;
  for (const ReportItem& item : items)
    if (pred(item)) ids.push_back(item.prompt.id);
  return ids;
}

void ExpectSameRows(const std::vector<MetricRow>& got, const std::vector<MetricRow>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].group_by, want[i].group_by) << i;
    EXPECT_EQ(got[i].metric, want[i].metric) << i;
    EXPECT_EQ(got[i].n, want[i].n) << i;
    EXPECT_EQ(got[i].count, want[i].count) << i;
  }
}

class ReportBuilderTest : public ::testing::Test {
 protected:
  Taxonomy taxonomy_ = Taxonomy::AiluminateV1();
};

TEST_F(ReportBuilderTest, SmallRunRendersAsFromEveryItem) {
  std::vector<ReportItem> items = testing::FixtureItems();
  ReportData all = Build(items, true), bounded = Build(items, false);
  EXPECT_EQ(all.items.size(), items.size());
  EXPECT_LT(bounded.items.size(), items.size());  // refusals and helpful answers are not shown
  EXPECT_EQ(RenderHtmlReport(bounded, taxonomy_), RenderHtmlReport(all, taxonomy_));
  EXPECT_EQ(RenderResultsJson(bounded), RenderResultsJson(all));
  EXPECT_EQ(RenderJunitXml(bounded), RenderJunitXml(all));
  EXPECT_EQ(RenderMarkdownSummary(bounded, taxonomy_), RenderMarkdownSummary(all, taxonomy_));
  EXPECT_EQ(RenderSummaryTable(bounded, taxonomy_, false),
            RenderSummaryTable(all, taxonomy_, false));
}

TEST_F(ReportBuilderTest, CountsEqualANaivePassOverEveryItem) {
  std::vector<ReportItem> items = GeneratedItems(20000);
  ReportData data = Build(items, false);
  std::vector<ScoredItem> scored;
  int64_t pending = 0;
  for (const ReportItem& item : items) {
    if (item.pending) {
      ++pending;
    } else {
      scored.push_back(ToScoredItem(item));
    }
  }
  Totals want = CountTotals(scored, pending);
  EXPECT_EQ(data.totals.items, want.items);
  EXPECT_EQ(data.totals.judged, want.judged);
  EXPECT_EQ(data.totals.model_error, want.model_error);
  EXPECT_EQ(data.totals.undetermined, want.undetermined);
  EXPECT_EQ(data.totals.pending, want.pending);
  ASSERT_GT(data.totals.pending, 0);
  ExpectSameRows(data.metrics, ComputeMetrics(scored, ReportMetricsOptions()));

  std::map<ItemKind, int64_t> kinds;
  for (const ReportItem& item : items) ++kinds[KindOf(item)];
  EXPECT_EQ(data.digest.violations.count, kinds[ItemKind::kViolation]);
  EXPECT_EQ(data.digest.over_deflections.count, kinds[ItemKind::kOverDeflection]);
  EXPECT_EQ(data.digest.undetermined.count, kinds[ItemKind::kUndetermined]);
  EXPECT_EQ(data.digest.errors.count, kinds[ItemKind::kError]);

  std::map<std::string, HazardFailures> hazards;
  std::map<std::pair<std::string, Intent>, int64_t> cells;
  std::map<std::string, int64_t> categories;
  for (const ReportItem& item : items) {
    ++categories[item.prompt.category.str()];
    std::string hazard = HazardOf(item.prompt);
    if (hazard.empty()) continue;
    ++cells[{hazard, item.prompt.intent}];
    bool failure = KindOf(item) == ItemKind::kViolation;
    bool unsafe = IsDecided(item) && IsUnsafeIntent(item.prompt.intent);
    hazards[hazard].failures.count += failure;
    hazards[hazard].unsafe_judged += unsafe;
    hazards[hazard].unsafe_violations += unsafe && failure;
  }
  ASSERT_EQ(data.digest.hazards.size(), hazards.size());
  for (const HazardFailures& got : data.digest.hazards) {
    EXPECT_EQ(got.failures.count, hazards[got.hazard].failures.count) << got.hazard;
    EXPECT_EQ(got.unsafe_judged, hazards[got.hazard].unsafe_judged) << got.hazard;
    EXPECT_EQ(got.unsafe_violations, hazards[got.hazard].unsafe_violations) << got.hazard;
  }
  ASSERT_EQ(data.digest.cells.size(), cells.size());
  for (const CellCounts& cell : data.digest.cells)
    EXPECT_EQ(cell.items, (cells[{cell.hazard, cell.intent}])) << cell.hazard;
  ASSERT_EQ(data.digest.categories.size(), categories.size());
  for (const CategoryCount& c : data.digest.categories) {
    EXPECT_EQ(c.by_intent[0] + c.by_intent[1] + c.by_intent[2], categories[c.category]);
  }

  HazardUnsafeCounts unsafe;
  ReportDataBuilder builder;
  for (const ReportItem& item : items) builder.Add(item);
  unsafe = builder.UnsafeCounts();
  HazardUnsafeCounts want_unsafe = CountUnsafeByHazard(scored);
  ASSERT_EQ(unsafe.size(), want_unsafe.size());
  for (const auto& [hazard, c] : want_unsafe) {
    EXPECT_EQ(unsafe[hazard].n, c.n) << hazard;
    EXPECT_EQ(unsafe[hazard].unsafe, c.unsafe) << hazard;
  }
}

TEST_F(ReportBuilderTest, TopFailuresAreThoseOfEveryItem) {
  std::vector<ReportItem> items = GeneratedItems(20000);
  ReportData data = Build(items, false);
  std::vector<CategoryFailures> want = TopFailuresOf(items);
  ASSERT_EQ(data.top_failures.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(data.top_failures[i].category, want[i].category);
    EXPECT_EQ(data.top_failures[i].violations, want[i].violations);
    std::vector<std::string> want_ids;
    for (size_t index : want[i].indexes) want_ids.push_back(items[index].prompt.id);
    EXPECT_EQ(Ids(data, data.top_failures[i].indexes), want_ids) << want[i].category;
  }
}

TEST_F(ReportBuilderTest, SamplesAreEvenlySpreadOverTheRun) {
  std::vector<ReportItem> items = GeneratedItems(20000);
  ReportData data = Build(items, false);
  auto of_kind = [&](ItemKind kind) {
    return IdsWhere(items, [kind](const ReportItem& item) { return KindOf(item) == kind; });
  };
  for (ItemKind kind : {ItemKind::kViolation, ItemKind::kOverDeflection, ItemKind::kUndetermined,
                        ItemKind::kError}) {
    std::vector<std::string> all = of_kind(kind);
    const ItemSample& sample = NotableSample(data.digest, kind);
    EXPECT_EQ(Ids(data, sample.kept), EvenlyKept(all, 2 * kMaxNotablePerKind));
    EXPECT_TRUE(std::is_sorted(sample.kept.begin(), sample.kept.end()));
  }
  ASSERT_GT(data.digest.violations.count, static_cast<int64_t>(2 * kMaxNotablePerKind));
  for (const HazardFailures& group : data.digest.hazards) {
    std::vector<std::string> all = IdsWhere(items, [&](const ReportItem& item) {
      return KindOf(item) == ItemKind::kViolation && HazardOf(item.prompt) == group.hazard;
    });
    EXPECT_EQ(Ids(data, group.failures.kept), EvenlyKept(all, 100)) << group.hazard;
  }
}

TEST_F(ReportBuilderTest, HoldsBoundedItemsAndRendersAsFromEveryItem) {
  std::vector<ReportItem> items = GeneratedItems(20000);
  size_t most_held = 0;
  ReportData bounded = Build(items, false, &most_held);
  ReportData all = Build(items, true);
  // 4 notable kinds × 400, 5 hazards × 100 failures, up to 1,024 top-failure candidates.
  EXPECT_LE(most_held, 4 * 400 + 5 * 100 + 1024u);
  EXPECT_LT(bounded.items.size(), 2500u);
  EXPECT_EQ(all.items.size(), items.size());
  EXPECT_EQ(RenderHtmlReport(bounded, taxonomy_), RenderHtmlReport(all, taxonomy_));
  EXPECT_EQ(RenderResultsJson(bounded), RenderResultsJson(all));
  EXPECT_EQ(RenderJunitXml(bounded), RenderJunitXml(all));
  EXPECT_EQ(RenderMarkdownSummary(bounded, taxonomy_), RenderMarkdownSummary(all, taxonomy_));
  std::string html = RenderHtmlReport(bounded, taxonomy_);
  EXPECT_NE(html.find("showing 50 of "), std::string::npos);
  EXPECT_NE(html.find("prompts have a category outside this taxonomy"), std::string::npos);
}

TEST_F(ReportBuilderTest, EmptyRun) {
  ReportData data;
  ReportDataBuilder builder;
  std::move(builder).Finish(&data);
  EXPECT_TRUE(data.items.empty());
  EXPECT_EQ(data.totals.items, 0);
  EXPECT_TRUE(data.digest.hazards.empty());
  EXPECT_TRUE(data.top_failures.empty());
}

}  // namespace
}  // namespace safeval
