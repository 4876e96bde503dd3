#include "durable/engine/history.h"

namespace durable::engine {

model::Event& AppendEvent(ExecutionState& s, Transition& t, model::EventType type,
                          TimestampMs now) {
  model::Event e;
  e.type = type;
  e.event_id = s.execution.next_event_id++;
  e.event_timestamp = now;
  t.events.push_back(std::move(e));
  return t.events.back();
}

model::Event& AppendOperationEvent(ExecutionState& s, Transition& t, model::EventType type,
                                   const model::Operation& op, TimestampMs now) {
  model::Event& e = AppendEvent(s, t, type, now);
  e.id = op.id;
  e.name = op.name;
  e.sub_type = op.sub_type;
  e.parent_id = op.parent_id;
  return e;
}

model::EventPayload PayloadOf(const std::optional<std::string>& payload) {
  model::EventPayload p;
  p.payload = payload;
  p.truncated = false;
  return p;
}

model::EventError ErrorOf(const std::optional<model::ErrorObject>& error) {
  model::EventError e;
  e.payload = error;
  e.truncated = false;
  return e;
}

}  // namespace durable::engine
