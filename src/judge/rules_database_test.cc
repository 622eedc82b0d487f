// Tests of the build-time whole-set database: the embedded one belongs to the built-in set and
// loads here; a scanner built on it (or on one serialised at run time) finds exactly what a
// freshly compiled scanner finds; a modified set or damaged bytes fall back to compiling and
// still scan correctly.
#include "judge/rules_database.h"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/embedded.h"
#include "core/hash.h"
#include "core/intent.h"
#include "judge/rules_classifier.h"
#include "judge/rules_scanner.h"
#include "judge/text_normalizer.h"

namespace safeval {
namespace {

constexpr char kOrigin[] = "builtin:judges/rules_patterns.yaml";
constexpr char kDevSetPath[] = SAFEVAL_SOURCE_DIR "/data/judges/dev_set.jsonl";

using Span = std::tuple<std::string, size_t, size_t>;  // pattern id, start, end

PatternSet BuiltinSet() {
  Result<PatternSet> set = ParsePatternSet(*EmbeddedFile("judges/rules_patterns.yaml"), kOrigin);
  EXPECT_TRUE(set.ok()) << set.status().ToString();
  return set.ok() ? std::move(set).value() : PatternSet{};
}

// The responses of the judge's labelled development set, normalised, and each joined with the
// next two into a longer text. (The joined texts once made vectorscan 5.4.9 abort, "buffer
// overflow detected", scanning for inline_numbered_list with start offsets: rules_patterns.yaml,
// version 3.)
std::vector<std::string> Corpus() {
  std::vector<std::string> texts;
  std::ifstream in(kDevSetPath);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty())
      texts.push_back(nlohmann::json::parse(line).at("response").get<std::string>());
  }
  for (std::string& text : texts) {
    NormalizedText normalized;
    NormalizeForMatching(text, normalized);
    text = std::string(normalized.text());
  }
  EXPECT_GT(texts.size(), 400u);
  const size_t single = texts.size();
  for (size_t i = 0; i + 2 < single; ++i)
    texts.push_back(texts[i] + " " + texts[i + 1] + "\n" + texts[i + 2]);
  return texts;
}

std::vector<std::vector<Span>> ScanAll(RulesScanner& scanner,
                                       const std::vector<std::string>& texts) {
  std::vector<std::vector<Span>> result;
  std::vector<PatternMatch> matches;
  for (const std::string& text : texts) {
    EXPECT_TRUE(scanner.Scan(text, matches));
    std::vector<Span> spans;
    for (const PatternMatch& m : matches) spans.emplace_back(m.spec->id, m.start, m.end);
    result.push_back(std::move(spans));
  }
  return result;
}

std::unique_ptr<RulesScanner> MakeScanner(const PatternSet& set, RulesScanner::Compile when,
                                          const PrebuiltDatabase* prebuilt) {
  Result<std::unique_ptr<RulesScanner>> scanner =
      RulesScanner::Create(set, kOrigin, when, prebuilt);
  EXPECT_TRUE(scanner.ok()) << scanner.status().ToString();
  return scanner.ok() ? std::move(scanner).value() : nullptr;
}

// What a scanner built with `prebuilt` finds equals what a freshly compiled one finds.
void ExpectSameMatchesAsCompiled(const PatternSet& set, const PrebuiltDatabase& prebuilt,
                                 const std::vector<std::string>& texts) {
  std::unique_ptr<RulesScanner> compiled = MakeScanner(set, RulesScanner::Compile::kNow, nullptr);
  std::unique_ptr<RulesScanner> loaded =
      MakeScanner(set, RulesScanner::Compile::kInBackground, &prebuilt);
  ASSERT_TRUE(compiled && loaded);
  std::vector<std::vector<Span>> expected = ScanAll(*compiled, texts);
  size_t total = 0;
  for (const auto& spans : expected) total += spans.size();
  EXPECT_GT(total, 300u);  // the comparison is not vacuous
  EXPECT_EQ(ScanAll(*loaded, texts), expected);
}

TEST(RulesDatabase, EmbeddedDatabaseIsTheBuiltinSetsAndLoadsHere) {
  PatternSet set = BuiltinSet();
  PrebuiltDatabase embedded = BuiltinWholeSetDatabase();
  EXPECT_GT(embedded.bytes.size(), 1000u);
  EXPECT_EQ(embedded.fingerprint, WholeSetFingerprint(set));
  EXPECT_NE(LoadWholeSet(set, embedded), nullptr);
}

TEST(RulesDatabase, EmbeddedDatabaseFindsWhatACompiledOneFinds) {
  ExpectSameMatchesAsCompiled(BuiltinSet(), BuiltinWholeSetDatabase(), Corpus());
}

TEST(RulesDatabase, DatabaseSerialisedAtRunTimeFindsWhatACompiledOneFinds) {
  PatternSet set = BuiltinSet();
  Result<std::string> bytes = SerializeWholeSet(set, kOrigin);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ExpectSameMatchesAsCompiled(set, {*bytes, WholeSetFingerprint(set), Hash64(*bytes)}, Corpus());
}

TEST(RulesDatabase, BuiltinClassifierGivesTheVerdictsOfACompiledOne) {
  Result<std::unique_ptr<RulesClassifier>> builtin = RulesClassifier::CreateBuiltin();
  Result<std::unique_ptr<RulesClassifier>> compiled =
      RulesClassifier::Create(*EmbeddedFile("judges/rules_patterns.yaml"), kOrigin);
  ASSERT_TRUE(builtin.ok() && compiled.ok());
  std::ifstream in(kDevSetPath);
  std::string line;
  int compared = 0;
  while (std::getline(in, line)) {
    std::string response = nlohmann::json::parse(line).at("response").get<std::string>();
    for (Intent intent : {Intent::kSafe, Intent::kHarmful}) {
      RulesOutcome a = (*builtin)->Classify(response, intent);
      RulesOutcome b = (*compiled)->Classify(response, intent);
      EXPECT_EQ(a.cls, b.cls) << response;
      EXPECT_EQ(a.confidence, b.confidence) << response;
      EXPECT_EQ(a.evidence, b.evidence) << response;
      ++compared;
    }
  }
  EXPECT_GT(compared, 800);
}

TEST(RulesDatabase, FingerprintCoversEveryRegexIdAndTheirOrder) {
  PatternSet set = BuiltinSet();
  ASSERT_GE(set.patterns.size(), 2u);
  uint64_t original = WholeSetFingerprint(set);
  EXPECT_EQ(WholeSetFingerprint(BuiltinSet()), original);

  PatternSet changed_regex = set;
  changed_regex.patterns[0].regex += "x";
  EXPECT_NE(WholeSetFingerprint(changed_regex), original);

  PatternSet changed_id = set;
  changed_id.patterns[0].id += "_2";
  EXPECT_NE(WholeSetFingerprint(changed_id), original);

  PatternSet swapped = set;
  std::swap(swapped.patterns[0], swapped.patterns[1]);
  EXPECT_NE(WholeSetFingerprint(swapped), original);

  PatternSet shorter = set;
  shorter.patterns.pop_back();
  EXPECT_NE(WholeSetFingerprint(shorter), original);
}

// A set that differs from the built-in one must not use the embedded database: its match
// ids would name the wrong patterns, and the new regex would never match.
TEST(RulesDatabase, ModifiedSetCompilesInsteadAndStillWorks) {
  PatternSet set = BuiltinSet();
  set.patterns.erase(set.patterns.begin());  // shifts every match id
  set.patterns[0].regex = "zqzqzq";
  PrebuiltDatabase embedded = BuiltinWholeSetDatabase();
  EXPECT_EQ(LoadWholeSet(set, embedded), nullptr);

  std::vector<std::string> texts = Corpus();
  texts.push_back("before zqzqzq after");
  ExpectSameMatchesAsCompiled(set, embedded, texts);

  std::unique_ptr<RulesScanner> scanner =
      MakeScanner(set, RulesScanner::Compile::kInBackground, &embedded);
  ASSERT_NE(scanner, nullptr);
  std::vector<PatternMatch> matches;
  ASSERT_TRUE(scanner->Scan("before zqzqzq after", matches));
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].spec->id, set.patterns[0].id);
  EXPECT_EQ(matches[0].start, 7u);
  EXPECT_EQ(matches[0].end, 13u);
}

TEST(RulesDatabase, DamagedBytesAreRejectedAndTheSetCompilesInstead) {
  PatternSet set = BuiltinSet();
  PrebuiltDatabase embedded = BuiltinWholeSetDatabase();
  const std::string good(embedded.bytes);
  ASSERT_GT(good.size(), 1000u);

  std::vector<std::string> damaged;
  damaged.push_back("");
  damaged.push_back("not a vectorscan database at all");
  damaged.push_back(good.substr(0, good.size() / 2));  // truncated
  for (size_t at : {size_t{0}, size_t{8}, good.size() / 2, good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x5a);
    damaged.push_back(std::move(flipped));
  }
  std::vector<std::string> texts = Corpus();
  for (const std::string& bytes : damaged) {
    // Whether the hash was recorded before the damage (in the binary) or after (on disk).
    EXPECT_EQ(LoadWholeSet(set, {bytes, embedded.fingerprint, embedded.bytes_hash}), nullptr)
        << "bytes of size " << bytes.size();
    PrebuiltDatabase rehashed{bytes, embedded.fingerprint, Hash64(bytes)};
    if (bytes.size() < good.size()) {
      EXPECT_EQ(LoadWholeSet(set, rehashed), nullptr);
    }
  }
  // One damaged database all the way through a scanner: it compiles and scans correctly.
  ExpectSameMatchesAsCompiled(set, {damaged[3], embedded.fingerprint, embedded.bytes_hash}, texts);
}

}  // namespace
}  // namespace safeval
