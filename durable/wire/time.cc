// Timestamp conversion between the engine's epoch milliseconds and the two wire forms: REST epoch
// seconds (number with millisecond fraction) and envelope epoch milliseconds (integer).
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "durable/base/time_format.h"
#include "durable/wire/json_util.h"

namespace durable::wire::internal {
namespace {

// |ms| beyond this is nonsense (year ~5000); it also keeps every conversion free of overflow.
constexpr double kMaxAbsMs = 1e14;

// A whole JSON-number-like string ("1769481309.631", "-5", "1e3").
std::optional<double> NumericString(const std::string& s) {
  if (s.empty() || std::isspace(static_cast<unsigned char>(s.front()))) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<TimestampMs> FromNumber(double value, TimeUnit unit) {
  double ms = unit == TimeUnit::kSeconds ? value * 1000.0 : value;
  if (!std::isfinite(ms) || std::fabs(ms) > kMaxAbsMs) return std::nullopt;
  return static_cast<TimestampMs>(std::llround(ms));
}

}  // namespace

OJson TimeToJson(TimestampMs ms, TimeUnit unit) {
  if (unit == TimeUnit::kMillis) return OJson(ms);
  if (ms % 1000 == 0) return OJson(ms / 1000);
  return OJson(static_cast<double>(ms) / 1000.0);
}

std::optional<TimestampMs> TimeFromJson(const Json& j, TimeUnit unit) {
  if (j.is_number_integer()) {  // exact path for integers (also unsigned)
    if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(kMaxAbsMs)) {
      return std::nullopt;
    }
    int64_t v = j.get<int64_t>();
    int64_t scale = unit == TimeUnit::kSeconds ? 1000 : 1;
    if (std::abs(static_cast<double>(v) * scale) > kMaxAbsMs) return std::nullopt;
    return v * scale;
  }
  if (j.is_number_float()) return FromNumber(j.get<double>(), unit);
  if (!j.is_string()) return std::nullopt;
  const std::string& s = j.get_ref<const std::string&>();
  if (std::optional<double> d = NumericString(s)) return FromNumber(*d, unit);
  return ParseIso8601(s);
}

std::optional<TimestampMs> ParseIso8601(std::string_view s) {
  return ParseDateTimeMs(s, {.space_separator = true,
                             .zone_optional = true,
                             .numeric_offset = true,
                             .offset_without_colon = true});
}

}  // namespace durable::wire::internal
