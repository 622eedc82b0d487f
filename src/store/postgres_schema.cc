#include "store/postgres_schema.h"

#include <charconv>
#include <string_view>

namespace safeval::store_internal {
namespace {

struct Migration {
  int version;           // the schema version after this migration
  std::string_view sql;  // statements run inside the migration transaction
};

// Version 1: everything the SQLite store has at its version 5, in PostgreSQL types. Model text
// (responses, errors, rationales) is bytea: it may hold bytes text columns refuse (NUL). Keys
// that are compared by range or sorted use the "C" collation, so the order is the bytes' order
// as in SQLite, whatever the database's locale.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   text PRIMARY KEY,
  value text NOT NULL
);
CREATE TABLE runs (
  id              text COLLATE "C" PRIMARY KEY,
  suite_name      text NOT NULL,
  suite_path      text NOT NULL,
  target_name     text NOT NULL,
  target_identity text NOT NULL,
  demo            boolean NOT NULL,
  config_json     text NOT NULL,
  config_hash     text NOT NULL,
  dataset_hash    text NOT NULL,
  judges_json     text NOT NULL,
  seed            bigint NOT NULL,
  started_at      text COLLATE "C" NOT NULL,
  finished_at     text NOT NULL,
  status          text NOT NULL,
  output_dir      text NOT NULL
);
CREATE INDEX runs_by_start ON runs (started_at, id);
CREATE TABLE items (
  run_id      text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  idx         bigint NOT NULL,
  prompt_json text NOT NULL,
  category    text NOT NULL,
  intent      text NOT NULL,
  PRIMARY KEY (run_id, idx)
);
CREATE TABLE results (
  run_id            text COLLATE "C" NOT NULL,
  idx               bigint NOT NULL,
  outcome           text NOT NULL,
  response          bytea NOT NULL,
  error             bytea NOT NULL,
  http_status       integer NOT NULL,
  attempts          integer NOT NULL,
  latency_ms        bigint NOT NULL,
  prompt_tokens     integer NOT NULL,
  completion_tokens integer NOT NULL,
  cache_key         text COLLATE "C" NOT NULL DEFAULT '',
  from_cache        boolean NOT NULL DEFAULT false,
  media_path        text NOT NULL DEFAULT '',
  tool_calls        text NOT NULL DEFAULT '',
  findings          text NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, idx),
  FOREIGN KEY (run_id, idx) REFERENCES items (run_id, idx) ON DELETE CASCADE
);
CREATE INDEX results_by_cache_key ON results (cache_key)
  WHERE cache_key <> '' AND outcome = 'judged';
CREATE TABLE verdicts (
  run_id          text COLLATE "C" NOT NULL,
  idx             bigint NOT NULL,
  judge           text COLLATE "C" NOT NULL,
  pos             integer NOT NULL,
  judge_version   text NOT NULL,
  class           text NOT NULL,
  violation       boolean NOT NULL,
  confidence      double precision NOT NULL,
  quality         integer,
  severity        integer,
  rationale       bytea NOT NULL,
  evidence_json   text NOT NULL,
  missed_distress boolean,
  PRIMARY KEY (run_id, idx, judge),
  FOREIGN KEY (run_id, idx) REFERENCES results (run_id, idx) ON DELETE CASCADE
);
CREATE INDEX verdicts_by_pos ON verdicts (run_id, idx, pos);
CREATE TABLE calibrations (
  judge           text PRIMARY KEY,
  labels_hash     text NOT NULL,
  created_at      text NOT NULL,
  true_positives  bigint NOT NULL,
  false_positives bigint NOT NULL,
  true_negatives  bigint NOT NULL,
  false_negatives bigint NOT NULL,
  details_json    text NOT NULL
);
CREATE TABLE batches (
  run_id          text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  number          integer NOT NULL,
  strategy        text NOT NULL,
  started_at      text NOT NULL,
  finished_at     text NOT NULL,
  allocation_json text NOT NULL,
  estimates_json  text NOT NULL,
  requests        bigint NOT NULL,
  tokens          bigint NOT NULL,
  stop_reason     text NOT NULL,
  PRIMARY KEY (run_id, number)
);
CREATE TABLE attacks (
  run_id    text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seed_id   text NOT NULL,
  pos       integer NOT NULL,
  item_idx  bigint NOT NULL,
  tree_json text NOT NULL,
  PRIMARY KEY (run_id, seed_id)
);
CREATE TABLE annotators (
  name        text COLLATE "C" PRIMARY KEY,
  adjudicator boolean NOT NULL,
  token_hash  text NOT NULL,
  created_at  text NOT NULL
);
CREATE INDEX annotators_by_token ON annotators (token_hash);
CREATE TABLE rounds (
  name       text COLLATE "C" PRIMARY KEY,
  run_id     text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  sample     text NOT NULL,
  overlap    integer NOT NULL,
  created_at text NOT NULL,
  position   bigint NOT NULL UNIQUE
);
CREATE TABLE round_items (
  round      text COLLATE "C" NOT NULL REFERENCES rounds (name) ON DELETE CASCADE,
  position   bigint NOT NULL,
  item_index bigint NOT NULL,
  PRIMARY KEY (round, item_index),
  UNIQUE (round, position)
);
CREATE TABLE labels (
  round       text COLLATE "C" NOT NULL,
  item_index  bigint NOT NULL,
  annotator   text COLLATE "C" NOT NULL REFERENCES annotators (name),
  class       text NOT NULL,
  violation   boolean NOT NULL,
  quality     integer,
  note        text NOT NULL,
  labelled_at text NOT NULL,
  PRIMARY KEY (round, item_index, annotator),
  FOREIGN KEY (round, item_index) REFERENCES round_items (round, item_index) ON DELETE CASCADE
);
CREATE TABLE adjudications (
  round       text COLLATE "C" NOT NULL,
  item_index  bigint NOT NULL,
  adjudicator text COLLATE "C" NOT NULL REFERENCES annotators (name),
  class       text NOT NULL,
  violation   boolean NOT NULL,
  quality     integer,
  note        text NOT NULL,
  decided_at  text NOT NULL,
  PRIMARY KEY (round, item_index),
  FOREIGN KEY (round, item_index) REFERENCES round_items (round, item_index) ON DELETE CASCADE
);
)sql";

// Version 2: the distributed work queue (store/postgres_work_queue.h) — a run's batches and
// their leases, the workers, and which workers served which run. Until this migration existed
// the queue created these tables itself when it was opened, so a version-1 store may already
// hold them: IF NOT EXISTS keeps those (and their rows).
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE IF NOT EXISTS work_batches (
  run_id           text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  number           bigint NOT NULL,
  first_index      bigint NOT NULL,
  end_index        bigint NOT NULL,
  state            text NOT NULL DEFAULT 'pending',
  worker           text NOT NULL DEFAULT '',
  lease_expires_at timestamptz,
  leases           integer NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, number)
);
CREATE INDEX IF NOT EXISTS work_batches_open ON work_batches (number, run_id)
  WHERE state <> 'done';
CREATE TABLE IF NOT EXISTS workers (
  id         text PRIMARY KEY,
  host       text NOT NULL,
  pid        bigint NOT NULL,
  run_id     text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen  timestamptz NOT NULL DEFAULT now(),
  items_done bigint NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS work_run_workers (
  run_id    text COLLATE "C" NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  worker_id text NOT NULL,
  PRIMARY KEY (run_id, worker_id)
);
)sql";

// Append only: never edit a migration that has shipped.
constexpr Migration kMigrations[] = {
    {1, kSchemaV1},
    {2, kSchemaV2},
};
static_assert(std::size(kMigrations) == kPostgresSchemaVersion,
              "kPostgresSchemaVersion must be the version of the last migration");

// Any number: the key of the advisory lock that serialises migrations of one database.
constexpr int64_t kMigrationLock = 0x5afe7a1;

Status NotAStore(const PgConnection& db, const std::string& why) {
  return Status::IoError("'" + db.label() + "' is not a safeval store: " + why);
}

Status RefuseNewer(const PgConnection& db, int version) {
  return Status::InvalidArgument("store " + db.label() + " has schema version " +
                                 std::to_string(version) + "; this safeval understands up to " +
                                 std::to_string(kPostgresSchemaVersion) + " — upgrade safeval");
}

Result<int> ReadVersion(const PgConnection& db, pqxx::transaction_base& tx) {
  // In the current schema only: a meta table further along the search_path is another store's.
  pqxx::row has_meta = tx.exec1(
      "SELECT current_schema() IS NOT NULL AND"
      " to_regclass(quote_ident(current_schema()) || '.meta') IS NOT NULL");
  if (!has_meta[0].as<bool>()) return 0;
  pqxx::result rows = tx.exec("SELECT value FROM meta WHERE key = 'schema_version'");
  if (rows.empty()) return NotAStore(db, "its meta table has no schema_version");
  std::string text = PgText(rows[0][0]);
  int version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc() || end != text.data() + text.size() || version < 1) {
    return NotAStore(db, "its schema_version '" + text + "' is not a positive number");
  }
  return version;
}

Status Migrate(PgConnection& db, int target) {
  pqxx::work tx(db.conn());
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
  SV_ASSIGN_OR_RETURN(int version, ReadVersion(db, tx));
  if (version > kPostgresSchemaVersion) return RefuseNewer(db, version);
  if (version >= target) return Status::Ok();
  if (version == 0) {
    // A schema holding other tables is someone else's: never add tables to it.
    pqxx::row tables =
        tx.exec1("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
    if (tables[0].as<int64_t>() > 0) return NotAStore(db, "it holds another application's tables");
  }
  for (const Migration& m : kMigrations) {
    if (m.version <= version || m.version > target) continue;
    tx.exec(std::string(m.sql));
  }
  tx.exec_params(
      "INSERT INTO meta (key, value) VALUES ('schema_version', $1)"
      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      std::to_string(target));
  tx.commit();
  return Status::Ok();
}

}  // namespace

Result<int> ReadPostgresSchemaVersion(PgConnection& db) {
  return PgCall(db, [&]() -> Result<int> {
    pqxx::read_transaction tx(db.conn());
    return ReadVersion(db, tx);
  });
}

Status MigratePostgresStore(PgConnection& db) {
  return MigratePostgresStoreTo(db, kPostgresSchemaVersion);
}

Status MigratePostgresStoreTo(PgConnection& db, int target) {
  if (target < 1 || target > kPostgresSchemaVersion) {
    return Status::InvalidArgument("no PostgreSQL schema version " + std::to_string(target));
  }
  // Most opens find the store current: check without the lock first.
  SV_ASSIGN_OR_RETURN(int version, ReadPostgresSchemaVersion(db));
  if (version > kPostgresSchemaVersion) return RefuseNewer(db, version);
  if (version >= target) return Status::Ok();
  return PgCall(db, [&] { return Migrate(db, target); }).WithContext("migrating the schema");
}

}  // namespace safeval::store_internal
