// Timestamp conversion between the engine's epoch milliseconds and the two wire forms: REST epoch
// seconds (number with millisecond fraction) and envelope epoch milliseconds (integer).
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "durable/wire/json_util.h"

namespace durable::wire::internal {
namespace {

// |ms| beyond this is nonsense (year ~5000); it also keeps every conversion free of overflow.
constexpr double kMaxAbsMs = 1e14;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil algorithm).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads exactly `n` digits at s[*pos].
bool Digits(std::string_view s, size_t* pos, int n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// Parses the zone suffix at s[pos..]: "", "Z", "+HH:MM", "-HHMM". Returns the offset in minutes.
std::optional<int> ParseZone(std::string_view s, size_t pos) {
  if (pos == s.size()) return 0;
  if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) return 0;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  int hh = 0, mm = 0;
  if (!Digits(s, &pos, 2, &hh)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (!Digits(s, &pos, 2, &mm) || pos != s.size()) return std::nullopt;
  return sign * (hh * 60 + mm);
}

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
  size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!Digits(s, &pos, 4, &year) || !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &month) ||
      !Expect(s, &pos, '-') || !Digits(s, &pos, 2, &day)) {
    return std::nullopt;
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!Digits(s, &pos, 2, &hour) || !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &minute) ||
      !Expect(s, &pos, ':') || !Digits(s, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100, digits = 0;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      millis += (s[pos] - '0') * scale;  // digits beyond milliseconds are truncated
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  std::optional<int> offset_minutes = ParseZone(s, pos);
  if (!offset_minutes) return std::nullopt;
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - *offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace durable::wire::internal
