#include "durable/api/params.h"

#include <charconv>

#include "durable/base/time_format.h"

namespace durable::api {

std::optional<TimestampMs> ParseRfc3339(std::string_view s) {
  return ParseDateTimeMs(s,
                         {.space_separator = true, .zone_optional = true, .numeric_offset = true});
}

Result<std::optional<int32_t>> IntParam(const http::Request& r, const std::string& name,
                                        int32_t min, int32_t max) {
  auto v = r.Query(name);
  if (!v) return std::optional<int32_t>();
  int32_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max) {
    return InvalidArgument(name + " must be an integer between " + std::to_string(min) + " and " +
                           std::to_string(max) + ".");
  }
  return std::optional<int32_t>(out);
}

Result<bool> BoolParam(const http::Request& r, const std::string& name, bool fallback) {
  auto v = r.Query(name);
  if (!v) return fallback;
  std::string s = *v;
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (s == "true") return true;
  if (s == "false") return false;
  return InvalidArgument(name + " must be true or false.");
}

Result<std::optional<TimestampMs>> TimeParam(const http::Request& r, const std::string& name) {
  auto v = r.Query(name);
  if (!v) return std::optional<TimestampMs>();
  auto t = ParseRfc3339(*v);
  if (!t)
    return InvalidArgument(name + " must be an ISO-8601 date-time, e.g. 2025-12-03T22:59:56Z.");
  return std::optional<TimestampMs>(*t);
}

}  // namespace durable::api
