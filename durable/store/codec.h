// The store-private binary encoding of operations, events and error objects, shared by the SQL
// backends (rows keep the queried fields as columns and the rest as one blob). Format: a version
// byte, then fields in a fixed order as varints and length-prefixed strings; see docs/storage.md.
// Pure functions; thread-safe. Not a wire format: never leaves the database.
#pragma once

#include <string>
#include <string_view>

#include "durable/base/result.h"
#include "durable/model/event.h"
#include "durable/model/operation.h"
#include "durable/model/types.h"

namespace durable::store::codec {

std::string EncodeOperation(const model::OperationRecord& record);
Result<model::OperationRecord> DecodeOperation(std::string_view bytes);  // kInternal if corrupt

std::string EncodeEvent(const model::Event& event);
Result<model::Event> DecodeEvent(std::string_view bytes);

std::string EncodeError(const model::ErrorObject& error);
Result<model::ErrorObject> DecodeError(std::string_view bytes);

}  // namespace durable::store::codec
