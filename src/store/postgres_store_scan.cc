// The item reads of PostgresStore: whole runs, pending windows, items by index, one item with
// its result, and streamed scans, each inside one repeatable-read snapshot so a concurrent writer
// cannot split an item.
#include <algorithm>

#include "store/postgres_rows.h"
#include "store/postgres_store.h"
#include "store/store_json.h"

namespace safeval::store_internal {
namespace {

constexpr int64_t kScanWindow = 512;  // items per query of a scan

using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

}  // namespace

// Columns: 0 prompt_json, then kPgResultColumns (NULL without a result; outcome is NOT NULL in a
// result row, so a NULL outcome means "no result").
Result<std::vector<StoredItem>> PostgresStore::QueryItems(pqxx::transaction_base& tx,
                                                          const std::string& run_id,
                                                          bool pending_only, int64_t after_index,
                                                          int64_t limit) {
  std::string columns;
  for (std::string_view rest = kPgResultColumns; !rest.empty();) {
    size_t comma = rest.find(", ");
    std::string_view column = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 2);
    columns += (column == "idx" ? std::string("i.idx") : "r." + std::string(column));
    if (!rest.empty()) columns += ", ";
  }
  // Items are read in index order a window at a time, the LIMIT inside on the primary key, so
  // the plan is an index range scan whatever the statistics say, and each item's result is a
  // LATERAL subquery with LIMIT 1 (never flattened into a join): a lookup of (run_id, idx) in the
  // primary key per item. A plain join was planned from statistics taken before the run existed
  // (rows=1) and scanned all of the run's results for every item (0.5 s per 512-item window of a
  // 20k run). Pending items are picked out here, not in SQL: with the filter in SQL the planner,
  // expecting few pending rows once statistics saw most items answered, sorted every item after
  // `after_index` before applying the limit (70-330 ms per window of a 100k run). A done item's
  // prompt is not sent (NULL; a stored prompt never is).
  std::string prompt = pending_only
                           ? "CASE WHEN r.outcome IS NULL OR r.outcome IN ($4, $5) "
                             "THEN i.prompt_json END"
                           : "i.prompt_json";
  std::string sql = "SELECT " + prompt + ", " + columns +
                    " FROM (SELECT idx, prompt_json FROM items WHERE run_id = $1 AND idx > $2"
                    " ORDER BY idx LIMIT $3) i"
                    " LEFT JOIN LATERAL (SELECT * FROM results"
                    " WHERE run_id = $1 AND idx = i.idx LIMIT 1) r ON true ORDER BY i.idx";
  const int64_t window = pending_only ? std::max(limit, kScanWindow) : limit;
  std::vector<StoredItem> items;
  for (int64_t after = after_index; static_cast<int64_t>(items.size()) < limit;) {
    pqxx::result rows = pending_only ? tx.exec_params(sql, run_id, after, window,
                                                      std::string(Name(Outcome::kModelError)),
                                                      std::string(Name(Outcome::kJudgeError)))
                                     : tx.exec_params(sql, run_id, after, window);
    for (const pqxx::row& row : rows) {
      after = PgInt(row[1]);
      if (row[0].is_null()) continue;  // answered: not pending
      if (static_cast<int64_t>(items.size()) == limit) break;
      StoredItem item;
      item.index = after;
      Result<Prompt> prompt = PromptFromJson(PgText(row[0]));
      if (!prompt.ok()) return Corrupt(prompt.status(), run_id, item.index);
      item.prompt = std::move(prompt).value();
      // A pending item's earlier failed result is not returned: it is about to be redone.
      if (!pending_only && !row[2].is_null()) {
        Result<ItemResult> result = ReadPgResult(row, 1);
        if (!result.ok()) return Corrupt(result.status(), run_id, item.index);
        item.result = std::move(result).value();
      }
      items.push_back(std::move(item));
    }
    if (!pending_only || static_cast<int64_t>(rows.size()) < window) break;  // the run's end
  }
  if (!pending_only) SV_RETURN_IF_ERROR(AttachVerdicts(tx, run_id, items));
  return items;
}

// Merges the verdicts (ordered by idx, pos) into `items` (ordered by index).
Status PostgresStore::AttachVerdicts(pqxx::transaction_base& tx, const std::string& run_id,
                                     std::vector<StoredItem>& items) {
  if (items.empty()) return Status::Ok();
  pqxx::result rows = tx.exec_params(
      "SELECT idx, " + std::string(kPgVerdictColumns) +
          " FROM verdicts WHERE run_id = $1 AND idx BETWEEN $2 AND $3 ORDER BY idx, pos",
      run_id, items.front().index, items.back().index);
  auto item = items.begin();
  for (const pqxx::row& row : rows) {
    int64_t index = PgInt(row[0]);
    while (item != items.end() && item->index < index) ++item;
    if (item == items.end() || item->index != index || !item->result) {
      return Corrupt(Status::IoError("a verdict has no result"), run_id, index);
    }
    Result<Verdict> verdict = ReadPgVerdict(row, 1);
    if (!verdict.ok()) return Corrupt(verdict.status(), run_id, index);
    item->result->verdicts.push_back(std::move(verdict).value());
  }
  return Status::Ok();
}

Result<std::vector<StoredItem>> PostgresStore::LoadAll(const std::string& run_id, bool pending_only,
                                                       const std::string& operation) {
  auto items = PgCall(*db_, [&]() -> Result<std::vector<StoredItem>> {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    return QueryItems(tx, run_id, pending_only, -1, INT64_MAX);
  });
  return PgWithOperation(std::move(items), operation);
}

Result<std::vector<StoredItem>> PostgresStore::PendingItems(const std::string& run_id) {
  return LoadAll(run_id, /*pending_only=*/true, "reading pending items of run '" + run_id + "'");
}

Result<std::vector<StoredItem>> PostgresStore::LoadItems(const std::string& run_id) {
  return LoadAll(run_id, /*pending_only=*/false, "reading items of run '" + run_id + "'");
}

Result<std::vector<StoredItem>> PostgresStore::PendingItemsAfter(const std::string& run_id,
                                                                 int64_t after_index,
                                                                 int64_t limit) {
  auto items = PgCall(*db_, [&]() -> Result<std::vector<StoredItem>> {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    return QueryItems(tx, run_id, /*pending_only=*/true, after_index, limit);
  });
  return PgWithOperation(std::move(items), "reading pending items of run '" + run_id + "'");
}

Result<std::vector<StoredItem>> PostgresStore::ItemsAt(const std::string& run_id,
                                                       const std::vector<int64_t>& indexes) {
  auto items = PgCall(*db_, [&]() -> Result<std::vector<StoredItem>> {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    std::string array = "{";
    for (size_t i = 0; i < indexes.size(); ++i) {
      array += (i > 0 ? "," : "") + std::to_string(indexes[i]);
    }
    array += "}";
    pqxx::result rows = tx.exec_params(
        "SELECT idx, prompt_json FROM items WHERE run_id = $1 AND idx = ANY($2::bigint[])"
        " ORDER BY idx",
        run_id, array);
    std::vector<StoredItem> out;
    out.reserve(rows.size());
    for (const pqxx::row& row : rows) {
      StoredItem item;
      item.index = PgInt(row[0]);
      Result<Prompt> prompt = PromptFromJson(PgText(row[1]));
      if (!prompt.ok()) return Corrupt(prompt.status(), run_id, item.index);
      item.prompt = std::move(prompt).value();
      out.push_back(std::move(item));
    }
    return out;
  });
  return PgWithOperation(std::move(items), "reading items of run '" + run_id + "'");
}

Result<std::optional<StoredItem>> PostgresStore::GetItem(const std::string& run_id, int64_t index) {
  auto item = PgCall(*db_, [&]() -> Result<std::optional<StoredItem>> {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    if (index < 0) return std::optional<StoredItem>();
    // A window of one item from `index`: a seek in the items' primary key (run_id, idx), then
    // the result's and the verdicts' by the same key.
    SV_ASSIGN_OR_RETURN(std::vector<StoredItem> window,
                        QueryItems(tx, run_id, /*pending_only=*/false, index - 1, 1));
    if (window.empty() || window.front().index != index) return std::optional<StoredItem>();
    return std::optional<StoredItem>(std::move(window.front()));
  });
  return PgWithOperation(std::move(item),
                         "reading item " + std::to_string(index) + " of run '" + run_id + "'");
}

Status PostgresStore::ScanItems(const std::string& run_id,
                                const std::function<Status(StoredItem&&)>& fn) {
  Status status = PgCall(*db_, [&]() -> Status {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    int64_t after = -1;
    while (true) {
      SV_ASSIGN_OR_RETURN(std::vector<StoredItem> window,
                          QueryItems(tx, run_id, /*pending_only=*/false, after, kScanWindow));
      if (window.empty()) return Status::Ok();
      after = window.back().index;
      for (StoredItem& item : window) SV_RETURN_IF_ERROR(fn(std::move(item)));
    }
  });
  return PgWithOperation(status, "reading items of run '" + run_id + "'");
}

// Windows of kSummaryWindow rows: a summary is a few short columns. Results and verdicts are
// looked up per item (LATERAL … LIMIT 1), as in QueryItems.
Status PostgresStore::ScanItemSummaries(const std::string& run_id,
                                        const std::function<void(const ItemSummary&)>& fn) {
  constexpr int64_t kSummaryWindow = 8192;
  Status status = PgCall(*db_, [&]() -> Status {
    Snapshot tx(db_->conn());
    SV_RETURN_IF_ERROR(RequireRun(tx, run_id));
    ItemSummary summary;
    for (int64_t after = -1;;) {
      pqxx::result rows = tx.exec_params(
          "SELECT i.idx, i.category, i.intent, r.outcome, v.class, v.violation,"
          " greatest(r.prompt_tokens, 0) + greatest(r.completion_tokens, 0)"
          " FROM items i"
          " LEFT JOIN LATERAL (SELECT outcome, prompt_tokens, completion_tokens FROM results"
          "   WHERE run_id = $1 AND idx = i.idx LIMIT 1) r ON true"
          " LEFT JOIN LATERAL (SELECT class, violation FROM verdicts"
          "   WHERE run_id = $1 AND idx = i.idx AND pos = 0 LIMIT 1) v ON true"
          " WHERE i.run_id = $1 AND i.idx > $2 ORDER BY i.idx LIMIT $3",
          run_id, after, kSummaryWindow);
      if (rows.empty()) return Status::Ok();
      for (const pqxx::row& row : rows) {
        summary = ItemSummary();
        summary.index = PgInt(row[0]);
        summary.category = PgText(row[1]);
        std::optional<Intent> intent = ParseIntent(PgText(row[2]));
        if (!intent) return Corrupt(Status::IoError("unknown intent"), run_id, summary.index);
        summary.intent = *intent;
        summary.has_result = !row[3].is_null();
        if (summary.has_result) {
          std::optional<Outcome> outcome = ParseOutcome(PgText(row[3]));
          if (!outcome) return Corrupt(Status::IoError("unknown outcome"), run_id, summary.index);
          summary.outcome = *outcome;
          summary.tokens = PgInt(row[6]);
          if (!row[4].is_null()) {
            std::optional<ResponseClass> cls = ParseResponseClass(PgText(row[4]));
            if (!cls) return Corrupt(Status::IoError("unknown class"), run_id, summary.index);
            summary.cls = *cls;
            summary.violation = PgBool(row[5]);
          }
        }
        fn(summary);
        after = summary.index;
      }
    }
  });
  return PgWithOperation(status, "reading items of run '" + run_id + "'");
}

}  // namespace safeval::store_internal
