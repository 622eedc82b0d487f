#include "judge/rules_classifier.h"

#include <hs.h>

#include <algorithm>
#include <climits>
#include <tuple>
#include <vector>

#include "core/embedded.h"
#include "judge/rules_pattern_set.h"
#include "judge/text_normalizer.h"

namespace safeval {
namespace {

constexpr char kBuiltinPath[] = "judges/rules_patterns.yaml";

// Text is normalised to lower case already; CASELESS keeps patterns written
// with capitals working. SOM_LEFTMOST gives start offsets for evidence.
constexpr unsigned kPatternFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST;

struct DatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct ScratchDeleter {
  void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
};
using DatabasePtr = std::unique_ptr<hs_database_t, DatabaseDeleter>;
using ScratchPtr = std::unique_ptr<hs_scratch_t, ScratchDeleter>;

Status CompileError(const std::string& origin, const PatternSet& set, hs_compile_error_t* error) {
  std::string message = error->message ? error->message : "unknown error";
  int index = error->expression;
  hs_free_compile_error(error);
  if (index < 0 || static_cast<size_t>(index) >= set.patterns.size())
    return Status::InvalidArgument(origin + ": vectorscan: " + message);
  const PatternSpec& spec = set.patterns[static_cast<size_t>(index)];
  return Status::InvalidArgument(origin + ":" + std::to_string(spec.line) + ": pattern '" +
                                 spec.id + "': vectorscan: " + message);
}

Result<DatabasePtr> Compile(const PatternSet& set, const std::string& origin) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    expressions.push_back(set.patterns[i].regex.c_str());
    flags.push_back(kPatternFlags);
    ids.push_back(static_cast<unsigned>(i));  // the id is the index into set.patterns
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  hs_error_t rc = hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                                   static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK,
                                   nullptr, &db, &error);
  if (rc != HS_SUCCESS) return CompileError(origin, set, error);
  return DatabasePtr(db);
}

struct ScanContext {
  const PatternSet* set;
  std::vector<PatternMatch>* matches;
};

int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned /*flags*/,
            void* context) {
  auto* ctx = static_cast<ScanContext*>(context);
  ctx->matches->push_back(
      {static_cast<size_t>(from), static_cast<size_t>(to), &ctx->set->patterns[id]});
  return 0;  // keep scanning
}

// Vectorscan reports a match at every end offset; merge overlapping matches of
// one pattern so each region counts (and shows as evidence) once.
std::vector<PatternMatch> MergeOverlaps(std::vector<PatternMatch> matches) {
  std::sort(matches.begin(), matches.end(), [](const PatternMatch& a, const PatternMatch& b) {
    return std::tie(a.spec, a.start, a.end) < std::tie(b.spec, b.start, b.end);
  });
  std::vector<PatternMatch> merged;
  for (const PatternMatch& m : matches) {
    if (!merged.empty() && merged.back().spec == m.spec && m.start < merged.back().end) {
      merged.back().end = std::max(merged.back().end, m.end);
    } else {
      merged.push_back(m);
    }
  }
  return merged;
}

}  // namespace

struct RulesClassifier::Impl {
  PatternSet set;
  DatabasePtr database;
  ScratchPtr scratch;

  // Fills `matches` (merged per pattern); false if vectorscan reports an error.
  bool Scan(const NormalizedText& normalized, std::vector<PatternMatch>& matches) {
    const std::string& text = normalized.text();
    // hs_scan takes an unsigned length; a response past 4 GiB is judged on its start.
    auto length = static_cast<unsigned>(std::min<size_t>(text.size(), UINT_MAX));
    std::vector<PatternMatch> raw;
    ScanContext context{&set, &raw};
    hs_error_t rc =
        hs_scan(database.get(), text.data(), length, 0, scratch.get(), &OnMatch, &context);
    matches = rc == HS_SUCCESS ? MergeOverlaps(std::move(raw)) : std::vector<PatternMatch>{};
    return rc == HS_SUCCESS;
  }
};

RulesClassifier::RulesClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RulesClassifier::~RulesClassifier() = default;

Result<std::unique_ptr<RulesClassifier>> RulesClassifier::Create(std::string_view patterns_yaml,
                                                                 const std::string& origin) {
  if (hs_valid_platform() != HS_SUCCESS)
    return Status::Internal("vectorscan cannot run on this CPU (it needs SSE4.2)");
  auto impl = std::make_unique<Impl>();
  SV_ASSIGN_OR_RETURN(impl->set, ParsePatternSet(patterns_yaml, origin));
  SV_ASSIGN_OR_RETURN(impl->database, Compile(impl->set, origin));
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(impl->database.get(), &scratch) != HS_SUCCESS)
    return Status::Internal(origin + ": vectorscan could not allocate scratch space");
  impl->scratch.reset(scratch);
  return std::unique_ptr<RulesClassifier>(new RulesClassifier(std::move(impl)));
}

Result<std::unique_ptr<RulesClassifier>> RulesClassifier::CreateBuiltin() {
  std::optional<std::string_view> yaml = EmbeddedFile(kBuiltinPath);
  if (!yaml) return Status::Internal(std::string("built-in ") + kBuiltinPath + " is not embedded");
  return Create(*yaml, std::string("builtin:") + kBuiltinPath);
}

int RulesClassifier::version() const { return impl_->set.version; }

std::vector<PatternMatch> RulesClassifier::FindMatches(const NormalizedText& text) {
  std::vector<PatternMatch> matches;
  impl_->Scan(text, matches);
  return matches;
}

RulesOutcome RulesClassifier::Classify(std::string_view response, Intent intent) {
  NormalizedText normalized = NormalizeForMatching(response);
  std::vector<PatternMatch> matches;
  // A failed scan must not pass for "no cue" (which decides helpful or partial).
  if (!impl_->Scan(normalized, matches)) return {ResponseClass::kUndetermined, 0.0, {}};
  return DecideRules(normalized, matches, intent);
}

}  // namespace safeval
