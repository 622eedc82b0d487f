// RulesClassifier: classifies a model response (refuses, deflects, partial,
// complies_harmful, helpful, undetermined) with a versioned set of regular
// expressions, matched by vectorscan over normalised text (judge/text_normalizer.h,
// judge/rules_scanner.h). The decision logic is in judge/rules_decision.h; the
// pattern format in data/judges/rules_patterns.yaml. Speed: about 150-400 MB/s of
// response text per core (bench/judge/README.md).
//
// Needs no Policy: it says what a response does, not whether that is allowed
// (RulesJudge adds that).
//
// Thread-safety: NOT thread-safe. Each instance owns one vectorscan scratch
// space, which a scan uses exclusively; use one classifier per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/intent.h"
#include "core/status.h"
#include "judge/rules_decision.h"
#include "judge/rules_scanner.h"
#include "judge/text_normalizer.h"

namespace safeval {

class RulesClassifier {
 public:
  // Parses `patterns_yaml` (errors begin with `origin`, e.g. "rules.yaml:12: ...")
  // and compiles the patterns for vectorscan (about 0.3 s of CPU for the built-in
  // set: build one classifier per thread and reuse it). Fails with InvalidArgument
  // naming the pattern id and vectorscan's message when a regex does not compile,
  // and with Internal when this CPU cannot run vectorscan.
  static Result<std::unique_ptr<RulesClassifier>> Create(std::string_view patterns_yaml,
                                                         const std::string& origin);
  // The built-in pattern set, data/judges/rules_patterns.yaml (compiled in).
  static Result<std::unique_ptr<RulesClassifier>> CreateBuiltin();

  ~RulesClassifier();
  RulesClassifier(const RulesClassifier&) = delete;
  RulesClassifier& operator=(const RulesClassifier&) = delete;

  // The pattern set's version (judges report "rules@<version>").
  int version() const;

  // Classifies `response` (any bytes; invalid UTF-8 is tolerated) given the
  // prompt's intent, which separates complies_harmful from helpful. Evidence
  // spans are byte offsets into `response`. Never fails: should vectorscan
  // report an error mid-scan, the outcome is undetermined with confidence 0.
  RulesOutcome Classify(std::string_view response, Intent intent);

  // Every pattern match in `text` (overlapping matches of one pattern merged),
  // in normalised offsets; PatternMatch::spec points into this classifier. For
  // tests and for explaining a verdict. Returns an empty list if the scan fails.
  std::vector<PatternMatch> FindMatches(const NormalizedText& text);

 private:
  struct Impl;
  explicit RulesClassifier(std::unique_ptr<Impl> impl);
  static Result<std::unique_ptr<RulesClassifier>> Make(std::string_view patterns_yaml,
                                                       const std::string& origin,
                                                       RulesScanner::Compile when,
                                                       const PrebuiltDatabase* prebuilt = nullptr);
  std::unique_ptr<Impl> impl_;
};

}  // namespace safeval
