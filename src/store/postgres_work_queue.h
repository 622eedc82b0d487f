// The PostgreSQL WorkQueue (store/work_queue.h): a distributed run's batches and its workers in
// tables beside the store's own, work_batches, workers and work_run_workers (the PostgreSQL
// store's schema version 2, store/postgres_schema.cc).
//
// Leasing is `SELECT … FOR UPDATE SKIP LOCKED` on work_batches, so concurrent workers never
// wait for one another and never get the same batch; every expiry is decided by the database
// clock (now()), never by a worker's, so hosts with skewed clocks agree. A batch row stays locked
// while a worker saves results under its lease (SaveLeasedResults), so the batch cannot be
// re-leased half-way through a save.
//
// Thread-safety: one object is one connection; calls are serialised by an internal mutex, so
// the object may be shared, but a heartbeat thread should have its own queue so that it is not
// held up by a long save.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/work_queue.h"

namespace safeval {

// Connects to the PostgreSQL store at `url` (a postgresql:// URL, see store/open_store.h) and
// migrates its schema (creating the store, the queue's tables included, when it is new), as
// OpenStore does. Unavailable "cannot connect to store <label>: …" when
// it cannot connect; IoError for a failed statement. The URL's password never appears in a
// message.
Result<std::unique_ptr<WorkQueue>> OpenPostgresWorkQueue(const std::string& url);

}  // namespace safeval
