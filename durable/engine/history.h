// Builders for history events (protocol.md §8.2/§8.3): each assigns the next EventId of the
// execution and copies Id/Name/SubType/ParentId from the operation. Pure. Thread-compatible.
#pragma once

#include <optional>
#include <string>

#include "durable/engine/state.h"
#include "durable/model/event.h"

namespace durable::engine {

// A new event of `type` with the next EventId, appended to `t`; returns a reference to it.
model::Event& AppendEvent(ExecutionState& s, Transition& t, model::EventType type, TimestampMs now);
// Same, with the envelope fields (Id, Name, SubType, ParentId) of `op`.
model::Event& AppendOperationEvent(ExecutionState& s, Transition& t, model::EventType type,
                                   const model::Operation& op, TimestampMs now);

model::EventPayload PayloadOf(const std::optional<std::string>& payload);
model::EventError ErrorOf(const std::optional<model::ErrorObject>& error);

}  // namespace durable::engine
