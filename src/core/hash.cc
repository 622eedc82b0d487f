#include "core/hash.h"

#include <xxhash.h>

#include <cstdio>

namespace safeval {

uint64_t Hash64(std::string_view data) { return XXH3_64bits(data.data(), data.size()); }

std::string Hex16(uint64_t value) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value));
  return buf;
}

Hasher::Hasher() : state_(XXH3_createState()) { XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_)); }
Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }

Hasher& Hasher::Add(std::string_view piece) {
  auto* s = static_cast<XXH3_state_t*>(state_);
  uint64_t len = piece.size();
  XXH3_64bits_update(s, &len, sizeof len);
  XXH3_64bits_update(s, piece.data(), piece.size());
  return *this;
}

uint64_t Hasher::Digest() const { return XXH3_64bits_digest(static_cast<XXH3_state_t*>(state_)); }

}  // namespace safeval
