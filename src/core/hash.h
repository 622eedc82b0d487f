// Content hashes: stable 64-bit hashes (xxHash3) written as 16 hex digits.
// Used for dataset and config identity and the response cache key. Not cryptographic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace safeval {

uint64_t Hash64(std::string_view data);
std::string Hex16(uint64_t value);
inline std::string ContentHash(std::string_view data) { return Hex16(Hash64(data)); }

// Incremental hashing of many pieces (each piece is length-prefixed, so
// {"ab","c"} and {"a","bc"} differ).
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher& Add(std::string_view piece);
  uint64_t Digest() const;
  std::string HexDigest() const { return Hex16(Digest()); }

 private:
  void* state_;  // XXH3_state_t*, kept opaque so xxhash.h stays out of this header
};

}  // namespace safeval
