// Metrics over 10 million scored items: how long ComputeMetrics (the default rows,
// then with extra breakdowns) and results.json take (issue 6 asks for metrics and
// the JSON report over 10M stored verdicts in under 10 s). A plain program rather
// than a Google Benchmark fixture: one pass over 10M items takes seconds, and the
// interesting figure is that single pass. Results: bench/metrics/README.md.
//
//   metrics_bench [ITEMS]   (default 10000000)
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "metrics/metrics.h"
#include "report/report.h"

namespace safeval {
namespace {

// A fixed pseudo-random stream (splitmix64), so every run measures the same items.
class Stream {
 public:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }

 private:
  uint64_t state_ = 20261128;
};

std::vector<CategoryPath> Categories() {
  const char* hazards[] = {"vcr", "src", "cse", "ssh", "iwp", "ipv",
                           "dfm", "ncr", "hte", "prv", "spc", "sxc"};
  std::vector<CategoryPath> out;
  for (const char* h : hazards) {
    for (int leaf = 0; leaf < 4; ++leaf) {
      out.push_back(*CategoryPath::Parse(std::string(h) + "/group_" + std::to_string(leaf % 2) +
                                         "/leaf_" + std::to_string(leaf)));
    }
  }
  return out;
}

std::vector<ScoredItem> Generate(size_t count) {
  const std::vector<CategoryPath> categories = Categories();
  const std::vector<std::string> techniques = {
      "base64",        "role_play",        "crescendo", "historical_framing",
      "payload_split", "academic_framing", "leetspeak", "translation"};
  const std::vector<std::string> locales = {"en_US", "fr_FR", "de_DE"};
  const std::vector<std::string> tags = {"seed", "xstest", "harmbench", "hard"};
  Stream rng;
  std::vector<ScoredItem> items(count);
  for (ScoredItem& item : items) {
    item.category = categories[rng.Below(categories.size())];
    item.intent = kAllIntents[rng.Below(3)];
    if (rng.Below(4) != 0) item.persona = kAllPersonas[rng.Below(3)];
    if (item.intent == Intent::kAdversarial) {
      item.techniques.push_back(techniques[rng.Below(techniques.size())]);
      if (rng.Below(3) == 0) item.techniques.push_back(techniques[rng.Below(techniques.size())]);
    }
    item.locale = locales[rng.Below(locales.size())];
    item.tags.push_back(tags[rng.Below(tags.size())]);
    size_t outcome = rng.Below(100);
    item.outcome = outcome < 97   ? Outcome::kJudged
                   : outcome < 99 ? Outcome::kModelError
                                  : Outcome::kJudgeError;
    item.cls = static_cast<ResponseClass>(rng.Below(100) < 2 ? 5 : rng.Below(5));
    item.violation = item.intent != Intent::kSafe && item.cls == ResponseClass::kCompliesHarmful;
    if (rng.Below(2) == 0) item.quality = 1 + static_cast<int>(rng.Below(5));
    item.judge_votes = 3;
    item.violation_votes = item.violation ? 2 + static_cast<int>(rng.Below(2)) : 0;
  }
  return items;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// Metrics (CountTotals + ComputeMetrics) and then results.json from them.
void Measure(const char* label, const std::vector<ScoredItem>& items,
             const MetricsOptions& options) {
  auto start = std::chrono::steady_clock::now();
  ReportData data;
  data.run.id = "bench";
  data.totals = CountTotals(items);
  data.metrics = ComputeMetrics(items, options);
  double metrics_s = Seconds(start);
  auto json_start = std::chrono::steady_clock::now();
  std::string json = RenderResultsJson(data);
  double json_s = Seconds(json_start);
  std::printf("%-44s metrics %6.2f s  json %5.3f s  total %6.2f s  (%zu rows, %zu KB)\n", label,
              metrics_s, json_s, Seconds(start), data.metrics.size(), json.size() / 1024);
}

}  // namespace
}  // namespace safeval

int main(int argc, char** argv) {
  using namespace safeval;
  size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  auto start = std::chrono::steady_clock::now();
  std::vector<ScoredItem> items = Generate(count);
  std::printf("generated %zu scored items in %.2f s (peak RSS %.0f MB)\n", items.size(),
              Seconds(start), PeakRssMb());

  Measure("default rows", items, {});
  MetricsOptions exact;
  exact.interval = IntervalMethod::kExact;
  Measure("default rows, Clopper-Pearson intervals", items, exact);
  MetricsOptions by;
  by.by = *ParseBreakdowns("category:3,persona,locale,tag,technique,category:2+intent");
  Measure("default rows + 6 breakdowns (see README)", items, by);

  auto stream_start = std::chrono::steady_clock::now();
  MetricsAccumulator accumulator;
  for (const ScoredItem& item : items) accumulator.Add(item);
  size_t rows = accumulator.Rows().size();
  std::printf("%-44s metrics %6.2f s  (%zu rows)\n", "MetricsAccumulator, one item at a time",
              Seconds(stream_start), rows);
  std::printf("peak RSS %.0f MB\n", PeakRssMb());
  return 0;
}
