#include "judge/rules_database.h"

#include <hs.h>

#include <cstdlib>
#include <vector>

#include "core/hash.h"

namespace safeval {
namespace {

// Text is normalised to lower case already; CASELESS keeps patterns written
// with capitals working.
constexpr unsigned kFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8;

}  // namespace

void HsDatabaseDeleter::operator()(hs_database* db) const { hs_free_database(db); }

unsigned WholeSetFlags() { return kFlags; }

Status VectorscanCompileError(const std::string& origin, const PatternSet& set, int index,
                              hs_compile_error* error) {
  std::string message = error && error->message ? error->message : "unknown error";
  hs_free_compile_error(error);
  if (index < 0 || static_cast<size_t>(index) >= set.patterns.size())
    return Status::InvalidArgument(origin + ": vectorscan: " + message);
  const PatternSpec& spec = set.patterns[static_cast<size_t>(index)];
  return Status::InvalidArgument(origin + ":" + std::to_string(spec.line) + ": pattern '" +
                                 spec.id + "': vectorscan: " + message);
}

Result<HsDatabasePtr> CompileWholeSet(const PatternSet& set, const std::string& origin) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    expressions.push_back(set.patterns[i].regex.c_str());
    flags.push_back(kFlags);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(expressions.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS)
    return VectorscanCompileError(origin, set, error ? error->expression : -1, error);
  return HsDatabasePtr(db);
}

uint64_t WholeSetFingerprint(const PatternSet& set) {
  Hasher hasher;
  hasher.Add("rules whole-set database v1").Add(hs_version());
  hasher.Add(std::to_string(HS_MODE_BLOCK)).Add(std::to_string(kFlags));
  for (size_t i = 0; i < set.patterns.size(); ++i) {
    const PatternSpec& spec = set.patterns[i];
    hasher.Add(std::to_string(i)).Add(spec.id).Add(spec.regex);
  }
  return hasher.Digest();
}

Result<std::string> SerializeWholeSet(const PatternSet& set, const std::string& origin) {
  SV_ASSIGN_OR_RETURN(HsDatabasePtr db, CompileWholeSet(set, origin));
  char* bytes = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db.get(), &bytes, &length) != HS_SUCCESS)
    return Status::Internal(origin + ": vectorscan could not serialise the database");
  std::string serialized(bytes, length);
  std::free(bytes);  // allocated by vectorscan's misc allocator, malloc by default
  return serialized;
}

HsDatabasePtr LoadWholeSet(const PatternSet& set, const PrebuiltDatabase& prebuilt) {
  if (prebuilt.bytes.empty() || prebuilt.fingerprint != WholeSetFingerprint(set) ||
      prebuilt.bytes_hash != Hash64(prebuilt.bytes))
    return nullptr;
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(prebuilt.bytes.data(), prebuilt.bytes.size(), &db) != HS_SUCCESS)
    return nullptr;
  return HsDatabasePtr(db);
}

}  // namespace safeval
