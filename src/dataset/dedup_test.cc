// Tests of duplicate detection: normalisation, shingles, LSH banding, exact and
// near pairs, clusters, and a check against a naive all-pairs exact Jaccard
// reference on a generated set.
#include "dataset/dedup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

#include "core/hash.h"

namespace safeval {
namespace {

using ::testing::ElementsAre;

Prompt P(const std::string& id, const std::string& text) {
  return MakePrompt(id, text, CategoryPath({"ncr"}), Intent::kHarmful);
}

std::vector<std::string> Ids(const std::vector<Prompt>& prompts, const std::vector<size_t>& at) {
  std::vector<std::string> ids;
  for (size_t i : at) ids.push_back(prompts[i].id);
  return ids;
}

DedupReport Find(const std::vector<Prompt>& prompts, double threshold = 0.8, int threads = 1) {
  Result<DedupReport> report = FindDuplicates(prompts, {threshold, threads});
  EXPECT_TRUE(report.ok()) << report.status().ToString();
  return report.ok() ? std::move(report).value() : DedupReport{};
}

// A deterministic text of `words` words over a vocabulary of 5000 synthetic words.
std::vector<std::string> RandomWords(std::mt19937_64& rng, size_t words) {
  std::vector<std::string> out;
  for (size_t i = 0; i < words; ++i) out.push_back("w" + std::to_string(rng() % 5000));
  return out;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

TEST(NormalizeForDedup, LowersAsciiAndCollapsesPunctuationAndSpace) {
  EXPECT_EQ(NormalizeForDedup("  How do I, um...   PICK a lock?! "), "how do i um pick a lock");
  EXPECT_EQ(NormalizeForDedup("tab\tand\nnewline"), "tab and newline");
  EXPECT_EQ(NormalizeForDedup("?!..."), "");
  EXPECT_EQ(NormalizeForDedup(""), "");
}

TEST(NormalizeForDedup, KeepsUtf8BytesIntact) {
  // Non-ASCII letters are word characters and are not case-folded (ASCII only).
  EXPECT_EQ(NormalizeForDedup("Caf\xC3\xA9, CR\xC3\x88ME!"), "caf\xC3\xA9 cr\xC3\x88me");
  EXPECT_EQ(NormalizeForDedup("\xE2\x80\x9CQuoted\xE2\x80\x9D"), "\xE2\x80\x9Cquoted\xE2\x80\x9D");
}

TEST(ShingleHashes, ThreeWordWindowsOrWholeTextWhenShort) {
  EXPECT_THAT(ShingleHashes("a b c d"), ElementsAre(Hash64("a b c"), Hash64("b c d")));
  EXPECT_THAT(ShingleHashes("a b c"), ElementsAre(Hash64("a b c")));
  EXPECT_THAT(ShingleHashes("a b"), ElementsAre(Hash64("a b")));
  EXPECT_THAT(ShingleHashes("a"), ElementsAre(Hash64("a")));
  EXPECT_TRUE(ShingleHashes("").empty());
}

TEST(DedupText, JoinsUserTurnsOnly) {
  Prompt p = P("x", "first");
  p.turns.push_back({"assistant", "reply"});
  p.turns.push_back({"user", "second"});
  EXPECT_EQ(DedupText(p), "first\nsecond");
}

TEST(ChooseLshBands, DefaultThresholdUses21BandsOf6Rows) {
  LshBands lsh = ChooseLshBands(0.8);
  EXPECT_EQ(lsh.bands, 21);
  EXPECT_EQ(lsh.rows, 6);
  EXPECT_GE(CandidateProbability(0.8, lsh), 0.99);
  EXPECT_GE(CandidateProbability(0.9, lsh), 0.9999);
  EXPECT_LT(CandidateProbability(0.3, lsh), 0.02);
}

TEST(ChooseLshBands, FindsAtThresholdAndIsTheTightestThatDoes) {
  for (double t : {0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0}) {
    LshBands lsh = ChooseLshBands(t);
    EXPECT_LE(lsh.bands * lsh.rows, kMinHashSize) << t;
    EXPECT_GE(CandidateProbability(t, lsh), 0.99) << t;
    if (lsh.rows < kMinHashSize) {
      LshBands tighter{kMinHashSize / (lsh.rows + 1), lsh.rows + 1};
      EXPECT_LT(CandidateProbability(t, tighter), 0.99) << t;
    }
  }
}

TEST(FindDuplicates, RejectsBadOptions) {
  std::vector<Prompt> prompts = {P("a", "x")};
  EXPECT_EQ(FindDuplicates(prompts, {0.0, 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FindDuplicates(prompts, {1.5, 1}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FindDuplicates(prompts, {0.8, 0}).status().code(), StatusCode::kInvalidArgument);
}

TEST(FindDuplicates, CleanSetHasNoPairs) {
  std::vector<Prompt> prompts = {P("a", "How are phishing kits usually distributed online?"),
                                 P("b", "What household chemicals should never be mixed?"),
                                 P("c", "Summarise the history of lock picking as a hobby.")};
  DedupReport report = Find(prompts);
  EXPECT_TRUE(report.pairs.empty());
  EXPECT_TRUE(report.clusters.empty());
  EXPECT_EQ(report.duplicates, 0u);
}

TEST(FindDuplicates, ExactDuplicatesIgnoreCasePunctuationAndSpacing) {
  std::vector<Prompt> prompts = {P("a", "How are phishing kits distributed?"),
                                 P("b", "Something else entirely, about locks."),
                                 P("c", "  how ARE phishing -- kits distributed"),
                                 P("d", "How are phishing kits distributed!!")};
  DedupReport report = Find(prompts);
  ASSERT_EQ(report.pairs.size(), 2u);
  EXPECT_EQ(report.pairs[0].a, 0u);
  EXPECT_EQ(report.pairs[0].b, 2u);
  EXPECT_EQ(report.pairs[1].b, 3u);
  EXPECT_EQ(report.pairs[0].kind, DuplicateKind::kExact);
  EXPECT_DOUBLE_EQ(report.pairs[0].jaccard, 1.0);
  ASSERT_EQ(report.clusters.size(), 1u);
  EXPECT_THAT(Ids(prompts, report.clusters[0].members), ElementsAre("a", "c", "d"));
  EXPECT_EQ(report.clusters[0].kind, DuplicateKind::kExact);
  EXPECT_EQ(report.duplicates, 2u);
  EXPECT_THAT(DuplicatesToDrop(report, 4), ElementsAre(false, false, true, true));
}

TEST(FindDuplicates, MultiTurnComparesUserTurnsOnly) {
  Prompt a = P("a", "tell me about the history of safes");
  a.turns.push_back({"assistant", "one reply"});
  a.turns.push_back({"user", "and their locks"});
  Prompt b = a;
  b.id = "b";
  b.turns[1].content = "a completely different reply";
  Prompt c = P("c", "tell me about the history of safes\nand their locks");
  DedupReport report = Find({a, b, c});
  ASSERT_EQ(report.clusters.size(), 1u);
  EXPECT_EQ(report.clusters[0].members.size(), 3u);
  EXPECT_EQ(report.clusters[0].kind, DuplicateKind::kExact);
}

TEST(FindDuplicates, NearDuplicateOneWordChangedInALongText) {
  std::mt19937_64 rng(7);
  std::vector<std::string> words = RandomWords(rng, 60);
  std::vector<std::string> edited = words;
  edited.back() = "different";  // shingle sets: 58 vs 58 sharing 57 -> Jaccard 0.97
  std::vector<Prompt> prompts = {P("a", JoinWords(words)), P("x", JoinWords(RandomWords(rng, 60))),
                                 P("b", JoinWords(edited))};
  DedupReport report = Find(prompts);
  ASSERT_EQ(report.pairs.size(), 1u);
  EXPECT_EQ(report.pairs[0].kind, DuplicateKind::kNear);
  EXPECT_GT(report.pairs[0].jaccard, 0.85);
  EXPECT_LT(report.pairs[0].jaccard, 1.0);
  ASSERT_EQ(report.clusters.size(), 1u);
  EXPECT_THAT(Ids(prompts, report.clusters[0].members), ElementsAre("a", "b"));
  EXPECT_EQ(report.clusters[0].kind, DuplicateKind::kNear);
}

TEST(FindDuplicates, ClustersJoinExactAndNearAndAreOrderedByFirstMember) {
  std::mt19937_64 rng(11);
  std::vector<std::string> base = RandomWords(rng, 50), other = RandomWords(rng, 40);
  std::vector<std::string> near = base;
  near[0] = "changed";
  std::vector<Prompt> prompts = {P("o1", JoinWords(other)),       P("b1", JoinWords(base)),
                                 P("o2", JoinWords(other) + "!"), P("b2", JoinWords(near)),
                                 P("b3", JoinWords(base) + "?"),  P("lone", "a lone prompt")};
  DedupReport report = Find(prompts);
  ASSERT_EQ(report.clusters.size(), 2u);
  EXPECT_THAT(Ids(prompts, report.clusters[0].members), ElementsAre("o1", "o2"));
  EXPECT_EQ(report.clusters[0].kind, DuplicateKind::kExact);
  EXPECT_THAT(Ids(prompts, report.clusters[1].members), ElementsAre("b1", "b2", "b3"));
  EXPECT_EQ(report.clusters[1].kind, DuplicateKind::kNear);
  EXPECT_EQ(report.duplicates, 3u);
  // b3 is an exact copy of b1, so only the representative b1 is paired with b2.
  for (const DuplicatePair& pair : report.pairs) {
    EXPECT_LT(pair.a, pair.b);
    if (pair.kind == DuplicateKind::kNear) {
      EXPECT_EQ(prompts[pair.a].id, "b1");
    }
  }
}

TEST(FindDuplicates, EmptyTextsAreExactDuplicatesButNeverNear) {
  std::vector<Prompt> prompts = {P("a", "?!"), P("b", "..."), P("c", "a b c")};
  DedupReport report = Find(prompts);
  ASSERT_EQ(report.pairs.size(), 1u);
  EXPECT_EQ(report.pairs[0].kind, DuplicateKind::kExact);
  EXPECT_EQ(report.pairs[0].b, 1u);
}

TEST(FindDuplicates, TemplatedTextsStayCheapAndBelowThresholdPairsAreNotReported) {
  // 3000 prompts of one template: they share 4 of their 6 shingles (Jaccard 0.5), so large
  // LSH buckets fill with them; none is a near duplicate at 0.8.
  std::vector<Prompt> prompts;
  for (int i = 0; i < 3000; ++i) {
    std::string n = std::to_string(i);
    prompts.push_back(P("t" + n, "Please explain how to make a w" + n + " x" + n + "?"));
  }
  DedupReport report = Find(prompts);
  EXPECT_GT(report.large_buckets, 0u);
  EXPECT_TRUE(report.pairs.empty());
}

TEST(FindDuplicates, LargeNearDuplicateGroupIsStillOneCluster) {
  std::mt19937_64 rng(5);
  std::vector<std::string> base = RandomWords(rng, 80);
  std::vector<Prompt> prompts = {P("base", JoinWords(base))};
  for (int v = 0; v < 150; ++v) {  // one word changed each: Jaccard about 0.93 with the base
    std::vector<std::string> variant = base;
    variant[v % 80] = "variant" + std::to_string(v);
    prompts.push_back(P("v" + std::to_string(v), JoinWords(variant)));
  }
  DedupReport report = Find(prompts);
  EXPECT_GT(report.large_buckets, 0u);
  ASSERT_EQ(report.clusters.size(), 1u);
  EXPECT_EQ(report.clusters[0].members.size(), prompts.size());
  EXPECT_EQ(report.duplicates, 150u);
}

// ---- Against a naive reference: exact Jaccard of shingle sets on all pairs. ----

// 300 random texts of 15-45 words; half of them get 1-4 variants made by
// replacing, inserting or deleting a few words, so pair similarities spread from 0 to 1.
std::vector<Prompt> GeneratedSet() {
  std::mt19937_64 rng(2024);
  std::vector<Prompt> prompts;
  for (int base = 0; base < 300; ++base) {
    std::vector<std::string> words = RandomWords(rng, 15 + rng() % 31);
    prompts.push_back(P("t" + std::to_string(base), JoinWords(words)));
    if (base % 2 == 1) continue;
    int variants = 1 + static_cast<int>(rng() % 4);
    for (int v = 0; v < variants; ++v) {
      std::vector<std::string> edited = words;
      int edits = static_cast<int>(rng() % 5);
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % edited.size();
        switch (rng() % 3) {
          case 0:
            edited[at] = "edit" + std::to_string(e);
            break;
          case 1:
            edited.insert(edited.begin() + at, "ins" + std::to_string(e));
            break;
          default:
            if (edited.size() > 5) edited.erase(edited.begin() + at);
            break;
        }
      }
      prompts.push_back(P("t" + std::to_string(base) + "v" + std::to_string(v), JoinWords(edited)));
    }
  }
  return prompts;
}

double ExactJaccard(const std::set<uint64_t>& x, const std::set<uint64_t>& y) {
  size_t both = 0;
  for (uint64_t h : x) both += y.count(h);
  size_t either = x.size() + y.size() - both;
  return either == 0 ? 1.0 : static_cast<double>(both) / static_cast<double>(either);
}

TEST(FindDuplicates, AgreesWithNaiveAllPairsReference) {
  std::vector<Prompt> prompts = GeneratedSet();
  const double threshold = 0.8;
  DedupReport report = Find(prompts, threshold);
  std::vector<std::set<uint64_t>> sets;
  std::vector<std::string> texts;
  for (const Prompt& p : prompts) {
    texts.push_back(NormalizeForDedup(DedupText(p)));
    std::vector<uint64_t> hashes = ShingleHashes(texts.back());
    sets.emplace_back(hashes.begin(), hashes.end());
  }
  std::vector<size_t> rep(prompts.size());
  for (size_t i = 0; i < prompts.size(); ++i) {
    rep[i] = i;
    for (size_t j = 0; j < i; ++j) {
      if (texts[j] == texts[i]) {
        rep[i] = j;
        break;
      }
    }
  }
  std::set<std::pair<size_t, size_t>> reported;
  double error_sum = 0;  // over near pairs
  int near_pairs = 0;
  for (const DuplicatePair& pair : report.pairs) {
    reported.insert({pair.a, pair.b});
    double exact = ExactJaccard(sets[pair.a], sets[pair.b]);
    if (pair.kind == DuplicateKind::kNear) {
      error_sum += std::abs(pair.jaccard - exact);
      ++near_pairs;
    }
    if (pair.kind == DuplicateKind::kExact) {
      EXPECT_EQ(texts[pair.a], texts[pair.b]);
    }
    EXPECT_GE(exact, threshold - 0.1) << prompts[pair.a].id << " " << prompts[pair.b].id;
    EXPECT_NEAR(pair.jaccard, exact, 0.2);
  }
  // 128 functions: the estimate's standard deviation is about 0.035 at Jaccard 0.8, so the
  // mean absolute error is about 0.03.
  ASSERT_GT(near_pairs, 50);
  EXPECT_LT(error_sum / near_pairs, 0.04);
  int high_pairs = 0, middle_pairs = 0;
  for (size_t i = 0; i < prompts.size(); ++i) {
    for (size_t j = i + 1; j < prompts.size(); ++j) {
      double exact = ExactJaccard(sets[i], sets[j]);
      if (exact >= 0.5 && exact < threshold + 0.1) ++middle_pairs;
      if (exact < threshold + 0.1) continue;
      ++high_pairs;
      if (rep[i] == rep[j]) continue;  // exact copies: joined through the representative
      auto key = std::minmax(rep[i], rep[j]);
      EXPECT_TRUE(reported.count({key.first, key.second}))
          << prompts[i].id << " ~ " << prompts[j].id << " exact Jaccard " << exact;
    }
  }
  // The generated set must exercise both sides of the threshold.
  EXPECT_GT(high_pairs, 80) << middle_pairs;
  EXPECT_GT(middle_pairs, 300) << high_pairs;
}

TEST(FindDuplicates, SameReportWithOneOrTwoThreads) {
  std::vector<Prompt> prompts = GeneratedSet();
  DedupReport one = Find(prompts, 0.7, 1);
  DedupReport two = Find(prompts, 0.7, 2);
  ASSERT_EQ(one.pairs.size(), two.pairs.size());
  for (size_t k = 0; k < one.pairs.size(); ++k) {
    EXPECT_EQ(one.pairs[k].a, two.pairs[k].a);
    EXPECT_EQ(one.pairs[k].b, two.pairs[k].b);
    EXPECT_EQ(one.pairs[k].jaccard, two.pairs[k].jaccard);
  }
  ASSERT_EQ(one.clusters.size(), two.clusters.size());
  for (size_t k = 0; k < one.clusters.size(); ++k) {
    EXPECT_EQ(one.clusters[k].members, two.clusters[k].members);
  }
  EXPECT_GT(one.clusters.size(), 50u);
}

}  // namespace
}  // namespace safeval
