// RulesScanner: every match of a PatternSet in normalised text, with start
// offsets, found by vectorscan. RulesClassifier owns one; this file is the hot
// path of the rules judge (bench/judge/rules_judge_bench.cc measures it).
//
// Why two passes: start offsets (HS_FLAG_SOM_LEFTMOST) make a database of the
// whole set about four times slower to scan. So a first pass scans the whole set
// without them, only to learn which patterns match and where their first and last
// matches end (a response matches two or three patterns of the set); a second
// pass scans each of those patterns alone, with start offsets, over just the
// window that can hold its matches. Both passes see the same regexes, so the
// result equals one scan of the whole set with start offsets.
//
// Cost: compiling the whole set takes about 0.2 s of CPU for the built-in set, so build a
// scanner once and reuse it. Compile::kInBackground checks each pattern in Create (fast) and
// compiles the whole set on another thread, which the first Scan waits for, so the compile
// overlaps whatever the caller does in between; only for sets known to compile as a whole
// (the built-in one, which its tests compile), since a failure there would only make every
// Scan fail.
//
// The built-in set's whole-set database is also compiled at build time (judge/rules_database.h)
// and passed as `prebuilt`: loading it skips the ~0.2 s compile (the start-up of `safeval judge
// classify` on 20 pairs drops from 0.23 to 0.05 s of CPU).
//
// Thread-safety: NOT thread-safe; Scan uses the scanner's one scratch space.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "judge/rules_database.h"
#include "judge/rules_decision.h"
#include "judge/rules_pattern_set.h"

namespace safeval {

class RulesScanner {
 public:
  enum class Compile { kNow, kInBackground };
  // Compiles `set` (borrowed: it must outlive the scanner, and PatternMatch::spec
  // points into it). Fails with InvalidArgument "<origin>:<line>: pattern '<id>':
  // vectorscan: <message>" when a regex does not compile (with or without start
  // offsets), with InvalidArgument "<origin>: vectorscan: <message>" when the patterns
  // fail together (kNow), and with Internal when scratch space cannot be allocated (kNow, or
  // a prebuilt database was loaded).
  //
  // `prebuilt` (borrowed for the call), when given, is a serialised whole-set database
  // (judge/rules_database.h): used instead of compiling if it was built from `set` and
  // vectorscan can load it on this machine; otherwise the set compiles as `when` says.
  static Result<std::unique_ptr<RulesScanner>> Create(const PatternSet& set,
                                                      const std::string& origin,
                                                      Compile when = Compile::kNow,
                                                      const PrebuiltDatabase* prebuilt = nullptr);
  ~RulesScanner();
  RulesScanner(const RulesScanner&) = delete;
  RulesScanner& operator=(const RulesScanner&) = delete;

  // Replaces `matches` with every match in `text` (valid UTF-8, as normalised text
  // is), overlapping matches of one pattern merged, sorted by pattern then start.
  // Returns false, with `matches` empty, if vectorscan reports an error.
  bool Scan(std::string_view text, std::vector<PatternMatch>& matches);

 private:
  struct Impl;
  explicit RulesScanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace safeval
