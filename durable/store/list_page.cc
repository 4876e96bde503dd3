#include "durable/store/list_page.h"

#include <charconv>

#include "durable/base/ids.h"

namespace durable::store {
namespace {
constexpr std::string_view kMarkerPrefix = "v1:";
}  // namespace

int32_t ListPageSize(std::optional<int32_t> max_items) {
  if (!max_items || *max_items <= 0) return kDefaultListPageSize;
  return *max_items > kMaxListPageSize ? kMaxListPageSize : *max_items;
}

std::string EncodeListMarker(const ListCursor& cursor) {
  return Base64Encode(std::string(kMarkerPrefix) + std::to_string(cursor.start_timestamp) + ":" +
                      cursor.arn);
}

Result<ListCursor> DecodeListMarker(const std::string& marker) {
  std::string text;
  if (!Base64Decode(marker, &text) || text.rfind(kMarkerPrefix, 0) != 0) {
    return InvalidArgument("invalid Marker");
  }
  std::string_view rest = std::string_view(text).substr(kMarkerPrefix.size());
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) return InvalidArgument("invalid Marker");
  ListCursor cursor;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + colon, cursor.start_timestamp);
  if (ec != std::errc() || ptr != rest.data() + colon) return InvalidArgument("invalid Marker");
  cursor.arn = std::string(rest.substr(colon + 1));
  return cursor;
}

bool IsAfterCursor(const model::DurableExecution& e, const ListCursor& cursor, bool newest_first) {
  if (e.start_timestamp != cursor.start_timestamp) {
    return newest_first ? e.start_timestamp < cursor.start_timestamp
                        : e.start_timestamp > cursor.start_timestamp;
  }
  return newest_first ? e.arn < cursor.arn : e.arn > cursor.arn;
}

}  // namespace durable::store
