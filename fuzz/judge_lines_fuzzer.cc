// The JSONL lines of `safeval judge classify / calibrate / label` (src/cli/judge_inputs.h
// ParseJudgeLine): transcripts from production logs and other tools. The first byte picks
// the kind of line. Checks: no crash; a parsed transcript has an id and one user turn.
#include <cstdint>

#include "cli/judge_inputs.h"
#include "fuzz/fuzz_util.h"

using namespace safeval;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const JudgeLineKind kKinds[] = {JudgeLineKind::kTranscript, JudgeLineKind::kLabelled,
                                  JudgeLineKind::kLabel};
  JudgeLineKind kind = kKinds[data[0] % 3];
  const Taxonomy* taxonomy = kind == JudgeLineKind::kLabel ? nullptr : &fuzz::FuzzTaxonomy();
  Result<JudgeLine> line =
      ParseJudgeLine(fuzz::AsText(data + 1, size - 1), "fuzz.jsonl", 1, kind, taxonomy);
  if (!line.ok()) return 0;
  FUZZ_CHECK(!line->prompt.id.empty());
  if (kind != JudgeLineKind::kLabel) FUZZ_CHECK(line->prompt.turns.size() == 1);
  return 0;
}
