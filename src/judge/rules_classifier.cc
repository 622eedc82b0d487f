#include "judge/rules_classifier.h"

#include <hs.h>

#include <vector>

#include "core/embedded.h"
#include "judge/rules_database.h"
#include "judge/rules_pattern_set.h"
#include "judge/rules_scanner.h"
#include "judge/text_normalizer.h"

namespace safeval {
namespace {

constexpr char kBuiltinPath[] = "judges/rules_patterns.yaml";
// Classify keeps its normalised text's buffers for the next response, unless a response this
// long (17 bytes of buffers per byte of text) made them large.
constexpr size_t kKeptNormalizedBytes = 64 * 1024;

}  // namespace

struct RulesClassifier::Impl {
  PatternSet set;
  std::unique_ptr<RulesScanner> scanner;  // borrows `set`: declared after it
  std::vector<PatternMatch> matches;      // reused by Classify
  NormalizedText normalized;              // reused by Classify
};

RulesClassifier::RulesClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RulesClassifier::~RulesClassifier() = default;

Result<std::unique_ptr<RulesClassifier>> RulesClassifier::Create(std::string_view patterns_yaml,
                                                                 const std::string& origin) {
  return Make(patterns_yaml, origin, RulesScanner::Compile::kNow);
}

// The built-in set's whole-set database was compiled at build time; should this machine or
// library be unable to load it, the set compiles in the background (its tests compile it, so
// it compiles as a whole).
Result<std::unique_ptr<RulesClassifier>> RulesClassifier::CreateBuiltin() {
  std::optional<std::string_view> yaml = EmbeddedFile(kBuiltinPath);
  if (!yaml) return Status::Internal(std::string("built-in ") + kBuiltinPath + " is not embedded");
  PrebuiltDatabase prebuilt = BuiltinWholeSetDatabase();
  return Make(*yaml, std::string("builtin:") + kBuiltinPath, RulesScanner::Compile::kInBackground,
              &prebuilt);
}

Result<std::unique_ptr<RulesClassifier>> RulesClassifier::Make(std::string_view patterns_yaml,
                                                               const std::string& origin,
                                                               RulesScanner::Compile when,
                                                               const PrebuiltDatabase* prebuilt) {
  if (hs_valid_platform() != HS_SUCCESS)
    return Status::Internal("vectorscan cannot run on this CPU (it needs SSE4.2)");
  auto impl = std::make_unique<Impl>();
  SV_ASSIGN_OR_RETURN(impl->set, ParsePatternSet(patterns_yaml, origin));
  SV_ASSIGN_OR_RETURN(impl->scanner, RulesScanner::Create(impl->set, origin, when, prebuilt));
  return std::unique_ptr<RulesClassifier>(new RulesClassifier(std::move(impl)));
}

int RulesClassifier::version() const { return impl_->set.version; }

std::vector<PatternMatch> RulesClassifier::FindMatches(const NormalizedText& text) {
  std::vector<PatternMatch> matches;
  impl_->scanner->Scan(text.text(), matches);
  return matches;
}

RulesOutcome RulesClassifier::Classify(std::string_view response, Intent intent) {
  NormalizedText& normalized = impl_->normalized;
  NormalizeForMatching(response, normalized);
  // A failed scan must not pass for "no cue" (which decides helpful or partial).
  RulesOutcome outcome = impl_->scanner->Scan(normalized.text(), impl_->matches)
                             ? DecideRules(normalized, impl_->matches, intent)
                             : RulesOutcome{ResponseClass::kUndetermined, 0.0, {}};
  if (normalized.text().capacity() > kKeptNormalizedBytes) normalized = NormalizedText();
  return outcome;
}

}  // namespace safeval
