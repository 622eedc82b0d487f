// What the renderers expect of ReportData: how its metric rows and scored items are made.
#include "report/report.h"

namespace safeval {

MetricsOptions ReportMetricsOptions() {
  MetricsOptions options;
  options.by = {{{Dimension::kHazard}, {Dimension::kTechnique}}};
  return options;
}

ScoredItem ToScoredItem(const ReportItem& item) {
  ScoredItem s;
  const Prompt& p = item.prompt;
  s.category = p.category;
  s.intent = p.intent;
  s.persona = p.persona;
  s.techniques = p.techniques;
  s.locale = p.locale;
  s.tags = p.tags;
  s.outcome = item.pending ? Outcome::kSkipped : item.outcome;
  if (const Verdict* v = item.deciding()) {
    s.cls = v->cls;
    s.violation = v->violation;
    s.quality = v->quality;
  }
  for (const Verdict& v : item.verdicts) {
    if (v.cls == ResponseClass::kUndetermined) continue;
    ++s.judge_votes;
    if (v.violation) ++s.violation_votes;
  }
  return s;
}

}  // namespace safeval
