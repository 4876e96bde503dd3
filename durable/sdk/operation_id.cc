#include "durable/sdk/operation_id.h"

#include <openssl/evp.h>

#include <string>

#include "durable/base/ids.h"

namespace durable::sdk {

std::string Md5Hex(std::string_view s) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), digest, &len, EVP_md5(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

std::string HashOperationId(std::string_view raw_id) { return Md5Hex(raw_id).substr(0, 16); }

std::string RawOperationId(std::string_view prefix, int64_t n) {
  if (prefix.empty()) return std::to_string(n);
  return std::string(prefix) + "-" + std::to_string(n);
}

}  // namespace durable::sdk
