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
  s.group = p.group;
  s.pair_id = p.pair_id;
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
  ApplyFindings(item.findings, item.deciding(), &s);
  return s;
}

void ApplyFindings(const Findings& findings, const Verdict* deciding, ScoredItem* scored) {
  scored->leak = findings.leak;
  scored->harmful_action = findings.harmful_action;
  scored->missed_distress = deciding != nullptr && deciding->missed_distress
                                ? deciding->missed_distress
                                : findings.missed_distress;
  if (deciding != nullptr)
    scored->violation |= findings.leak.value_or(false) || findings.harmful_action.value_or(false);
}

}  // namespace safeval
