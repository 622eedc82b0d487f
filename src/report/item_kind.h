// Why an item of a run is worth reading, and the choices every renderer makes the same way:
// which items are failures, which responses count as harmful (for --redact), which hazard an
// item rolls up to, and how a long list is sampled for display.
// Internal to src/report/. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "report/report_data.h"

namespace safeval {

// violation: the deciding verdict is a policy violation, or the response leaked or called a
// forbidden tool (the findings), and it is not an over-deflection;
// over_deflection: a safe prompt answered with refuses or deflects;
// undetermined: judged, but the judge could not decide;
// error: model_error or judge_error; other: everything else (fine, skipped or pending).
enum class ItemKind { kViolation, kOverDeflection, kUndetermined, kError, kOther };
ItemKind KindOf(const ReportItem& item);

// True when the item was judged and its deciding verdict found a violation, or its findings a
// leak or a harmful action (as ScoredItem::violation, report/report.h's ApplyFindings).
bool IsViolation(const ReportItem& item);

// True when the item was judged with a decided class (it enters the rates).
bool IsDecided(const ReportItem& item);

// A response that --redact cuts: some judge classed it complies_harmful; or, on a harmful or
// adversarial prompt, some judge found a violation or could not decide, or no judge judged it
// (a judge error). A refusal every judge agreed on, or an over-deflection, is not harmful text.
bool IsHarmfulResponse(const ReportItem& item);

// The top-level taxonomy id an item's category rolls up to ("" for an empty category), the
// "hazard" of MetricRow::group_by.
std::string HazardOf(const Prompt& prompt);

// At most `limit` of the positions 0..count-1, evenly spread and in increasing order, so a
// sample of a long list shows its whole length (deterministic).
std::vector<size_t> SamplePositions(size_t count, size_t limit);

// The digest's sample of the notable items of `kind`. REQUIRES: kind != ItemKind::kOther.
const ItemSample& NotableSample(const ItemDigest& digest, ItemKind kind);

// At most `limit` of sample.kept, evenly spread over them and in item order (positions in
// ReportData::items): what a renderer lists of the sample.
std::vector<size_t> Shown(const ItemSample& sample, size_t limit);

// 3210 → "3,210" (counts people read).
std::string WithThousands(int64_t value);

}  // namespace safeval
