#include "server/round_data.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

namespace safeval {
namespace {

std::vector<Rating> Ratings(const std::vector<AnnotationLabel>& labels, bool violation) {
  std::vector<Rating> ratings;
  ratings.reserve(labels.size());
  for (const AnnotationLabel& label : labels) {
    std::string value = violation ? (label.violation ? "yes" : "no") : std::string(Name(label.cls));
    ratings.push_back({label.item_index, label.annotator, std::move(value)});
  }
  return ratings;
}

// The run's taxonomy and policy specs from its config snapshot (run/suite.cc's
// SuiteSnapshotJson); nullopt when the snapshot has none.
struct PolicySpecs {
  std::string taxonomy, policy;
};
std::optional<PolicySpecs> SpecsOf(const RunRecord& run) {
  nlohmann::json config =
      nlohmann::json::parse(run.config_json, nullptr, /*allow_exceptions=*/false);
  if (!config.is_object()) return std::nullopt;
  auto taxonomy = config.find("taxonomy");
  auto policy = config.find("policy");
  if (taxonomy == config.end() || policy == config.end() || !taxonomy->is_string() ||
      !policy->is_string()) {
    return std::nullopt;
  }
  return PolicySpecs{taxonomy->get<std::string>(), policy->get<std::string>()};
}

Result<Policy> ResolveRunPolicy(const RunRecord& run) {
  std::optional<PolicySpecs> specs = SpecsOf(run);
  if (!specs) return Status::NotFound("run '" + run.id + "' records no policy");
  std::string base = std::filesystem::path(run.suite_path).parent_path().string();
  SV_ASSIGN_OR_RETURN(Taxonomy taxonomy, Taxonomy::Resolve(specs->taxonomy, base));
  return Policy::Resolve(specs->policy, base, taxonomy);
}

}  // namespace

AnnotatorQueue QueueOf(const AnnotationRound& round, const std::vector<AnnotationLabel>& labels,
                       const std::string& annotator) {
  std::map<int64_t, int> count;
  std::set<int64_t> mine;
  for (const AnnotationLabel& label : labels) {
    ++count[label.item_index];
    if (label.annotator == annotator) mine.insert(label.item_index);
  }
  AnnotatorQueue queue;
  for (int64_t item : round.items) {
    if (mine.count(item)) {
      ++queue.done;
    } else if (count[item] < round.overlap) {
      ++queue.remaining;
      if (!queue.next) queue.next = item;
    }
  }
  return queue;
}

std::map<int64_t, std::vector<AnnotationLabel>> LabelsByItem(
    const std::vector<AnnotationLabel>& labels) {
  std::map<int64_t, std::vector<AnnotationLabel>> by_item;
  for (const AnnotationLabel& label : labels) by_item[label.item_index].push_back(label);
  for (auto& [item, of_item] : by_item) {
    std::stable_sort(of_item.begin(), of_item.end(),
                     [](const AnnotationLabel& a, const AnnotationLabel& b) {
                       return a.annotator < b.annotator;
                     });
  }
  return by_item;
}

Result<RoundState> LoadRoundState(AnnotationStore& annotations, const std::string& name) {
  RoundState state;
  SV_ASSIGN_OR_RETURN(state.round, annotations.GetRound(name));
  SV_ASSIGN_OR_RETURN(state.labels, annotations.LoadLabels(name));
  SV_ASSIGN_OR_RETURN(state.adjudications, annotations.LoadAdjudications(name));
  return state;
}

RoundAgreement MeasureRound(const AnnotationRound& round,
                            const std::vector<AnnotationLabel>& labels,
                            const std::vector<Adjudication>& adjudications) {
  RoundAgreement out;
  out.labels = static_cast<int64_t>(labels.size());
  out.classes = MeasureAgreement(Ratings(labels, /*violation=*/false));
  out.violation = MeasureAgreement(Ratings(labels, /*violation=*/true));
  std::set<int64_t> decided;
  for (const Adjudication& a : adjudications) decided.insert(a.item_index);
  for (const auto& [item, of_item] : LabelsByItem(labels)) {
    ++out.items_labelled;
    if (!LabelsDisagree(of_item)) continue;
    ++out.disagreements;
    if (decided.count(item)) ++out.adjudicated;
  }
  out.gold = static_cast<int64_t>(GoldLabels(round, labels, adjudications).size());
  return out;
}

Policy RunPolicy(const RunRecord& run, const Taxonomy& fallback) {
  Result<Policy> policy = ResolveRunPolicy(run);
  if (policy.ok()) return std::move(policy).value();
  Result<Policy> builtin = Policy::Resolve("builtin:default", "", fallback);
  return builtin.ok() ? std::move(builtin).value() : Policy();
}

ViolationByClass ViolationsFor(const Policy& policy, const Prompt& prompt) {
  ViolationByClass out{};
  for (size_t i = 0; i < kDecidedClasses.size(); ++i) {
    out[i] = policy.IsViolation(prompt.category, prompt.intent, kDecidedClasses[i]);
  }
  return out;
}

Result<std::map<int64_t, StoredItem>> LoadItemsWithResults(Store& runs, const std::string& run_id,
                                                           const std::set<int64_t>& indexes) {
  std::map<int64_t, StoredItem> found;
  if (indexes.empty()) return found;
  const int64_t last = *indexes.rbegin();
  bool stopped = false;
  Status status = runs.ScanItems(run_id, [&](StoredItem&& item) -> Status {
    int64_t index = item.index;
    if (indexes.count(index)) found.emplace(index, std::move(item));
    if (index < last) return Status::Ok();
    stopped = true;  // nothing further is wanted: end the scan early
    return Status::Internal("scan stopped");
  });
  if (!status.ok() && !stopped) return status;
  return found;
}

}  // namespace safeval
