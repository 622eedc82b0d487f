// The rules scanner's whole-set vectorscan database (every pattern, no start offsets; see
// judge/rules_scanner.h): compiled, serialised at build time for the built-in set, and loaded
// back at run time so a run does not spend ~0.2 s of CPU compiling it.
//
// The build runs tools/rules_database_gen.cc, which compiles the built-in set with
// CompileWholeSet, serialises it (SerializeWholeSet) and writes a generated .cc that defines
// BuiltinWholeSetDatabase(). LoadWholeSet adopts those bytes only for a set whose
// fingerprint is the one they were built from, on a machine and vectorscan library that can
// run them; otherwise the caller compiles as before.
//
// Internal to judge/ (and the generator); vectorscan's types are only forward-declared here.
// Thread-safety: free functions over values; safe to call concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "judge/rules_pattern_set.h"

struct hs_database;       // hs_database_t
struct hs_compile_error;  // hs_compile_error_t

namespace safeval {

struct HsDatabaseDeleter {
  void operator()(hs_database* db) const;
};
using HsDatabasePtr = std::unique_ptr<hs_database, HsDatabaseDeleter>;

// A serialised whole-set database, the fingerprint of the set it was compiled from, and
// Hash64 of the bytes (vectorscan's own check misses some damaged bytes).
struct PrebuiltDatabase {
  std::string_view bytes;
  uint64_t fingerprint = 0;
  uint64_t bytes_hash = 0;
};

// The built-in set's database, serialised at build time (defined in the generated
// rules_database_builtin.cc). Its bytes live for the whole program.
PrebuiltDatabase BuiltinWholeSetDatabase();

// The vectorscan flags of every pattern of the whole-set database.
unsigned WholeSetFlags();

// Turns a vectorscan compile error (freed here) into InvalidArgument
// "<origin>:<line>: pattern '<id>': vectorscan: <message>", or "<origin>: vectorscan:
// <message>" when `index` (into set.patterns) is -1 or out of range.
Status VectorscanCompileError(const std::string& origin, const PatternSet& set, int index,
                              hs_compile_error* error);

// Every pattern of `set` in one database without start offsets, in block mode for this
// machine; the match id is the index into set.patterns. Errors as VectorscanCompileError.
Result<HsDatabasePtr> CompileWholeSet(const PatternSet& set, const std::string& origin);

// What CompileWholeSet sees of `set` (every pattern's index, id, regex and flags, in order)
// and the vectorscan version, hashed: equal fingerprints compile to equal databases.
uint64_t WholeSetFingerprint(const PatternSet& set);

// CompileWholeSet's database, serialised with hs_serialize_database. Fails as
// CompileWholeSet does, or with Internal when vectorscan cannot serialise it.
Result<std::string> SerializeWholeSet(const PatternSet& set, const std::string& origin);

// The database in `prebuilt` if it was built from `set` (equal fingerprints) and vectorscan
// can load it here; null otherwise: a different set, damaged bytes (bytes_hash), or a database
// for another CPU (HS_DB_PLATFORM_ERROR) or vectorscan version (HS_DB_VERSION_ERROR).
HsDatabasePtr LoadWholeSet(const PatternSet& set, const PrebuiltDatabase& prebuilt);

}  // namespace safeval
