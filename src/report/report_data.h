// What every report format renders: the run's identity, totals and metric rows, every item
// with all its verdicts, and — when the caller had them — the grade against reference runs,
// the references' headline rates, error-corrected rates and the top failures.
//
// Plain data, filled by the caller (cli/run_report.cc builds it from a stored run); the
// renderers in report.h are pure functions of it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/calibration.h"
#include "core/prompt.h"
#include "core/response_class.h"
#include "core/verdict.h"
#include "metrics/corrected_rate.h"
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

struct ReportData {
  RunSummary run;
  Totals totals;
  std::vector<MetricRow> metrics;
  std::vector<ReportItem> items;  // every item of the run, by index

  // Set when reference runs were given (safeval report --reference).
  std::optional<GradeReport> grade;
  std::vector<std::string> ungraded;  // hazards the references could not grade
  std::vector<ReferenceSummary> references;

  // Set when the deciding judge has a calibration in the store.
  std::optional<CorrectedRates> corrected;
  // Per hazard, the violating items most judges agree on; CategoryFailures::indexes are
  // positions in `items`, best-agreed first.
  std::vector<CategoryFailures> top_failures;

  // Set when the responses judged harmful were cut to this many characters (--redact N).
  std::optional<size_t> redacted_to;
};

}  // namespace safeval
