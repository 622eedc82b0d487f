// Tests of stratified sampling: key parsing, labels, largest-remainder
// allocation, the one-per-stratum floor, reproducibility and the generator.
#include "dataset/sample.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace safeval {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Prompt P(const std::string& id, const std::string& category, Intent intent) {
  Result<CategoryPath> path = CategoryPath::Parse(category);
  return MakePrompt(id, "placeholder request " + id, path.ok() ? *path : CategoryPath(), intent);
}

// `count` prompts in `category` with `intent`, appended to *out.
void Add(std::vector<Prompt>* out, int count, const std::string& category, Intent intent) {
  for (int i = 0; i < count; ++i) {
    out->push_back(P(category + "-" + std::to_string(out->size()), category, intent));
  }
}

std::map<std::string, size_t> SampledByLabel(const Sample& sample) {
  std::map<std::string, size_t> out;
  for (const Stratum& s : sample.strata) out[s.label] = s.sampled;
  return out;
}

Sample Draw(const std::vector<Prompt>& prompts, size_t n, const std::string& keys, uint64_t seed) {
  Result<std::vector<StratumKey>> parsed = ParseStratumKeys(keys);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  Result<Sample> sample =
      StratifiedSample(prompts, n, parsed.ok() ? *parsed : std::vector<StratumKey>{}, seed);
  EXPECT_TRUE(sample.ok()) << sample.status().ToString();
  return sample.ok() ? std::move(sample).value() : Sample{};
}

TEST(ParseStratumKeys, NamesAndCategoryDepth) {
  Result<std::vector<StratumKey>> keys =
      ParseStratumKeys("category:1, intent,persona,technique,locale");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  EXPECT_THAT(
      *keys,
      ElementsAre(StratumKey{StratumAxis::kCategory, 1}, StratumKey{StratumAxis::kIntent, 0},
                  StratumKey{StratumAxis::kPersona, 0}, StratumKey{StratumAxis::kTechnique, 0},
                  StratumKey{StratumAxis::kLocale, 0}));
}

TEST(ParseStratumKeys, RejectsBadKeys) {
  for (const char* bad : {"", "colour", "intent,intent", "category:0", "category:x", "intent:1",
                          "category,", "category:2:3"}) {
    Result<std::vector<StratumKey>> keys = ParseStratumKeys(bad);
    EXPECT_FALSE(keys.ok()) << bad;
  }
  EXPECT_THAT(ParseStratumKeys("colour").status().message(), HasSubstr("colour"));
}

TEST(StratumLabel, ValuesAndPlaceholdersForMissing) {
  Prompt p = P("x", "ncr/fraud/phishing", Intent::kAdversarial);
  p.techniques = {"role_play", "base64"};
  p.persona = Persona::kSkilled;
  std::vector<StratumKey> keys = *ParseStratumKeys("category:2,intent,technique,persona,locale");
  EXPECT_EQ(StratumLabel(p, keys),
            "category=ncr/fraud intent=adversarial technique=role_play+base64 persona=skilled "
            "locale=-");
  EXPECT_EQ(StratumLabel(p, *ParseStratumKeys("category")), "category=ncr/fraud/phishing");
}

TEST(StratifiedSample, ProportionalWithLargestRemainders) {
  // sizes -> exact shares of 10 out of 100 -> expected counts
  struct Case {
    size_t ncr, vcr, ssh;
    size_t want_ncr, want_vcr, want_ssh;
  };
  for (const Case& c : {Case{44, 36, 20, 4, 4, 2},     // 4.4, 3.6, 2: .6 takes the leftover
                        Case{46, 34, 20, 5, 3, 2},     // 4.6, 3.4, 2
                        Case{45, 35, 20, 5, 3, 2}}) {  // 4.5, 3.5: tie, label order (ncr)
    std::vector<Prompt> prompts;
    Add(&prompts, static_cast<int>(c.ncr), "ncr", Intent::kHarmful);
    Add(&prompts, static_cast<int>(c.vcr), "vcr", Intent::kHarmful);
    Add(&prompts, static_cast<int>(c.ssh), "ssh", Intent::kHarmful);
    Sample sample = Draw(prompts, 10, "category", 1);
    EXPECT_EQ(sample.indices.size(), 10u);
    std::map<std::string, size_t> by = SampledByLabel(sample);
    EXPECT_EQ(by["category=ncr"], c.want_ncr) << c.ncr;
    EXPECT_EQ(by["category=vcr"], c.want_vcr) << c.ncr;
    EXPECT_EQ(by["category=ssh"], c.want_ssh) << c.ncr;
  }
}

TEST(StratifiedSample, EveryStratumGetsOneWhenNAllows) {
  std::vector<Prompt> prompts;
  Add(&prompts, 97, "ncr", Intent::kHarmful);
  Add(&prompts, 1, "vcr", Intent::kSafe);
  Add(&prompts, 1, "ssh", Intent::kSafe);
  Add(&prompts, 1, "src", Intent::kSafe);
  Sample sample = Draw(prompts, 4, "category", 3);
  for (const Stratum& s : sample.strata) EXPECT_EQ(s.sampled, 1u) << s.label;
  // Fewer draws than strata: pure largest remainders, the big stratum takes all.
  Sample small = Draw(prompts, 2, "category", 3);
  EXPECT_EQ(SampledByLabel(small)["category=ncr"], 2u);
}

TEST(StratifiedSample, OnePerStratumIsTakenFromTheMostOverAllocated) {
  // n = 6 of 100: exact shares 3.6, 1.8, 0.3, 0.18, 0.12 -> largest remainders 4, 2, 0, 0, 0;
  // the three empty strata take one each from ncr (+0.4 over), vcr (+0.2), ncr again.
  std::vector<Prompt> prompts;
  Add(&prompts, 60, "ncr", Intent::kHarmful);
  Add(&prompts, 30, "vcr", Intent::kHarmful);
  Add(&prompts, 5, "ssh", Intent::kHarmful);
  Add(&prompts, 3, "src", Intent::kHarmful);
  Add(&prompts, 2, "cse", Intent::kHarmful);
  std::map<std::string, size_t> by = SampledByLabel(Draw(prompts, 6, "category", 1));
  EXPECT_EQ(by, (std::map<std::string, size_t>{{"category=cse", 1},
                                               {"category=ncr", 2},
                                               {"category=src", 1},
                                               {"category=ssh", 1},
                                               {"category=vcr", 1}}));
  // n = 7: 4.2, 2.1, 0.35, 0.21, 0.14 -> 4, 2, 1 (ssh has the largest remainder), 0, 0; vcr
  // (-0.1 under its share) gives before ncr (-0.2).
  by = SampledByLabel(Draw(prompts, 7, "category", 1));
  EXPECT_EQ(by, (std::map<std::string, size_t>{{"category=cse", 1},
                                               {"category=ncr", 3},
                                               {"category=src", 1},
                                               {"category=ssh", 1},
                                               {"category=vcr", 1}}));
}

TEST(StratifiedSample, CountsAddUpAndIndicesAreInFileOrderWithinStrata) {
  std::vector<Prompt> prompts;
  for (int i = 0; i < 40; ++i) {
    Add(&prompts, 1, i % 3 == 0 ? "ncr" : "vcr", i % 2 ? Intent::kSafe : Intent::kHarmful);
  }
  Sample sample = Draw(prompts, 17, "category,intent", 9);
  ASSERT_EQ(sample.indices.size(), 17u);
  EXPECT_TRUE(std::is_sorted(sample.indices.begin(), sample.indices.end()));
  EXPECT_EQ(std::adjacent_find(sample.indices.begin(), sample.indices.end()), sample.indices.end());
  std::map<std::string, size_t> counted;
  std::vector<StratumKey> keys = *ParseStratumKeys("category,intent");
  for (size_t i : sample.indices) ++counted[StratumLabel(prompts[i], keys)];
  size_t total = 0;
  for (const Stratum& s : sample.strata) {
    EXPECT_EQ(counted[s.label], s.sampled) << s.label;
    EXPECT_LE(s.sampled, s.available);
    total += s.sampled;
  }
  EXPECT_EQ(total, 17u);
  EXPECT_EQ(sample.strata.size(), 4u);
}

TEST(StratifiedSample, SameSeedSameSampleOtherSeedOtherSample) {
  std::vector<Prompt> prompts;
  Add(&prompts, 200, "ncr", Intent::kHarmful);
  Add(&prompts, 100, "vcr", Intent::kSafe);
  Sample a = Draw(prompts, 30, "category", 42);
  Sample b = Draw(prompts, 30, "category", 42);
  Sample c = Draw(prompts, 30, "category", 43);
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_NE(a.indices, c.indices);
  EXPECT_EQ(SampledByLabel(a), SampledByLabel(c));
}

TEST(StratifiedSample, FixedOutputForAFixedSeed) {
  // Pins the exact draw so a change in the generator or the shuffle is noticed:
  // samples must stay the same across versions and platforms.
  std::vector<Prompt> prompts;
  Add(&prompts, 20, "ncr", Intent::kHarmful);
  Sample sample = Draw(prompts, 3, "intent", 5);
  std::vector<size_t> again = Draw(prompts, 3, "intent", 5).indices;
  EXPECT_EQ(sample.indices, again);
  SplitMix64 rng(0);
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafULL);  // the reference splitmix64 sequence from 0
  EXPECT_EQ(rng.Next(), 0x6e789e6aa1b965f4ULL);
}

TEST(StratifiedSample, AllWhenNIsAtLeastTheSize) {
  std::vector<Prompt> prompts;
  Add(&prompts, 3, "ncr", Intent::kHarmful);
  Sample sample = Draw(prompts, 10, "category", 1);
  EXPECT_THAT(sample.indices, ElementsAre(0, 1, 2));
}

TEST(StratifiedSample, RejectsNoKeys) { EXPECT_FALSE(StratifiedSample({}, 3, {}, 1).ok()); }

TEST(SplitMix64, BelowStaysInRangeAndCoversIt) {
  SplitMix64 rng(123);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    uint64_t r = rng.Below(7);
    ASSERT_LT(r, 7u);
    ++seen[r];
  }
  for (int count : seen) EXPECT_GT(count, 800);
  EXPECT_EQ(rng.Below(1), 0u);
}

}  // namespace
}  // namespace safeval
