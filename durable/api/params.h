// Validation of query-string and header parameters of the Lambda REST API. Every failure is an
// InvalidArgument Status whose message names the parameter. Thread-safe (pure functions).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "durable/base/clock.h"
#include "durable/base/result.h"
#include "durable/http/http.h"

namespace durable::api {

// Optional integer query parameter within [min, max].
Result<std::optional<int32_t>> IntParam(const http::Request& r, const std::string& name,
                                        int32_t min, int32_t max);
// Optional boolean query parameter ("true" / "false", case-insensitive); `fallback` when absent.
Result<bool> BoolParam(const http::Request& r, const std::string& name, bool fallback);
// Optional ISO-8601 / RFC 3339 timestamp query parameter, e.g. 2025-12-03T22:59:56.123Z.
Result<std::optional<TimestampMs>> TimeParam(const http::Request& r, const std::string& name);
// Parses an RFC 3339 date-time to epoch milliseconds (fraction and offsets supported).
std::optional<TimestampMs> ParseRfc3339(std::string_view text);

}  // namespace durable::api
