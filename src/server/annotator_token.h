// Annotator login tokens: random, shown once by `safeval annotators add`, stored only as a
// SHA-256 hash (AnnotationStore), never logged.
#pragma once

#include <cstddef>
#include <string>

namespace safeval {

// `bytes` bytes from the operating system's CSPRNG (OpenSSL RAND_bytes), as lower-case hex.
std::string RandomHex(size_t bytes);
// A new login token: "sv_" + 32 random bytes as hex.
std::string NewAnnotatorToken();
// The SHA-256 of the token, lower-case hex: what the store keeps.
std::string TokenHash(const std::string& token);

}  // namespace safeval
