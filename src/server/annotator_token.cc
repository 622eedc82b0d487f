#include "server/annotator_token.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <memory>
#include <vector>

namespace safeval {
namespace {

std::string Hex(const unsigned char* data, size_t size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 15];
  }
  return out;
}

}  // namespace

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  // RAND_bytes fails only when the OS cannot seed the CSPRNG; a predictable token would be
  // worse than no server, so that ends the process.
  if (bytes > 0 && RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) std::abort();
  return Hex(buffer.data(), buffer.size());
}

std::string NewAnnotatorToken() { return "sv_" + RandomHex(32); }

std::string TokenHash(const std::string& token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), token.data(), token.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &length) != 1) {
    std::abort();  // only on allocation failure inside OpenSSL
  }
  return Hex(digest, length);
}

}  // namespace safeval
