// Paging helpers shared by every Store backend's List: the page size rule and the opaque marker
// (base64 of the last returned (start_timestamp, arn) key). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "durable/base/clock.h"
#include "durable/base/result.h"
#include "durable/model/execution.h"

namespace durable::store {

inline constexpr int32_t kDefaultListPageSize = 100;
inline constexpr int32_t kMaxListPageSize = 1000;

// Absent or <= 0 -> 100; above 1000 -> 1000.
int32_t ListPageSize(std::optional<int32_t> max_items);

// The sort key of List: executions are ordered by (start_timestamp, arn).
struct ListCursor {
  TimestampMs start_timestamp = 0;
  std::string arn;
};

std::string EncodeListMarker(const ListCursor& cursor);
// kInvalidArgument for a marker that EncodeListMarker did not produce.
Result<ListCursor> DecodeListMarker(const std::string& marker);

// True if `e` comes strictly after `cursor` in the list order (newest_first = descending).
bool IsAfterCursor(const model::DurableExecution& e, const ListCursor& cursor, bool newest_first);

}  // namespace durable::store
