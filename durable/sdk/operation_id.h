// Operation id derivation, identical to the official JS SDK (protocol.md §4.1): raw step ids are
// "<n>" at the root and "<prefix>-<n>" in child contexts; the wire id is the first 16 lower-case
// hex characters of MD5(raw id). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace durable::sdk {

// Lower-case hex MD5 of the UTF-8 bytes of `s` (32 characters).
std::string Md5Hex(std::string_view s);
// Wire id of a raw step id: Md5Hex(raw).substr(0, 16).
std::string HashOperationId(std::string_view raw_id);
// Raw id of the n-th (1-based) operation in a context whose raw prefix is `prefix` ("" = root).
std::string RawOperationId(std::string_view prefix, int64_t n);

}  // namespace durable::sdk
