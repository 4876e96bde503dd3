// CALLBACK: START (new CallbackId, timeout and heartbeat timers), completion through the
// callback APIs, heartbeats and timeouts (protocol.md §11).
#include "durable/engine/core.h"
#include "durable/engine/history.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::OperationAction;
using model::OperationStatus;

store::TimerKey Key(const std::string& arn, store::TimerKind kind, const std::string& id) {
  return {arn, kind, id};
}

void ClearCallbackTimers(const ExecutionState& s, const std::string& id, Transition& t) {
  t.ClearTimer(Key(s.execution.arn, store::TimerKind::kCallbackTimeout, id));
  t.ClearTimer(Key(s.execution.arn, store::TimerKind::kCallbackHeartbeat, id));
}

Status Start(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (s.Find(u.id)) return InvalidArgument("Cannot start a CALLBACK that already exists.");
  int64_t timeout = 0, heartbeat = 0;
  if (u.callback_options) {
    timeout = u.callback_options->timeout_seconds.value_or(0);
    heartbeat = u.callback_options->heartbeat_timeout_seconds.value_or(0);
  }
  if (timeout < 0 || heartbeat < 0 || timeout > model::kMaxWaitSeconds ||
      heartbeat > model::kMaxWaitSeconds) {
    return InvalidArgument("Invalid CallbackOptions for the given action.");
  }
  auto& rec = CreateOperation(s, u, ctx.now);
  rec.operation.callback_details.emplace().callback_id = ctx.new_callback_id(s.execution.arn);
  const std::string& arn = s.execution.arn;
  if (timeout > 0) {
    rec.meta.callback_timeout_seconds = timeout;
    rec.meta.callback_deadline = ctx.now + timeout * 1000;
    t.SetTimer({Key(arn, store::TimerKind::kCallbackTimeout, u.id), *rec.meta.callback_deadline});
  }
  if (heartbeat > 0) {
    rec.meta.callback_heartbeat_timeout_seconds = heartbeat;
    rec.meta.callback_heartbeat_deadline = ctx.now + heartbeat * 1000;
    t.SetTimer({Key(arn, store::TimerKind::kCallbackHeartbeat, u.id),
                *rec.meta.callback_heartbeat_deadline});
  }
  t.TouchForResponse(u.id);
  auto& e = AppendOperationEvent(s, t, EventType::kCallbackStarted, rec.operation, ctx.now);
  e.callback_id = rec.operation.callback_details->callback_id;
  if (timeout > 0) e.timeout = timeout;
  if (heartbeat > 0) e.heartbeat_timeout = heartbeat;
  return Status::Ok();
}

Status ClosedError() { return CallbackClosedStatus(); }

}  // namespace

Status CallbackClosedStatus() {
  return CallbackClosed(
      "The callback ID token has either expired or the callback associated with the token has "
      "already been closed.");
}

Status ApplyCallbackUpdate(ExecutionState& s, const model::OperationUpdate& u,
                           const CoreContext& ctx, Transition& t) {
  if (u.action == OperationAction::kStart) return Start(s, u, ctx, t);
  return InvalidArgument("Invalid action for the given operation type.");
}

Status CompleteCallback(ExecutionState& s, model::OperationRecord& op, bool success,
                        const std::string& result, const model::ErrorObject& error, TimestampMs now,
                        Transition& t) {
  if (!s.Open() || op.operation.status != OperationStatus::kStarted) return ClosedError();
  auto& d = *op.operation.callback_details;
  op.operation.end_timestamp = now;
  ClearCallbackTimers(s, op.operation.id, t);
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
  if (success) {
    op.operation.status = OperationStatus::kSucceeded;
    if (!result.empty()) d.result = result;
    auto& e = AppendOperationEvent(s, t, EventType::kCallbackSucceeded, op.operation, now);
    e.result = PayloadOf(d.result);
  } else {
    op.operation.status = OperationStatus::kFailed;
    d.error = error;
    auto& e = AppendOperationEvent(s, t, EventType::kCallbackFailed, op.operation, now);
    e.error = ErrorOf(error);
  }
  return Status::Ok();
}

void TimeOutCallback(ExecutionState& s, model::OperationRecord& op, bool heartbeat, TimestampMs now,
                     Transition& t) {
  model::ErrorObject error =
      heartbeat ? MakeError("Callback.Heartbeat", "Callback timed out on heartbeat")
                : MakeError("Callback.Timeout", "Callback timed out");
  op.operation.status = OperationStatus::kTimedOut;
  op.operation.end_timestamp = now;
  op.operation.callback_details->error = error;
  ClearCallbackTimers(s, op.operation.id, t);
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
  auto& e = AppendOperationEvent(s, t, EventType::kCallbackTimedOut, op.operation, now);
  e.error = ErrorOf(error);
}

Status HeartbeatCallback(model::OperationRecord& op, TimestampMs now, Transition& t,
                         const std::string& arn) {
  if (op.operation.status != OperationStatus::kStarted) return ClosedError();
  // Without a heartbeat timeout a heartbeat is accepted as a no-op.
  if (!op.meta.callback_heartbeat_timeout_seconds) return Status::Ok();
  op.meta.callback_heartbeat_deadline = now + *op.meta.callback_heartbeat_timeout_seconds * 1000;
  t.SetTimer({Key(arn, store::TimerKind::kCallbackHeartbeat, op.operation.id),
              *op.meta.callback_heartbeat_deadline});
  t.Touch(op.operation.id);
  return Status::Ok();
}

}  // namespace durable::engine
