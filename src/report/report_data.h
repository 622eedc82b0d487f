// What every report format renders: the run's identity, totals and metric rows, counts over
// every item (ItemDigest), the items shown with all their verdicts, and — when the caller had
// them — the grade against reference runs, the references' headline rates, error-corrected
// rates and the top failures.
//
// Plain data, filled by the caller: ReportDataBuilder (report/report_builder.h) makes the
// item-derived parts from a stream of items, holding only the items some renderer shows, so a
// report of any size is made in bounded memory (cli/run_report.cc streams a stored run into
// it). The renderers in report.h are pure functions of it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/calibration.h"
#include "core/findings.h"
#include "core/prompt.h"
#include "core/response_class.h"
#include "core/verdict.h"
#include "metrics/corrected_rate.h"
#include "metrics/disparity.h"
#include "metrics/grade.h"
#include "metrics/metrics.h"
#include "metrics/top_failures.h"

namespace safeval {

struct RunSummary {
  std::string id;
  std::string suite_name;
  std::string target_name;
  std::string target_identity;
  bool demo = false;  // every output says loudly that this was the demo target
  std::string config_hash;
  std::string dataset_hash;
  std::string policy_name;
  std::vector<std::string> judges;
  uint64_t seed = 0;
  std::string started_at;
  std::string finished_at;
  std::string status;
  std::string safeval_version;
};

// One item of the run: the prompt, and what became of it.
struct ReportItem {
  int64_t index = 0;  // position in the run's plan
  Prompt prompt;
  bool pending = false;  // no result yet (an interrupted run); the fields below are empty
  Outcome outcome = Outcome::kSkipped;
  std::string response;
  std::string error;              // for model_error / judge_error
  std::vector<Verdict> verdicts;  // one per judge, in the order they were saved; the first decides
  std::vector<ToolCall> tool_calls;  // the tool calls in the response
  Findings findings;                 // the deterministic checks' findings

  // The deciding verdict when the item was judged, else nullptr.
  const Verdict* deciding() const {
    return !pending && outcome == Outcome::kJudged && !verdicts.empty() ? &verdicts.front()
                                                                        : nullptr;
  }
};

// A reference run's headline rates, for the safety / over-deflection trade-off chart.
struct ReferenceSummary {
  std::string id;
  std::string target_name;
  std::optional<MetricRow> violation_rate;        // nullopt when it has no decided unsafe items
  std::optional<MetricRow> over_deflection_rate;  // nullopt when it has no decided safe items
};

// A raw rate beside its judge-error-corrected value (metrics/corrected_rate.h).
struct CorrectedRow {
  std::vector<std::pair<std::string, std::string>> group_by;  // as in MetricRow
  Metric metric = Metric::kViolationRate;
  CorrectedRate rate;
};

// Rates corrected with the deciding judge's calibration (safeval judge calibrate).
struct CorrectedRates {
  JudgeCalibration calibration;    // the judge ("name@version"), its labelled counts, Se and Sp
  std::vector<CorrectedRow> rows;  // in the order of the metric rows they correct
  std::string note;                // why some rates could not be corrected ("" when all could)
};

// Some of a run's items: how many there are in the whole run, and which of them
// ReportData::items holds — all of them when there are at most the builder's capacity for the
// list, else an evenly spread subset (every k-th, see ReportDataBuilder), never fewer than half
// that capacity.
struct ItemSample {
  int64_t count = 0;
  std::vector<size_t> kept;  // positions in ReportData::items, in item order
};

// One hazard's failures (violations other than over-deflections, report/item_kind.h) and its
// violation rate's counts: decided harmful and adversarial items, and the violations among them.
struct HazardFailures {
  std::string hazard;  // top-level category id
  ItemSample failures;
  int64_t unsafe_judged = 0;
  int64_t unsafe_violations = 0;
};

// What the items of one hazard × intent cell came to (JUnit's test cases).
struct CellCounts {
  std::string hazard;
  Intent intent = Intent::kSafe;
  int64_t items = 0;
  int64_t decided = 0;       // judged with a decided class
  int64_t violations = 0;    // among the decided
  int64_t undetermined = 0;  // judged, class undetermined
  int64_t errors = 0;        // model_error or judge_error
  int64_t not_run = 0;       // skipped or pending
};

// How many of the run's prompts have exactly this category, per intent (indexed by
// static_cast<size_t>(Intent)): the coverage matrix.
struct CategoryCount {
  std::string category;  // CategoryPath::str(); "" for prompts without a category
  std::array<int64_t, kAllIntents.size()> by_intent{};
};

// Counts over every item of the run, and the samples of ReportData::items the renderers list.
struct ItemDigest {
  // The notable items of each kind (report/item_kind.h).
  ItemSample violations;
  ItemSample over_deflections;
  ItemSample undetermined;
  ItemSample errors;
  std::vector<HazardFailures> hazards;  // by hazard id: those with failures or decided unsafe items
  std::vector<CellCounts> cells;        // by hazard id, then intent (enum order)
  std::vector<CategoryCount> categories;  // by category
};

struct ReportData {
  RunSummary run;
  Totals totals;
  std::vector<MetricRow> metrics;
  // Bias between counterfactual groups (metrics/disparity.h); present() when some item has a
  // group or a pair id.
  Disparity disparity;
  ItemDigest digest;
  // The items the renderers show, in item order: those `digest` and `top_failures` point to
  // (every item of the run when ReportBuilderOptions::keep_every_item).
  std::vector<ReportItem> items;

  // Set when reference runs were given (safeval report --reference).
  std::optional<GradeReport> grade;
  std::vector<std::string> ungraded;  // hazards the references could not grade
  std::vector<ReferenceSummary> references;

  // Set when the deciding judge has a calibration in the store.
  std::optional<CorrectedRates> corrected;
  // Per hazard, the violating items most judges agree on; CategoryFailures::indexes are
  // positions in `items`, best-agreed first; violations counts the whole run.
  std::vector<CategoryFailures> top_failures;
  // The same per technique (CategoryFailures::category is the technique's name): the best
  // examples of each technique's successful attacks (violating adversarial items).
  std::vector<CategoryFailures> top_failures_by_technique;

  // Set when the responses judged harmful were cut to this many characters (--redact N).
  std::optional<size_t> redacted_to;
};

}  // namespace safeval
