// The HTML report of a 100,000-item run: how long building ReportData (metrics, top failures)
// and RenderHtmlReport take, and how big the page is. The budget (issue 6): under 5 s and under
// 10 MB. The other formats are timed alongside. A plain program rather than a Google Benchmark
// fixture: one render takes long enough to time directly, and the sizes matter as much.
//
// usage: report_bench [ITEMS=100000]   exit 1 when the HTML report is over budget.
// Figures: bench/report/README.md. Build in Release; Debug timings mean nothing.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/report_builder.h"
#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

constexpr double kBudgetSeconds = 5.0;
constexpr size_t kBudgetBytes = 10 * 1000 * 1000;

const char* const kTechniques[] = {"role_play",     "historical_framing", "base64",
                                   "rot13",         "payload_splitting",  "crescendo",
                                   "academic",      "hypothetical",       "translation",
                                   "prefix_inject", "refusal_suppress",   "persona_swap"};

// A response of about `words` words: placeholders only, never real content.
std::string Filler(const char* opening, int words, std::mt19937_64& rng) {
  static const char* const kWords[] = {"[general",     "safety",  "information]", "the",
                                       "request",      "context", "resources",    "[step",
                                       "placeholder]", "and"};
  std::string text = opening;
  for (int i = 0; i < words; ++i) text += std::string(" ") + kWords[rng() % 10];
  return text;
}

Verdict MakeVerdict(const char* judge, ResponseClass cls, bool violation) {
  Verdict v;
  v.judge = judge;
  v.judge_version = std::string(judge) + "@1";
  v.cls = cls;
  v.violation = violation;
  v.confidence = 0.8;
  return v;
}

// One item: a leaf of the taxonomy, an intent (20/40/40), techniques on adversarial items, a
// class drawn so that ~12% of unsafe items are violations and ~15% of safe ones over-deflect,
// 1% model errors, two judges that mostly agree.
ReportItem MakeItem(size_t i, const std::vector<const TaxonomyNode*>& leaves,
                    std::mt19937_64& rng) {
  ReportItem item;
  item.index = static_cast<int64_t>(i);
  uint64_t r = rng();
  Intent intent = r % 5 == 0 ? Intent::kSafe : r % 5 < 3 ? Intent::kHarmful : Intent::kAdversarial;
  item.prompt = MakePrompt("item-" + std::to_string(i),
                           Filler("How would someone", 20 + static_cast<int>(rng() % 30), rng),
                           leaves[rng() % leaves.size()]->path, intent);
  if (intent == Intent::kAdversarial) {
    item.prompt.techniques = {kTechniques[rng() % 12]};
    if (rng() % 3 == 0) item.prompt.techniques.push_back(kTechniques[rng() % 12]);
  }
  if (rng() % 100 == 0) {
    item.outcome = Outcome::kModelError;
    item.error = "HTTP 503 after 5 attempts";
    return item;
  }
  item.outcome = Outcome::kJudged;
  bool fail = rng() % 100 < (intent == Intent::kSafe ? 15u : 12u);
  ResponseClass cls = intent == Intent::kSafe
                          ? (fail ? ResponseClass::kRefuses : ResponseClass::kHelpful)
                          : (fail ? ResponseClass::kCompliesHarmful : ResponseClass::kRefuses);
  item.response = Filler(fail && intent != Intent::kSafe ? "Sure. [step-by-step placeholder]"
                                                         : "I can't help with that.",
                         80 + static_cast<int>(rng() % 120), rng);
  item.verdicts.push_back(MakeVerdict("rules", cls, fail));
  bool agree = rng() % 10 != 0;
  item.verdicts.push_back(MakeVerdict("llm", agree ? cls : ResponseClass::kPartial, agree && fail));
  return item;
}

double Seconds(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ReportData BuildData(size_t count, const Taxonomy& taxonomy) {
  std::mt19937_64 rng(42);
  std::vector<const TaxonomyNode*> leaves = taxonomy.Leaves();
  ReportData data;
  data.run.id = "bench";
  data.run.suite_name = "report-bench";
  data.run.target_name = "synthetic";
  data.run.judges = {"rules@1", "llm@1"};
  std::vector<ReportItem> items;
  items.reserve(count);
  for (size_t i = 0; i < count; ++i) items.push_back(MakeItem(i, leaves, rng));
  auto start = std::chrono::steady_clock::now();
  ReportBuilderOptions options;
  options.keep_every_item = true;  // RenderItemsCsv below renders data.items
  BuildReportItems(std::move(items), options, &data);
  std::printf("ReportDataBuilder (metrics, digest, top failures) over %zu items: %.2f s\n", count,
              Seconds(start));
  return data;
}

template <typename F>
std::pair<double, size_t> Time(const char* label, F render) {
  auto start = std::chrono::steady_clock::now();
  std::string out = render();
  double seconds = Seconds(start);
  std::printf("%-24s %6.2f s  %8.2f MB\n", label, seconds, out.size() / 1e6);
  return {seconds, out.size()};
}

int Main(int argc, char** argv) {
  size_t count = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100000;
  Result<Taxonomy> taxonomy = Taxonomy::Resolve("builtin:safeval-v1", ".");
  if (!taxonomy.ok()) {
    std::fprintf(stderr, "%s\n", taxonomy.status().ToString().c_str());
    return 2;
  }
  ReportData data = BuildData(count, *taxonomy);
  auto [html_s, html_bytes] =
      Time("RenderHtmlReport", [&] { return RenderHtmlReport(data, *taxonomy); });
  Time("RenderResultsJson", [&] { return RenderResultsJson(data); });
  Time("RenderItemsCsv", [&] { return RenderItemsCsv(data); });
  Time("RenderJunitXml", [&] { return RenderJunitXml(data); });
  Time("RenderMarkdownSummary", [&] { return RenderMarkdownSummary(data, *taxonomy); });
  ReportData redacted = data;
  RedactHarmfulResponses(80, &redacted);
  Time("RenderHtmlReport --redact", [&] { return RenderHtmlReport(redacted, *taxonomy); });
  bool ok = html_s < kBudgetSeconds && html_bytes < kBudgetBytes;
  std::printf("HTML budget (< %.0f s, < %.0f MB): %s\n", kBudgetSeconds, kBudgetBytes / 1e6,
              ok ? "OK" : "OVER");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace safeval

int main(int argc, char** argv) { return safeval::Main(argc, argv); }
