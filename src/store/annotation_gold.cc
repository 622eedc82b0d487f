// PublishGoldVerdicts: a round's gold labels become verdicts of the judge "human" on its run.
#include <set>
#include <utility>

#include "store/annotation_store.h"
#include "store/store.h"

namespace safeval {
namespace {

Verdict GoldVerdict(const std::string& round, const GoldLabel& gold) {
  Verdict v;
  v.judge = kGoldJudgeName;
  v.judge_version = std::string(kGoldJudgeName) + "@" + round;
  v.cls = gold.cls;
  v.violation = gold.violation;
  v.confidence = 1.0;
  v.quality = gold.quality;
  v.rationale = gold.note;
  return v;
}

// The verdicts whose item has a judged result: only those can take a verdict.
Result<std::vector<std::pair<int64_t, Verdict>>> OnJudgedItems(
    Store& runs, const std::string& run_id, std::vector<std::pair<int64_t, Verdict>> verdicts) {
  std::set<int64_t> wanted;
  for (const auto& [index, verdict] : verdicts) wanted.insert(index);
  std::set<int64_t> judged;
  SV_RETURN_IF_ERROR(runs.ScanItemSummaries(run_id, [&](const ItemSummary& item) {
    if (item.has_result && item.outcome == Outcome::kJudged && wanted.count(item.index) > 0) {
      judged.insert(item.index);
    }
  }));
  std::erase_if(verdicts, [&](const auto& entry) { return judged.count(entry.first) == 0; });
  return verdicts;
}

}  // namespace

Result<int64_t> PublishGoldVerdicts(Store& runs, AnnotationStore& annotations,
                                    const std::string& round) {
  SV_ASSIGN_OR_RETURN(AnnotationRound r, annotations.GetRound(round));
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, annotations.LoadLabels(round));
  SV_ASSIGN_OR_RETURN(std::vector<Adjudication> adjudications,
                      annotations.LoadAdjudications(round));
  std::vector<std::pair<int64_t, Verdict>> verdicts;
  for (const GoldLabel& gold : GoldLabels(r, labels, adjudications)) {
    verdicts.emplace_back(gold.item_index, GoldVerdict(round, gold));
  }
  if (verdicts.empty()) return 0;
  // Rounds hold judged items, so the first attempt almost always succeeds; SaveVerdicts writes
  // nothing when it refuses, so an item without a judged result costs one scan of the run.
  Status saved = runs.SaveVerdicts(r.run_id, verdicts);
  if (saved.code() == StatusCode::kInvalidArgument) {
    SV_ASSIGN_OR_RETURN(verdicts, OnJudgedItems(runs, r.run_id, std::move(verdicts)));
    if (verdicts.empty()) return 0;
    saved = runs.SaveVerdicts(r.run_id, verdicts);
  }
  SV_RETURN_IF_ERROR(saved);
  return static_cast<int64_t>(verdicts.size());
}

}  // namespace safeval
