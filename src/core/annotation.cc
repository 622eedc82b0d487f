// Annotation values: round sample names, label disagreement and the gold label of each item.
#include "core/annotation.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace safeval {
namespace {

constexpr std::pair<RoundSample, std::string_view> kSampleNames[] = {
    {RoundSample::kBorderline, "borderline"},
    {RoundSample::kFailures, "failures"},
    {RoundSample::kRandom, "random"},
    {RoundSample::kAll, "all"}};

// One label per annotator of an item: when the input holds several (it should not; labelling
// again replaces), the latest labelled_at wins, and of equal times the later in the input.
std::map<int64_t, std::vector<AnnotationLabel>> LabelsByItem(
    const std::vector<AnnotationLabel>& labels) {
  std::map<std::pair<int64_t, std::string>, const AnnotationLabel*> latest;
  for (const AnnotationLabel& label : labels) {
    const AnnotationLabel*& slot = latest[{label.item_index, label.annotator}];
    if (slot == nullptr || label.labelled_at >= slot->labelled_at) slot = &label;
  }
  std::map<int64_t, std::vector<AnnotationLabel>> by_item;
  for (const auto& [key, label] : latest) by_item[key.first].push_back(*label);
  return by_item;
}

// The adjudication of each item, the latest decided_at winning as above.
std::map<int64_t, const Adjudication*> AdjudicationByItem(
    const std::vector<Adjudication>& adjudications) {
  std::map<int64_t, const Adjudication*> by_item;
  for (const Adjudication& adjudication : adjudications) {
    const Adjudication*& slot = by_item[adjudication.item_index];
    if (slot == nullptr || adjudication.decided_at >= slot->decided_at) slot = &adjudication;
  }
  return by_item;
}

// The lower median of the qualities given, or none when no label has one.
std::optional<int> MedianQuality(const std::vector<AnnotationLabel>& labels) {
  std::vector<int> qualities;
  for (const AnnotationLabel& label : labels)
    if (label.quality) qualities.push_back(*label.quality);
  if (qualities.empty()) return std::nullopt;
  std::sort(qualities.begin(), qualities.end());
  return qualities[(qualities.size() - 1) / 2];
}

GoldLabel FromAdjudication(const Adjudication& adjudication) {
  return GoldLabel{adjudication.item_index, adjudication.cls,  adjudication.violation,
                   adjudication.quality,    adjudication.note, GoldSource::kAdjudicated};
}

// The agreed label of an item, or none when its labels are too few or disagree.
std::optional<GoldLabel> FromLabels(int64_t item, const std::vector<AnnotationLabel>& labels,
                                    int overlap) {
  size_t needed = static_cast<size_t>(std::clamp(overlap, 1, 2));
  if (labels.size() < needed || LabelsDisagree(labels)) return std::nullopt;
  GoldLabel gold{item, labels.front().cls,    labels.front().violation, MedianQuality(labels),
                 "",   GoldSource::kUnanimous};
  if (labels.size() == 1) {
    // A lone annotator's label is the gold as it stands, note included.
    gold.source = GoldSource::kSingle;
    gold.note = labels.front().note;
  }
  return gold;
}

}  // namespace

std::string_view Name(RoundSample sample) {
  for (const auto& [value, name] : kSampleNames)
    if (value == sample) return name;
  return "?";
}

std::optional<RoundSample> ParseRoundSample(std::string_view text) {
  for (const auto& [value, name] : kSampleNames)
    if (name == text) return value;
  return std::nullopt;
}

bool LabelsDisagree(const std::vector<AnnotationLabel>& labels_of_one_item) {
  if (labels_of_one_item.empty()) return false;
  const AnnotationLabel& first = labels_of_one_item.front();
  for (const AnnotationLabel& label : labels_of_one_item)
    if (label.cls != first.cls || label.violation != first.violation) return true;
  return false;
}

std::vector<GoldLabel> GoldLabels(const AnnotationRound& round,
                                  const std::vector<AnnotationLabel>& labels,
                                  const std::vector<Adjudication>& adjudications) {
  std::map<int64_t, std::vector<AnnotationLabel>> labels_by_item = LabelsByItem(labels);
  std::map<int64_t, const Adjudication*> adjudication_by_item = AdjudicationByItem(adjudications);
  std::vector<GoldLabel> gold;
  std::set<int64_t> done;  // an item listed twice in the round gets one gold label
  for (int64_t item : round.items) {
    if (!done.insert(item).second) continue;
    if (auto adjudicated = adjudication_by_item.find(item);
        adjudicated != adjudication_by_item.end()) {
      gold.push_back(FromAdjudication(*adjudicated->second));
      continue;
    }
    auto labelled = labels_by_item.find(item);
    if (labelled == labels_by_item.end()) continue;
    if (std::optional<GoldLabel> agreed = FromLabels(item, labelled->second, round.overlap))
      gold.push_back(std::move(*agreed));
  }
  return gold;
}

}  // namespace safeval
