#include "durable/sdk/operation_id.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <string>

#include "durable/base/ids.h"

namespace durable::sdk {
namespace {

// MD5 through a digest fetched once and a context reused per thread. EVP_Digest(…, EVP_md5())
// fetches the algorithm from the provider and allocates a context on every call, which cost more
// than the hashing itself: replaying K steps hashes K ids.
const EVP_MD* Md5() {
  static const EVP_MD* md = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "MD5", nullptr);
    return fetched != nullptr ? fetched : EVP_md5();
  }();
  return md;
}

// Writes the digest of `s` to `digest` (at least EVP_MAX_MD_SIZE bytes); returns its length.
unsigned int Md5(std::string_view s, unsigned char* digest) {
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, CtxFree> ctx(EVP_MD_CTX_new());
  unsigned int len = 0;
  if (ctx && EVP_DigestInit_ex2(ctx.get(), Md5(), nullptr) == 1 &&
      EVP_DigestUpdate(ctx.get(), s.data(), s.size()) == 1 &&
      EVP_DigestFinal_ex(ctx.get(), digest, &len) == 1) {
    return len;
  }
  len = 0;  // out of memory: fall back to the one-shot call
  EVP_Digest(s.data(), s.size(), digest, &len, EVP_md5(), nullptr);
  return len;
}

}  // namespace

std::string Md5Hex(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = Md5(s, digest);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string HashOperationId(std::string_view raw_id) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = Md5(raw_id, digest);
  // 16 hex characters: the first 8 bytes.
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), std::min(len, 8u)));
}

std::string RawOperationId(std::string_view prefix, int64_t n) {
  if (prefix.empty()) return std::to_string(n);
  return std::string(prefix) + "-" + std::to_string(n);
}

}  // namespace durable::sdk
