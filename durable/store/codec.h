// The store-private binary encoding (version byte, varints, length-prefixed strings; see
// docs/storage.md) of operations, events and error objects inside SQL rows; never a wire format.
// Pure functions; thread-safe.
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
