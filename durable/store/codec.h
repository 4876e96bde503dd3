// The store-private binary encoding (version byte, varints, length-prefixed strings; see
// docs/storage.md) of operations, events and error objects inside SQL rows; never a wire format.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "durable/base/result.h"
#include "durable/model/event.h"
#include "durable/model/operation.h"
#include "durable/model/types.h"

namespace durable::store::codec {

// The unsigned varint (7 bits a byte, low first) of this encoding; the SQLite row framing
// (sqlite/row_codec.h) uses it too.
void PutVarint(std::string& out, uint64_t v);
// Reads one varint at `pos` and moves `pos` past it; false if it is cut short or too long.
bool GetVarint(std::string_view in, size_t& pos, uint64_t& v);

std::string EncodeOperation(const model::OperationRecord& record);
Result<model::OperationRecord> DecodeOperation(std::string_view bytes);  // kInternal if corrupt

std::string EncodeEvent(const model::Event& event);
Result<model::Event> DecodeEvent(std::string_view bytes);

std::string EncodeError(const model::ErrorObject& error);
Result<model::ErrorObject> DecodeError(std::string_view bytes);

}  // namespace durable::store::codec
