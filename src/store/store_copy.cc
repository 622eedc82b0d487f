#include "store/store_copy.h"

#include <set>
#include <utility>

namespace safeval {
namespace {

// Items are read and results written this many at a time.
constexpr int64_t kWindow = 1000;

Result<int64_t> ItemCount(Store& store, const std::string& run_id) {
  int64_t count = 0;
  SV_RETURN_IF_ERROR(store.ScanItemSummaries(run_id, [&](const ItemSummary&) { ++count; }));
  return count;
}

// Creates the run in `to` with the planned items of `from`, pulled a window at a time.
Status CreateRunFrom(Store& from, Store& to, const RunRecord& run, StoreCopyStats* stats) {
  std::vector<StoredItem> window;
  size_t next = 0;
  int64_t first = 0;
  bool done = false;
  Store::PromptSource source = [&]() -> Result<std::optional<Prompt>> {
    if (next == window.size() && !done) {
      std::vector<int64_t> indexes;
      for (int64_t i = first; i < first + kWindow; ++i) indexes.push_back(i);
      SV_ASSIGN_OR_RETURN(window, from.ItemsAt(run.id, indexes));
      next = 0;
      first += kWindow;
      // Indexes are 0..n-1: a short window is the last one.
      done = static_cast<int64_t>(window.size()) < kWindow;
    }
    if (next == window.size()) return std::optional<Prompt>();
    ++stats->items;
    return std::optional<Prompt>(std::move(window[next++].prompt));
  };
  return to.CreateRunStreaming(run, source, nullptr);
}

Status CopyResults(Store& from, Store& to, const std::string& run_id, StoreCopyStats* stats) {
  std::vector<ItemResult> batch;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    SV_RETURN_IF_ERROR(to.SaveResults(run_id, batch));
    stats->results += static_cast<int64_t>(batch.size());
    batch.clear();
    return Status::Ok();
  };
  SV_RETURN_IF_ERROR(from.ScanItems(run_id, [&](StoredItem&& item) -> Status {
    if (!item.result) return Status::Ok();
    item.result->index = item.index;
    batch.push_back(std::move(*item.result));
    if (static_cast<int64_t>(batch.size()) >= kWindow) return flush();
    return Status::Ok();
  }));
  return flush();
}

}  // namespace

Status CopyRun(Store& from, Store& to, const std::string& run_id, StoreCopyStats* stats) {
  SV_ASSIGN_OR_RETURN(RunRecord run, from.GetRun(run_id));
  SV_ASSIGN_OR_RETURN(int64_t count, ItemCount(from, run_id));
  Result<RunRecord> existing = to.GetRun(run_id);
  if (existing.ok()) {
    SV_ASSIGN_OR_RETURN(int64_t there, ItemCount(to, run_id));
    if (existing->config_hash != run.config_hash || there != count) {
      return Status::InvalidArgument("run '" + run_id +
                                     "' is already in the target with other content (" +
                                     std::to_string(there) + " items, config " +
                                     existing->config_hash + "; the source has " +
                                     std::to_string(count) + " items, config " + run.config_hash +
                                     "): not copied");
    }
    ++stats->runs_completed;
  } else if (existing.status().code() == StatusCode::kNotFound) {
    SV_RETURN_IF_ERROR(CreateRunFrom(from, to, run, stats));
    ++stats->runs_copied;
  } else {
    return existing.status();
  }
  SV_RETURN_IF_ERROR(CopyResults(from, to, run_id, stats));
  SV_ASSIGN_OR_RETURN(std::vector<BatchRecord> batches, from.LoadBatches(run_id));
  for (const BatchRecord& batch : batches) {
    SV_RETURN_IF_ERROR(to.SaveBatch(run_id, batch));
    ++stats->batches;
  }
  for (const std::string& judge : run.judges) {
    SV_ASSIGN_OR_RETURN(std::optional<JudgeCalibration> calibration, from.FindCalibration(judge));
    if (!calibration) continue;
    SV_RETURN_IF_ERROR(to.SaveCalibration(*calibration));
    ++stats->calibrations;
  }
  // Trees replace trees, so a second copy keeps their order and changes nothing.
  SV_ASSIGN_OR_RETURN(auto attacks, from.LoadAttacks(run_id));
  for (const auto& [seed_id, tree_json] : attacks) {
    SV_RETURN_IF_ERROR(to.SaveAttackTree(run_id, seed_id, tree_json));
    ++stats->attack_trees;
  }
  // Status, finished_at and judges as the source has them (CreateRun kept the record's own).
  return to.UpdateRun(run);
}

Status CopyAnnotations(AnnotationStore& from, AnnotationStore& to, Store& to_runs,
                       const std::function<std::string(size_t)>& random_hex,
                       StoreCopyStats* stats) {
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> there, to.ListAnnotators());
  std::set<std::string> known;
  for (const Annotator& a : there) known.insert(a.name);
  SV_ASSIGN_OR_RETURN(std::vector<Annotator> annotators, from.ListAnnotators());
  for (const Annotator& a : annotators) {
    if (known.count(a.name)) continue;
    // Tokens are stored only as hashes and a hash cannot be carried over as a login: the copy
    // gets a random hash no token matches until `safeval annotators reset-token NAME`.
    SV_RETURN_IF_ERROR(to.AddAnnotator(a, random_hex(32)));
    ++stats->annotators;
  }
  SV_ASSIGN_OR_RETURN(std::vector<AnnotationRound> rounds, from.ListRounds());
  // ListRounds is newest first: create oldest first so the target lists them in the same order.
  for (auto round = rounds.rbegin(); round != rounds.rend(); ++round) {
    if (!to_runs.GetRun(round->run_id).ok()) continue;  // its run was not copied
    Result<AnnotationRound> existing = to.GetRound(round->name);
    if (!existing.ok()) {
      if (existing.status().code() != StatusCode::kNotFound) return existing.status();
      SV_RETURN_IF_ERROR(to.CreateRound(*round));
      ++stats->rounds;
    }
    SV_ASSIGN_OR_RETURN(std::vector<AnnotationLabel> labels, from.LoadLabels(round->name));
    SV_RETURN_IF_ERROR(to.SaveLabels(round->name, labels));
    stats->labels += static_cast<int64_t>(labels.size());
    SV_ASSIGN_OR_RETURN(std::vector<Adjudication> decisions, from.LoadAdjudications(round->name));
    for (const Adjudication& decision : decisions) {
      SV_RETURN_IF_ERROR(to.SaveAdjudication(round->name, decision));
      ++stats->adjudications;
    }
  }
  return Status::Ok();
}

}  // namespace safeval
