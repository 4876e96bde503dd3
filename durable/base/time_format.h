// RFC 3339 date-time text <-> epoch milliseconds (proleptic Gregorian calendar, UTC). The one
// parser and formatter behind the REST API's timestamp parameters, the wire's ISO-8601 strings
// and the approvals API's times; each caller picks the variants it accepts. Pure functions;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "durable/base/clock.h"

namespace durable {

// Variants accepted on top of the strict form "YYYY-MM-DDTHH:MM:SS[.fraction]Z". A lower-case
// 't' / 'z' is always accepted (RFC 3339 allows it); fraction digits beyond milliseconds are
// truncated.
struct DateTimeSyntax {
  bool space_separator = false;       // "2025-12-03 22:59:56Z"
  bool zone_optional = false;         // no zone designator: read as UTC
  bool numeric_offset = false;        // "+01:00", "-05:30"
  bool offset_without_colon = false;  // "+0100" (only with numeric_offset)
};

// Parses `text` to epoch milliseconds; nullopt when it is not a date-time of `syntax`.
std::optional<TimestampMs> ParseDateTimeMs(std::string_view text, DateTimeSyntax syntax = {});

// Formats as RFC 3339 UTC with milliseconds: "2025-11-26T17:40:00.123Z".
std::string FormatDateTimeMs(TimestampMs ms);

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int month, int day);

}  // namespace durable
