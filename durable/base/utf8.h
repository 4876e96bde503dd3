// Strict UTF-8 checks (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF), shared by
// input validation and by the JSON writers that replace invalid bytes with U+FFFD. Pure
// functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace durable {

// Length (1-4) of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are not one.
// Requires i < s.size().
size_t Utf8SequenceLength(std::string_view s, size_t i);

// True when all of `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace durable
