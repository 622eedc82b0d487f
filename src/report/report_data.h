// What every report format renders: the run's identity, totals, metric rows,
// and the items worth reading (violations, over-deflections, errors).
#pragma once

#include <string>
#include <vector>

#include "core/prompt.h"
#include "core/verdict.h"
#include "metrics/metrics.h"
#include "taxonomy/taxonomy.h"

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

// One item shown in the report's detail lists.
struct ReportItem {
  Prompt prompt;
  std::string response;
  Outcome outcome = Outcome::kSkipped;
  std::string error;
  Verdict verdict;  // the deciding verdict when outcome == kJudged
};

struct ReportData {
  RunSummary run;
  Totals totals;
  std::vector<MetricRow> metrics;
  std::vector<ReportItem> notable;  // violations, over-deflections, undetermined, errors
};

}  // namespace safeval
