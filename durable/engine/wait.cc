// WAIT: START (arms the wait timer) / CANCEL, and the timer firing (protocol.md §6.3, §12.4).
#include "durable/engine/core.h"
#include "durable/engine/history.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::OperationAction;
using model::OperationStatus;

store::TimerKey WaitKey(const ExecutionState& s, const std::string& id) {
  return {s.execution.arn, store::TimerKind::kWaitEnd, id};
}

Status Start(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (s.Find(u.id)) return InvalidArgument("Cannot start a WAIT that already exists.");
  if (!u.wait_options || !u.wait_options->wait_seconds) {
    return InvalidArgument("Update for WAIT operation requires WaitOptions.");
  }
  int64_t seconds = *u.wait_options->wait_seconds;
  if (seconds < 1 || seconds > model::kMaxWaitSeconds) {
    return InvalidArgument("Invalid WaitOptions for the given action.");
  }
  auto& rec = CreateOperation(s, u, ctx.now);
  TimestampMs end = ctx.now + seconds * 1000;
  rec.operation.wait_details = model::WaitDetails{end};
  rec.meta.wait_seconds = seconds;
  t.SetTimer({WaitKey(s, u.id), end});
  t.TouchForResponse(u.id);
  auto& e = AppendOperationEvent(s, t, EventType::kWaitStarted, rec.operation, ctx.now);
  e.duration = seconds;
  e.scheduled_end_timestamp = end;
  return Status::Ok();
}

Status Cancel(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
              Transition& t) {
  auto* rec = s.Find(u.id);
  if (!rec || rec->operation.status != OperationStatus::kStarted) {
    return InvalidArgument("Cannot cancel a WAIT that does not exist or has already completed.");
  }
  rec->operation.status = OperationStatus::kCancelled;
  rec->operation.end_timestamp = ctx.now;
  t.ClearTimer(WaitKey(s, u.id));
  t.TouchForResponse(u.id);
  AppendOperationEvent(s, t, EventType::kWaitCancelled, rec->operation, ctx.now);
  return Status::Ok();
}

}  // namespace

Status ApplyWaitUpdate(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
                       Transition& t) {
  switch (u.action) {
    case OperationAction::kStart:
      return Start(s, u, ctx, t);
    case OperationAction::kCancel:
      return Cancel(s, u, ctx, t);
    default:
      return InvalidArgument("Invalid action for the given operation type.");
  }
}

void FireWait(ExecutionState& s, model::OperationRecord& op, TimestampMs now, Transition& t) {
  op.operation.status = OperationStatus::kSucceeded;
  op.operation.end_timestamp = now;
  t.ClearTimer(WaitKey(s, op.operation.id));
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
  auto& e = AppendOperationEvent(s, t, EventType::kWaitSucceeded, op.operation, now);
  e.duration = op.meta.wait_seconds;
}

}  // namespace durable::engine
