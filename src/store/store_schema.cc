#include "store/store_schema.h"

#include <charconv>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store_rows.h"

namespace safeval::store_internal {
namespace {

struct Migration {
  int version;           // the schema version after this migration
  std::string_view sql;  // statements run inside the migration transaction
  // What SQL alone cannot do, run after `sql` in the same transaction (nullptr: nothing).
  Status (*then)(SqliteDb& db) = nullptr;
};

// Version 1. Results and verdicts live apart from the planned items, so saving
// a result again replaces it (and its verdicts) without touching the plan.
// verdicts.pos keeps the judges in the order they were saved.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE runs (
  id              TEXT PRIMARY KEY,
  suite_name      TEXT NOT NULL,
  suite_path      TEXT NOT NULL,
  target_name     TEXT NOT NULL,
  target_identity TEXT NOT NULL,
  demo            INTEGER NOT NULL,
  config_json     TEXT NOT NULL,
  config_hash     TEXT NOT NULL,
  dataset_hash    TEXT NOT NULL,
  judges_json     TEXT NOT NULL,
  seed            INTEGER NOT NULL,
  started_at      TEXT NOT NULL,
  finished_at     TEXT NOT NULL,
  status          TEXT NOT NULL,
  output_dir      TEXT NOT NULL
);
CREATE INDEX runs_by_start ON runs (started_at, id);
CREATE TABLE items (
  run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,
  prompt_json TEXT NOT NULL,
  category    TEXT NOT NULL,
  intent      TEXT NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE TABLE results (
  run_id            TEXT NOT NULL,
  idx               INTEGER NOT NULL,
  outcome           TEXT NOT NULL,
  response          TEXT NOT NULL,
  error             TEXT NOT NULL,
  http_status       INTEGER NOT NULL,
  attempts          INTEGER NOT NULL,
  latency_ms        INTEGER NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  PRIMARY KEY (run_id, idx),
  FOREIGN KEY (run_id, idx) REFERENCES items (run_id, idx) ON DELETE CASCADE
);
CREATE TABLE verdicts (
  run_id        TEXT NOT NULL,
  idx           INTEGER NOT NULL,
  judge         TEXT NOT NULL,
  pos           INTEGER NOT NULL,
  judge_version TEXT NOT NULL,
  class         TEXT NOT NULL,
  violation     INTEGER NOT NULL,
  confidence    REAL NOT NULL,
  quality       INTEGER,
  severity      INTEGER,
  rationale     TEXT NOT NULL,
  evidence_json TEXT NOT NULL,
  PRIMARY KEY (run_id, idx, judge),
  FOREIGN KEY (run_id, idx) REFERENCES results (run_id, idx) ON DELETE CASCADE
);
)sql";

// Version 2: judge calibrations (one row per judge "name@version").
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE calibrations (
  judge           TEXT PRIMARY KEY,
  labels_hash     TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  true_positives  INTEGER NOT NULL,
  false_positives INTEGER NOT NULL,
  true_negatives  INTEGER NOT NULL,
  false_negatives INTEGER NOT NULL,
  details_json    TEXT NOT NULL
);
)sql";

// Append only: never edit a migration that has shipped.
// v3: the response cache (results remember the key their response answers), campaign
// batches and attacker-in-the-loop attack trees.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE results ADD COLUMN cache_key TEXT NOT NULL DEFAULT '';
ALTER TABLE results ADD COLUMN from_cache INTEGER NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN media_path TEXT NOT NULL DEFAULT '';
CREATE INDEX results_by_cache_key ON results (cache_key) WHERE cache_key != '' AND outcome = 'judged';
CREATE TABLE batches (
  run_id         TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  number         INTEGER NOT NULL,
  strategy       TEXT NOT NULL,
  started_at     TEXT NOT NULL,
  finished_at    TEXT NOT NULL,
  allocation_json TEXT NOT NULL,
  estimates_json TEXT NOT NULL,
  requests       INTEGER NOT NULL,
  tokens         INTEGER NOT NULL,
  stop_reason    TEXT NOT NULL,
  PRIMARY KEY (run_id, number)
);
CREATE TABLE attacks (
  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seed_id   TEXT NOT NULL,
  pos       INTEGER NOT NULL,
  item_idx  INTEGER NOT NULL,
  tree_json TEXT NOT NULL,
  PRIMARY KEY (run_id, seed_id)
);
)sql";

// v4: agents, leaks and distress. A result keeps the tool calls of its response (a JSON array,
// '' for none) and the deterministic checks' findings (a JSON object, '' when none ran); a
// verdict may say whether the response missed the user's distress (NULL: it did not say).
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE results ADD COLUMN tool_calls TEXT NOT NULL DEFAULT '';
ALTER TABLE results ADD COLUMN findings TEXT NOT NULL DEFAULT '';
ALTER TABLE verdicts ADD COLUMN missed_distress INTEGER;
)sql";

// v5: human annotation (core/annotation.h). Annotators log in with a token of which only the
// hash is kept; a round's items keep their order in round_items.position; rounds.position numbers
// rounds in creation order, for newest-first listing. A label or an adjudication belongs to an
// item of its round, so deleting a round (or its run) takes them with it.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE annotators (
  name        TEXT PRIMARY KEY,
  adjudicator INTEGER NOT NULL,
  token_hash  TEXT NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX annotators_by_token ON annotators (token_hash);
CREATE TABLE rounds (
  name       TEXT PRIMARY KEY,
  run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  sample     TEXT NOT NULL,
  overlap    INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  position   INTEGER NOT NULL UNIQUE
);
CREATE TABLE round_items (
  round      TEXT NOT NULL REFERENCES rounds (name) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  item_index INTEGER NOT NULL,
  PRIMARY KEY (round, item_index),
  UNIQUE (round, position)
);
CREATE TABLE labels (
  round       TEXT NOT NULL,
  item_index  INTEGER NOT NULL,
  annotator   TEXT NOT NULL REFERENCES annotators (name),
  class       TEXT NOT NULL,
  violation   INTEGER NOT NULL,
  quality     INTEGER,
  note        TEXT NOT NULL,
  labelled_at TEXT NOT NULL,
  PRIMARY KEY (round, item_index, annotator),
  FOREIGN KEY (round, item_index) REFERENCES round_items (round, item_index) ON DELETE CASCADE
);
CREATE TABLE adjudications (
  round       TEXT NOT NULL,
  item_index  INTEGER NOT NULL,
  adjudicator TEXT NOT NULL REFERENCES annotators (name),
  class       TEXT NOT NULL,
  violation   INTEGER NOT NULL,
  quality     INTEGER,
  note        TEXT NOT NULL,
  decided_at  TEXT NOT NULL,
  PRIMARY KEY (round, item_index),
  FOREIGN KEY (round, item_index) REFERENCES round_items (round, item_index) ON DELETE CASCADE
);
)sql";

// v6: the response cache's index holds an 8-byte hash of each key (CacheKeyHash in
// store_rows.h) instead of the key: the keys end in a conversation hash, so every row a batch
// saves lands on its own page of the index, and the smaller the entries, the fewer pages each
// commit rewrites. Existing rows get their hash (FillCacheHashes) before the index is built.
constexpr std::string_view kSchemaV6 = R"sql(
ALTER TABLE results ADD COLUMN cache_hash INTEGER NOT NULL DEFAULT 0;
DROP INDEX IF EXISTS results_by_cache_key;
)sql";
constexpr std::string_view kSchemaV6Index = R"sql(
CREATE INDEX results_by_cache_hash ON results (cache_hash) WHERE cache_key != '' AND outcome = 'judged';
)sql";

// Computes cache_hash for every row with a key, a chunk of rows at a time (a statement must not
// update the rows another one is still reading), then builds the index over them.
Status FillCacheHashes(SqliteDb& db) {
  constexpr int64_t kChunk = 4096;
  SV_ASSIGN_OR_RETURN(SqliteStatement read,
                      db.Prepare("SELECT rowid, cache_key FROM results WHERE rowid > ?"
                                 " AND cache_key != '' ORDER BY rowid LIMIT ?"));
  SV_ASSIGN_OR_RETURN(SqliteStatement write,
                      db.Prepare("UPDATE results SET cache_hash = ? WHERE rowid = ?"));
  std::vector<std::pair<int64_t, int64_t>> chunk;  // (rowid, hash)
  for (int64_t after = INT64_MIN;;) {
    chunk.clear();
    read.Reset();
    read.Bind(1, after).Bind(2, kChunk);
    while (true) {
      SV_ASSIGN_OR_RETURN(bool row, read.Step());
      if (!row) break;
      chunk.emplace_back(read.ColumnInt(0), CacheKeyHash(read.ColumnText(1)));
    }
    read.Reset();
    if (chunk.empty()) break;
    for (const auto& [rowid, hash] : chunk) {
      write.Reset();
      SV_RETURN_IF_ERROR(write.Bind(1, hash).Bind(2, rowid).Run());
    }
    after = chunk.back().first;
  }
  return db.Exec(std::string(kSchemaV6Index));
}

constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
    {6, kSchemaV6, &FillCacheHashes},
};
static_assert(std::size(kMigrations) == kStoreSchemaVersion,
              "kStoreSchemaVersion must be the version of the last migration");

Status NotAStore(const SqliteDb& db, const std::string& why) {
  return Status::IoError("'" + db.path() + "' is not a safeval store: " + why);
}

Result<int64_t> CountTables(SqliteDb& db, std::string_view where) {
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND " +
                                 std::string(where)));
  SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt(0) : 0;
}

Result<int> ParseVersion(const SqliteDb& db, const std::string& text) {
  int version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return NotAStore(db, "its schema_version '" + text + "' is not a positive number");
  }
  return version;
}

Status RefuseNewer(const SqliteDb& db, int version) {
  return Status::InvalidArgument("store " + db.path() + " has schema version " +
                                 std::to_string(version) + "; this safeval understands up to " +
                                 std::to_string(kStoreSchemaVersion) + " — upgrade safeval");
}

// An empty database may become a store; one holding other tables may not,
// so pointing --store at the wrong file never adds tables to it.
Status CheckEmpty(SqliteDb& db) {
  SV_ASSIGN_OR_RETURN(int64_t tables, CountTables(db, "name NOT LIKE 'sqlite_%'"));
  if (tables > 0) return NotAStore(db, "it holds another application's tables");
  return Status::Ok();
}

Status WriteVersion(SqliteDb& db, int version) {
  SV_ASSIGN_OR_RETURN(
      SqliteStatement stmt,
      db.Prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)"));
  return stmt.Bind(1, std::to_string(version)).Run();
}

Status ApplyMigrations(SqliteDb& db, int from) {
  for (const Migration& m : kMigrations) {
    if (m.version <= from) continue;
    std::string context = "migration to schema version " + std::to_string(m.version);
    SV_RETURN_IF_ERROR(db.Exec(std::string(m.sql)).WithContext(context));
    if (m.then) SV_RETURN_IF_ERROR(m.then(db).WithContext(context));
  }
  return WriteVersion(db, kStoreSchemaVersion);
}

}  // namespace

Result<int> ReadSchemaVersion(SqliteDb& db) {
  SV_ASSIGN_OR_RETURN(int64_t has_meta, CountTables(db, "name = 'meta'"));
  if (has_meta == 0) return 0;
  SV_ASSIGN_OR_RETURN(SqliteStatement stmt,
                      db.Prepare("SELECT value FROM meta WHERE key = 'schema_version'"));
  SV_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotAStore(db, "its meta table has no schema_version");
  return ParseVersion(db, stmt.ColumnText(0));
}

Status MigrateStore(SqliteDb& db) {
  SV_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db));
  if (version > kStoreSchemaVersion) return RefuseNewer(db, version);
  if (version == kStoreSchemaVersion) return Status::Ok();
  SV_ASSIGN_OR_RETURN(SqliteTransaction tx, SqliteTransaction::BeginImmediate(db));
  // Read again under the write lock: another process may have migrated meanwhile.
  SV_ASSIGN_OR_RETURN(version, ReadSchemaVersion(db));
  if (version > kStoreSchemaVersion) return RefuseNewer(db, version);
  if (version == kStoreSchemaVersion) return Status::Ok();
  if (version == 0) SV_RETURN_IF_ERROR(CheckEmpty(db));
  SV_RETURN_IF_ERROR(ApplyMigrations(db, version));
  return tx.Commit();
}

}  // namespace safeval::store_internal
