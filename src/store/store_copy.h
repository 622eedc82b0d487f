// Copying runs and annotations from one store to another (SQLite ↔ PostgreSQL), through the
// Store and AnnotationStore interfaces only, in bounded memory: `safeval store copy FROM TO`.
//
// A copy is idempotent and finishes an interrupted one: a run already in the target with the
// same config hash and item count gets every result saved again (results replace results), a
// run with the same id but other content is refused; annotators, rounds, labels and
// adjudications already there are kept and the missing ones added. The response cache travels
// with the results (a result's cache key stores its response under that key).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/annotation_store.h"
#include "store/store.h"

namespace safeval {

struct StoreCopyStats {
  int64_t runs_copied = 0;        // created in the target
  int64_t runs_completed = 0;     // already there (an earlier copy): results saved again
  int64_t items = 0;
  int64_t results = 0;
  int64_t batches = 0;            // campaign batches
  int64_t calibrations = 0;       // of the copied runs' judges
  int64_t attack_trees = 0;       // attacker trees (Store::SaveAttackTree)
  int64_t annotators = 0;         // added (without a login: `annotators reset-token NAME`)
  int64_t rounds = 0;
  int64_t labels = 0;
  int64_t adjudications = 0;
};

// Copies the run `run_id` of `from` into `to`: its record, planned items, results with their
// verdicts, campaign batches, the calibrations of its judges, and its attacker trees (in their
// order; an attack's item and result travel as any other item's). NotFound for an unknown run;
// InvalidArgument when `to` has a different run under that id.
Status CopyRun(Store& from, Store& to, const std::string& run_id, StoreCopyStats* stats);

// Copies every annotator (without its login), and every round whose run is in `to` with its
// labels and adjudications. `random_hex(32)` makes the unusable token hash of a copied annotator.
Status CopyAnnotations(AnnotationStore& from, AnnotationStore& to, Store& to_runs,
                       const std::function<std::string(size_t)>& random_hex, StoreCopyStats* stats);

}  // namespace safeval
