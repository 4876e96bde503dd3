// Random identifiers (UUIDs, request ids) and small string helpers shared by every module.
// All functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace durable {

// RFC 4122 version-4 UUID, lower-case, e.g. "7d0c1a6e-2b8e-4c55-9a1e-2b6f0c3b9d11".
std::string NewUuid();
// n random characters from [a-z0-9].
std::string RandomAlnum(size_t n);
// Base64 (standard alphabet, with padding) and its inverse; Base64Decode returns false on bad
// input.
std::string Base64Encode(std::string_view bytes);
bool Base64Decode(std::string_view text, std::string* out);
// Lower-case hex of raw bytes (two characters per byte).
std::string HexEncode(std::string_view bytes);
// Percent-decoding of one URL path segment or query value ("+" is kept unless plus_as_space).
std::string PercentDecode(std::string_view s, bool plus_as_space = false);
std::string PercentEncode(std::string_view s);

}  // namespace durable
