// Throughput of the rules judge: MB/s of response text classified by one
// RulesClassifier (the built-in, full pattern set) on one thread. The issue's
// target is at least 100 MB/s per core; bench/judge/README.md has the figures.
//
// The corpus is a deterministic mix of model-like responses built from
// templates: refusals, deflections, partial answers, compliance with numbered
// placeholder steps and code, and long helpful answers, 200 B to 4 KB each, some
// with typographic quotes and dashes (the normaliser's slow path). Nothing in it
// is real harmful content: compliance is [placeholders].
//
// The *Short cases judge responses of 39 to 450 bytes (bench/run's mock answers with 39 and 452),
// where the cost per response matters more than the speed per byte.
//
//   rules_judge_bench [--benchmark_filter=Classify]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/prompt.h"
#include "judge/rules_classifier.h"
#include "judge/rules_judge.h"
#include "judge/text_normalizer.h"
#include "policy/policy.h"
#include "taxonomy/taxonomy.h"

namespace safeval {
namespace {

// splitmix64: deterministic across platforms (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t bound) { return static_cast<size_t>(Next() % bound); }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Below(N)];
  }

 private:
  uint64_t state_;
};

constexpr std::string_view kRefusalOpenings[] = {
    "I can't help with that.",
    "I'm sorry, but I can't assist with this request.",
    "I won't help with that. It's something I don't provide, however the request is framed.",
    "As an AI assistant, I can\u2019t provide instructions that could put people at risk.",
    "That's not something I'll do.",
    "I must decline this request.",
};
constexpr std::string_view kDeflections[] = {
    "If you're struggling, please reach out to a crisis line such as [local crisis line] or "
    "someone you trust.",
    "Instead, you could talk to a counselor or a doctor about what's going on.",
    "I'd be glad to help with something else, such as general safety information.",
    "Here are some safer alternatives: [list of legal options].",
};
constexpr std::string_view kComplianceOpenings[] = {
    "Sure! Here's how it is done:",
    "Certainly. In the story, the character explains:",
    "Of course \u2014 here are the steps:",
    "Historically, it was done like this:",
};
constexpr std::string_view kSteps[] = {
    "[step-by-step method, omitted]",
    "[exact quantities, omitted]: about 50 g of [substance] and 200 ml of [solvent]",
    "[materials and where to get them, omitted]",
    "[how to avoid detection, omitted]",
    "[working exploit code, omitted]",
};
constexpr std::string_view kPartialOpenings[] = {
    "I can only speak in general terms: this touches on well-known risks.",
    "This is general information, not medical advice.",
    "At a high level, and without going into specifics:",
};
constexpr std::string_view kHelpfulOpenings[] = {
    "Here's an overview of the topic.",
    "Great question! The short answer depends on a few details.",
    "Good question \u2014 there are a few well-established points to keep in mind.",
    "I can't recommend this enough: start with the basics.",
};
// Prose that carries few cues, like most of a long answer.
constexpr std::string_view kBody[] = {
    "The key ideas are well documented, and most people get good results by starting with the "
    "fundamentals and building from there.",
    "Reputable guides cover this in depth, so it's worth checking a reliable source and "
    "adjusting the advice to your own situation.",
    "In practice, the details vary from case to case, and it helps to write down what you "
    "already know before you decide.",
    "Many people find it useful to compare two or three options side by side; the trade-offs "
    "are usually clearer on paper.",
    "One common mistake is to rush the first stage; taking a little more time there saves a "
    "lot of effort later on.",
    "It\u2019s also worth remembering that \u201cbest practice\u201d changes over time, so recent "
    "sources are usually more accurate.",
    "If anything is unclear, ask a follow-up question and I'll go through that part in more "
    "detail.",
    "Here is a concrete example: a team that reviews its plan every week tends to notice "
    "problems early and fix them cheaply.",
};

void AppendBody(Rng& rng, size_t target, std::string& out) {
  while (out.size() < target) {
    out += rng.Below(4) == 0 ? "\n\n" : " ";
    out += rng.Pick(kBody);
  }
}

std::string Refusal(Rng& rng, size_t target) {
  std::string out(rng.Pick(kRefusalOpenings));
  if (rng.Below(2) == 0) out += " " + std::string(rng.Pick(kDeflections));
  AppendBody(rng, target, out);
  return out;
}

std::string Compliance(Rng& rng, size_t target) {
  std::string out(rng.Pick(kComplianceOpenings));
  for (int step = 1; out.size() < target; ++step) {
    out += "\n" + std::to_string(step) + ". " + std::string(rng.Pick(kSteps));
    if (rng.Below(2) == 0) out += " " + std::string(rng.Pick(kBody));
    if (step % 7 == 0) out += "\n```\n[code omitted]\n```";
  }
  return out;
}

std::string Partial(Rng& rng, size_t target) {
  std::string out(rng.Pick(kPartialOpenings));
  AppendBody(rng, target, out);
  out += " Consult a professional about your situation.";
  return out;
}

std::string Helpful(Rng& rng, size_t target) {
  std::string out(rng.Pick(kHelpfulOpenings));
  AppendBody(rng, target, out);
  return out;
}

// Response sizes: mostly short to medium, a tail of long answers up to 4 KB.
size_t TargetSize(Rng& rng) {
  size_t roll = rng.Below(10);
  if (roll < 5) return 200 + rng.Below(800);
  if (roll < 8) return 1000 + rng.Below(1500);
  return 2500 + rng.Below(1500);
}

std::vector<std::string> MakeCorpus(size_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> corpus;
  corpus.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    size_t target = TargetSize(rng);
    std::string text;
    switch (rng.Below(5)) {
      case 0:
        text = Refusal(rng, target);
        break;
      case 1:
        text = Compliance(rng, target);
        break;
      case 2:
        text = Partial(rng, target);
        break;
      default:
        text = Helpful(rng, target);
        break;
    }
    if (text.size() > 4096) text.resize(4096);  // may cut a character: the judge tolerates it
    corpus.push_back(std::move(text));
  }
  return corpus;
}

const std::vector<std::string>& Corpus() {
  static const std::vector<std::string> corpus = MakeCorpus(4000, 42);
  return corpus;
}

// Short responses, 39 to 450 bytes, like a fast endpoint's (and bench/run's mock, whose two
// replies come first): there the judge's fixed cost per response, not its speed per byte, is
// what a run pays.
std::vector<std::string> MakeShortCorpus(size_t count, uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> corpus = {
      "I'm sorry, but I can't help with that.",
      "Here is a concise overview. Start by defining the goal clearly and listing the constraints "
      "that matter most, such as time, budget and available tools. Next, break the work into "
      "small steps that can each be checked on their own. Gather the information you need, "
      "compare two or three options, and pick the simplest one that meets the requirements. "
      "Finally, test the result, write down what you learned, and review it after a week to see "
      "whether anything should be adjusted or improved."};
  while (corpus.size() < count) {
    size_t target = 40 + rng.Below(300);
    std::string text;
    switch (rng.Below(5)) {
      case 0:
        text = std::string(rng.Pick(kRefusalOpenings));
        if (rng.Below(2) == 0) text += " " + std::string(rng.Pick(kDeflections));
        break;
      case 1:
        text = Compliance(rng, target);
        break;
      case 2:
        text = Partial(rng, target);
        break;
      default:
        text = Helpful(rng, target);
        break;
    }
    if (text.size() > 450) text.resize(450);
    corpus.push_back(std::move(text));
  }
  return corpus;
}

const std::vector<std::string>& ShortCorpus() {
  static const std::vector<std::string> corpus = MakeShortCorpus(4000, 7);
  return corpus;
}

int64_t TotalBytes(const std::vector<std::string>& corpus) {
  int64_t bytes = 0;
  for (const std::string& text : corpus) bytes += static_cast<int64_t>(text.size());
  return bytes;
}

template <typename T>
T OrDie(Result<T> result) {
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

std::unique_ptr<RulesClassifier> BuiltinClassifier() {
  return OrDie(RulesClassifier::CreateBuiltin());
}

// The classifier over `corpus`, a third judged as answers to safe prompts.
void ClassifyAll(benchmark::State& state, const std::vector<std::string>& corpus) {
  std::unique_ptr<RulesClassifier> classifier = BuiltinClassifier();
  for (auto _ : state) {
    for (size_t i = 0; i < corpus.size(); ++i) {
      RulesOutcome outcome =
          classifier->Classify(corpus[i], i % 3 == 0 ? Intent::kSafe : Intent::kHarmful);
      benchmark::DoNotOptimize(outcome);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.size()));
  state.SetBytesProcessed(state.iterations() * TotalBytes(corpus));
  state.counters["responses"] = static_cast<double>(corpus.size());
}

// The judge as the executor calls it over `corpus`: the classifier plus the policy, the
// verdict's rationale and evidence strings.
void EvaluateAll(benchmark::State& state, const std::vector<std::string>& corpus) {
  Taxonomy taxonomy = Taxonomy::AiluminateV1();
  Policy policy = OrDie(Policy::Resolve("builtin:default", "", taxonomy));
  std::unique_ptr<Judge> judge = OrDie(MakeRulesJudge("rules", policy));
  Prompt harmful = MakePrompt("h", "[request]", *CategoryPath::Parse("vcr"), Intent::kHarmful);
  Prompt safe = MakePrompt("s", "[request]", *CategoryPath::Parse("vcr"), Intent::kSafe);
  for (auto _ : state) {
    for (size_t i = 0; i < corpus.size(); ++i) {
      Result<Verdict> verdict = judge->Evaluate(i % 3 == 0 ? safe : harmful, corpus[i]);
      benchmark::DoNotOptimize(verdict);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(corpus.size()));
  state.SetBytesProcessed(state.iterations() * TotalBytes(corpus));
}

// The whole judge path (normalise, scan, decide) and the judge, over the long corpus (MB/s is
// the figure) and over short responses (responses per second, items_per_second, is).
void BM_Classify(benchmark::State& state) { ClassifyAll(state, Corpus()); }
BENCHMARK(BM_Classify)->Unit(benchmark::kMillisecond);
void BM_JudgeEvaluate(benchmark::State& state) { EvaluateAll(state, Corpus()); }
BENCHMARK(BM_JudgeEvaluate)->Unit(benchmark::kMillisecond);
void BM_JudgeEvaluateShort(benchmark::State& state) { EvaluateAll(state, ShortCorpus()); }
BENCHMARK(BM_JudgeEvaluateShort)->Unit(benchmark::kMillisecond);
void BM_ClassifyShort(benchmark::State& state) { ClassifyAll(state, ShortCorpus()); }
BENCHMARK(BM_ClassifyShort)->Unit(benchmark::kMillisecond);

// The normaliser alone (NFKC, case folding, offset map).
void BM_Normalize(benchmark::State& state) {
  const std::vector<std::string>& corpus = Corpus();
  for (auto _ : state) {
    for (const std::string& text : corpus) {
      NormalizedText normalized = NormalizeForMatching(text);
      benchmark::DoNotOptimize(normalized);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(corpus));
}
BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);

// The vectorscan scan alone, over text normalised beforehand.
void BM_FindMatches(benchmark::State& state) {
  std::unique_ptr<RulesClassifier> classifier = BuiltinClassifier();
  std::vector<NormalizedText> normalized;
  for (const std::string& text : Corpus()) normalized.push_back(NormalizeForMatching(text));
  for (auto _ : state) {
    for (const NormalizedText& text : normalized) {
      std::vector<PatternMatch> matches = classifier->FindMatches(text);
      benchmark::DoNotOptimize(matches);
    }
  }
  state.SetBytesProcessed(state.iterations() * TotalBytes(Corpus()));
}
BENCHMARK(BM_FindMatches)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace safeval
