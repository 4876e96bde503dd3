#include "durable/http/target.h"

#include "durable/base/ids.h"

namespace durable::http {

std::vector<std::string> SplitPathSegments(std::string_view raw_path) {
  std::vector<std::string> segments;
  if (!raw_path.empty() && raw_path.front() == '/') raw_path.remove_prefix(1);
  if (!raw_path.empty() && raw_path.back() == '/') raw_path.remove_suffix(1);
  if (raw_path.empty()) return segments;
  size_t start = 0;
  while (true) {
    size_t slash = raw_path.find('/', start);
    std::string_view piece = raw_path.substr(start, slash - start);
    segments.push_back(PercentDecode(piece));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

std::multimap<std::string, std::string> ParseQueryString(std::string_view query) {
  std::multimap<std::string, std::string> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string_view pair = query.substr(start, amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
      out.emplace(PercentDecode(key, true), PercentDecode(value, true));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

ParsedTarget ParseTarget(std::string_view target) {
  ParsedTarget parsed;
  size_t q = target.find('?');
  parsed.raw_path = std::string(target.substr(0, q));
  parsed.segments = SplitPathSegments(parsed.raw_path);
  if (q != std::string_view::npos) parsed.query = ParseQueryString(target.substr(q + 1));
  return parsed;
}

}  // namespace durable::http
