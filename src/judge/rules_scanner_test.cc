// Tests of the two-pass scanner against a simple reference: one vectorscan scan
// of the whole set with start offsets (what the scanner replaces for speed),
// merged the same way. They must agree on every span, on generated responses
// long enough that the second pass scans windows cut out of the middle.
#include "judge/rules_scanner.h"

#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "core/embedded.h"
#include "judge/text_normalizer.h"

namespace safeval {
namespace {

using Span = std::tuple<std::string, size_t, size_t>;  // pattern id, start, end

// The reference: every pattern in one database with HS_FLAG_SOM_LEFTMOST.
class ReferenceScanner {
 public:
  explicit ReferenceScanner(const PatternSet& set) : set_(set) {
    std::vector<const char*> expressions;
    std::vector<unsigned> flags, ids;
    for (size_t i = 0; i < set.patterns.size(); ++i) {
      expressions.push_back(set.patterns[i].regex.c_str());
      flags.push_back(HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST);
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* error = nullptr;
    EXPECT_EQ(
        hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(ids.size()), HS_MODE_BLOCK, nullptr, &db_, &error),
        HS_SUCCESS);
    EXPECT_EQ(hs_alloc_scratch(db_, &scratch_), HS_SUCCESS);
  }
  ~ReferenceScanner() {
    hs_free_scratch(scratch_);
    hs_free_database(db_);
  }

  std::vector<Span> Scan(const std::string& text) {
    std::vector<Span> raw;
    Context context{&set_, &raw};
    EXPECT_EQ(hs_scan(db_, text.data(), static_cast<unsigned>(text.size()), 0, scratch_, &OnMatch,
                      &context),
              HS_SUCCESS);
    std::sort(raw.begin(), raw.end());
    std::vector<Span> merged;
    for (const Span& s : raw) {
      if (!merged.empty() && std::get<0>(merged.back()) == std::get<0>(s) &&
          std::get<1>(s) < std::get<2>(merged.back())) {
        std::get<2>(merged.back()) = std::max(std::get<2>(merged.back()), std::get<2>(s));
      } else {
        merged.push_back(s);
      }
    }
    return merged;
  }

 private:
  struct Context {
    const PatternSet* set;
    std::vector<Span>* out;
  };
  static int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned,
                     void* ctx) {
    auto* c = static_cast<Context*>(ctx);
    c->out->emplace_back(c->set->patterns[id].id, from, to);
    return 0;
  }

  const PatternSet& set_;
  hs_database_t* db_ = nullptr;
  hs_scratch_t* scratch_ = nullptr;
};

std::vector<Span> Spans(const std::vector<PatternMatch>& matches) {
  std::vector<Span> spans;
  for (const PatternMatch& m : matches) spans.emplace_back(m.spec->id, m.start, m.end);
  std::sort(spans.begin(), spans.end());
  return spans;
}

// Responses of 1-60 pieces, so that matches sit anywhere in texts of up to ~2 KB.
std::string Generate(std::mt19937& rng, const std::vector<std::string>& pieces) {
  std::string text;
  int n = 1 + static_cast<int>(rng() % 60);
  for (int i = 0; i < n; ++i) {
    if (i) text += (rng() % 5 == 0) ? "\n" : " ";
    text += pieces[rng() % pieces.size()];
  }
  return NormalizeForMatching(text).text();
}

void ExpectAgreement(const PatternSet& set, const std::vector<std::string>& pieces, int rounds,
                     RulesScanner::Compile when = RulesScanner::Compile::kNow) {
  Result<std::unique_ptr<RulesScanner>> scanner = RulesScanner::Create(set, "test", when);
  ASSERT_TRUE(scanner.ok()) << scanner.status().ToString();
  ReferenceScanner reference(set);
  std::mt19937 rng(2026);
  std::vector<PatternMatch> matches;
  for (int round = 0; round < rounds; ++round) {
    std::string text = Generate(rng, pieces);
    ASSERT_TRUE((*scanner)->Scan(text, matches));
    ASSERT_EQ(Spans(matches), reference.Scan(text)) << "text: " << text;
  }
}

TEST(RulesScanner, BuiltinSetAgreesWithASinglePassScan) {
  std::optional<std::string_view> yaml = EmbeddedFile("judges/rules_patterns.yaml");
  ASSERT_TRUE(yaml.has_value());
  Result<PatternSet> set = ParsePatternSet(*yaml, "builtin");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ExpectAgreement(*set,
                  {"I can't help with that.",
                   "Sure!",
                   "here's how",
                   "1. [step]",
                   "take 20 mg",
                   "of 5%",
                   "```",
                   "first, [x]",
                   "then",
                   "I can't stress",
                   "enough",
                   "reach out",
                   "a crisis line",
                   "in general,",
                   "consult a doctor",
                   "I'm sorry, but I won't",
                   "instead",
                   "step 3",
                   "I\u2019m not able to",
                   "caf\u00E9 \u2014 na\u00EFve",
                   "isn't something I'll do",
                   "please contact a lawyer",
                   "Subject: [x]",
                   "if you still want",
                   "you'll need about",
                   "here are some safer options",
                   "filler words here",
                   "more filler",
                   "x",
                   "."},
                  400, RulesScanner::Compile::kInBackground);  // as the built-in classifier does
}

// Bounded patterns with assertions at both ends: the windows the second pass cuts
// must neither lose a match nor invent one at a cut ("^", "\b").
TEST(RulesScanner, WindowCutsNeitherLoseNorInventMatches) {
  Result<PatternSet> set = ParsePatternSet(R"(version: 1
groups:
  refusal:
    - {id: word, regex: "\\bab\\b"}
    - {id: anchored, regex: "^ab"}
    - {id: line_start, regex: "(?:^|\\n)ab c"}
    - {id: alternation, regex: "\\b(?:ab|ab c|c ab c)\\b"}
    - {id: multibyte, regex: "\u00E9 ?ab"}
)",
                                           "test");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  ExpectAgreement(
      *set, {"ab", "xab", "abx", "c", "ab c", "\u00E9", "\u00E9ab", "zz", "\u00E9\u00E9"}, 2000);
}

TEST(RulesScanner, BadRegexNamesThePattern) {
  Result<PatternSet> set = ParsePatternSet(
      "version: 1\ngroups:\n  hedge:\n    - {id: fine, regex: a}\n    - {id: bad, regex: \"(\"}\n",
      "p.yaml");
  ASSERT_TRUE(set.ok());
  Result<std::unique_ptr<RulesScanner>> scanner = RulesScanner::Create(*set, "p.yaml");
  ASSERT_FALSE(scanner.ok());
  EXPECT_EQ(scanner.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(scanner.status().message().find("p.yaml:5: pattern 'bad': vectorscan: "),
            std::string::npos)
      << scanner.status().message();
}

}  // namespace
}  // namespace safeval
