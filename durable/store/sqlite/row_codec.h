// The compact framing of operation and event blobs in SQLite rows (schema version 3). Internal to
// the SQLite backend; pure functions, thread-safe.
//
// A framed blob is: the byte 0xC3, a varint `ref` (0 = none, else an event id of the same
// execution), then a store codec blob (durable/store/codec.h) with its zero bytes run-length
// coded (each 0x00 is followed by a varint count of the zeros in the run). What `ref` means:
// - an event: its id, name, sub_type and parent_id were left out and equal those of event `ref`
//   (an earlier event of the same commit, itself written without a ref);
// - an operation: its id was left out (it is the row's key); `ref` is 2 * event id + flag. With
//   an event id, the result of its first present details (step, context, callback, chained
//   invoke) was left out: it equals the result payload of that event (written in the same commit,
//   not truncated); with the flag also its name, sub_type and parent_id, equal to the event's.
// Framed blobs also leave out what the key holds (an event's id) and store timestamps as
// differences (modulo 2^64): an event's timestamp from its `ref` event's, an operation's start from
// its result event's, its end from its start.
// Events are never changed after they are written, so a reference to one always resolves to the
// bytes that were written. Blobs written before version 3 (codec format byte 1) still decode.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "durable/base/result.h"
#include "durable/model/event.h"
#include "durable/model/operation.h"

namespace durable::store::sqlite {

// Events are keyed by one integer: the execution's key times 2^32 plus the event id.
inline constexpr int64_t kEventIdLimit = int64_t{1} << 32;
inline constexpr int64_t EventKey(int64_t exec, int64_t event_id) {
  return exec * kEventIdLimit + event_id;
}

// Reads a whole event of the same execution by id (kInternal/kNotFound if missing).
using EventLoader = std::function<Result<model::Event>(int64_t event_id)>;

// The event `events[index]` can refer to for its id, name, sub_type and parent_id, or null.
const model::Event* EventBase(const std::vector<model::Event>& events, size_t index);
// The event of `events` whose result payload equals `rec`'s result, or null.
const model::Event* ResultEvent(const model::OperationRecord& rec,
                                const std::vector<model::Event>& events);

std::string PackEvent(const model::Event& event, const model::Event* base);
// `event_id` is the one in the row's key.
Result<model::Event> UnpackEvent(std::string_view blob, int64_t event_id, const EventLoader& load);

std::string PackOperation(const model::OperationRecord& rec, const model::Event* result_event);

// The event a framed blob refers to, read from its header without decoding the rest: for an
// event, the event its id, name, sub_type and parent_id come from; for an operation, the event
// holding its result. 0 if none (also for unframed and corrupt blobs: decoding reports those).
// Lets a reader fetch every event a set of rows needs in one pass instead of one lookup each.
int64_t EventRefOfEvent(std::string_view blob);
int64_t EventRefOfOperation(std::string_view blob);
// `id` is the row's key.
Result<model::OperationRecord> UnpackOperation(std::string_view id, std::string_view blob,
                                               const EventLoader& load);

}  // namespace durable::store::sqlite
