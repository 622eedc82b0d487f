// Windowed and streamed item reads of SqliteStore: pending items after an index, items by
// index, one item with its result, and whole-run scans (full items, or the summaries the
// campaign planner needs), so runs of any size are read in bounded memory.
#include <algorithm>

#include "store/sqlite_store.h"
#include "store/store_json.h"
#include "store/store_rows.h"

namespace safeval::store_internal {
namespace {

constexpr int64_t kScanWindow = 512;  // items per query of a scan

}  // namespace

Result<std::vector<StoredItem>> SqliteStore::PendingItemsAfter(const std::string& run_id,
                                                               int64_t after_index, int64_t limit) {
  auto read = [&]() -> Result<std::vector<StoredItem>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    return QueryItems(run_id, /*pending_only=*/true, after_index, limit);
  };
  return WithOperation(read(), "reading pending items of run '" + run_id + "'");
}

Result<std::vector<StoredItem>> SqliteStore::ItemsAt(const std::string& run_id,
                                                     const std::vector<int64_t>& indexes) {
  auto read = [&]() -> Result<std::vector<StoredItem>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                        db_->Prepare("SELECT prompt_json FROM items WHERE run_id = ? AND idx = ?"));
    std::vector<int64_t> sorted = indexes;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    std::vector<StoredItem> items;
    items.reserve(sorted.size());
    for (int64_t index : sorted) {
      stmt.Reset();
      SV_ASSIGN_OR_RETURN(bool row, stmt.Bind(1, run_id).Bind(2, index).Step());
      if (!row) continue;
      StoredItem item;
      item.index = index;
      Result<Prompt> prompt = PromptFromJson(stmt.ColumnText(0));
      if (!prompt.ok()) return Corrupt(prompt.status(), run_id, index);
      item.prompt = std::move(prompt).value();
      items.push_back(std::move(item));
    }
    return items;
  };
  return WithOperation(read(), "reading items of run '" + run_id + "'");
}

Result<std::optional<StoredItem>> SqliteStore::GetItem(const std::string& run_id, int64_t index) {
  auto read = [&]() -> Result<std::optional<StoredItem>> {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    if (index < 0) return std::optional<StoredItem>();
    // A window of one item from `index`: a seek in the items' primary key (run_id, idx), then
    // the result's and the verdicts' by the same key.
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> window,
                        QueryItems(run_id, /*pending_only=*/false, index - 1, 1));
    if (window.empty() || window.front().index != index) return std::optional<StoredItem>();
    SV_RETURN_IF_ERROR(AttachVerdicts(run_id, window));
    return std::optional<StoredItem>(std::move(window.front()));
  };
  return WithOperation(read(),
                       "reading item " + std::to_string(index) + " of run '" + run_id + "'");
}

Status SqliteStore::ScanItems(const std::string& run_id,
                              const std::function<Status(StoredItem&&)>& fn) {
  auto scan = [&]() -> Status {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    int64_t after = -1;
    while (true) {
      SV_ASSIGN_OR_RETURN(std::vector<StoredItem> window,
                          QueryItems(run_id, /*pending_only=*/false, after, kScanWindow));
      if (window.empty()) return Status::Ok();
      SV_RETURN_IF_ERROR(AttachVerdicts(run_id, window));
      after = window.back().index;
      for (StoredItem& item : window) SV_RETURN_IF_ERROR(fn(std::move(item)));
    }
  };
  return WithOperation(scan(), "reading items of run '" + run_id + "'");
}

Status SqliteStore::ScanItemSummaries(const std::string& run_id,
                                      const std::function<void(const ItemSummary&)>& fn) {
  auto scan = [&]() -> Status {
    SV_ASSIGN_OR_RETURN(SqliteTransaction snapshot, SqliteTransaction::BeginRead(*db_));
    SV_RETURN_IF_ERROR(RequireRun(run_id));
    SV_ASSIGN_OR_RETURN(
        SqliteStatement stmt,
        db_->Prepare("SELECT i.idx, i.category, i.intent, r.outcome, v.class, v.violation,"
                     " max(r.prompt_tokens, 0) + max(r.completion_tokens, 0)"
                     " FROM items i LEFT JOIN results r USING (run_id, idx)"
                     " LEFT JOIN verdicts v ON v.run_id = i.run_id AND v.idx = i.idx AND v.pos = 0"
                     " WHERE i.run_id = ? ORDER BY i.idx"));
    stmt.Bind(1, run_id);
    ItemSummary summary;
    while (true) {
      SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Status::Ok();
      summary.index = stmt.ColumnInt(0);
      summary.category = stmt.ColumnText(1);
      std::optional<Intent> intent = ParseIntent(stmt.ColumnText(2));
      if (!intent) return Corrupt(Status::IoError("unknown intent"), run_id, summary.index);
      summary.intent = *intent;
      summary.has_result = !stmt.ColumnIsNull(3);
      summary.outcome = Outcome::kSkipped;
      summary.cls = ResponseClass::kUndetermined;
      summary.violation = false;
      summary.tokens = 0;
      if (summary.has_result) {
        std::optional<Outcome> outcome = ParseOutcome(stmt.ColumnText(3));
        if (!outcome) return Corrupt(Status::IoError("unknown outcome"), run_id, summary.index);
        summary.outcome = *outcome;
        summary.tokens = stmt.ColumnInt(6);
        if (!stmt.ColumnIsNull(4)) {
          std::optional<ResponseClass> cls = ParseResponseClass(stmt.ColumnText(4));
          if (!cls) return Corrupt(Status::IoError("unknown class"), run_id, summary.index);
          summary.cls = *cls;
          summary.violation = stmt.ColumnInt(5) != 0;
        }
      }
      fn(summary);
    }
  };
  return WithOperation(scan(), "reading items of run '" + run_id + "'");
}

}  // namespace safeval::store_internal
