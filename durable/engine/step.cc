// STEP (also WaitForCondition): START / RETRY / SUCCEED / FAIL and the engine's PENDING -> READY
// (protocol.md §5.3, §6.3, §8.3).
#include "durable/engine/core.h"
#include "durable/engine/history.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::OperationAction;
using model::OperationStatus;

bool CanClose(const model::OperationRecord* cur) {
  return !cur || cur->operation.status == OperationStatus::kStarted ||
         cur->operation.status == OperationStatus::kReady;
}

store::TimerKey RetryKey(const ExecutionState& s, const std::string& id) {
  return {s.execution.arn, store::TimerKind::kStepRetry, id};
}

model::OperationRecord& GetOrCreate(ExecutionState& s, const model::OperationUpdate& u,
                                    TimestampMs now) {
  model::OperationRecord* cur = s.Find(u.id);
  model::OperationRecord& rec = cur ? *cur : CreateOperation(s, u, now);
  if (!rec.operation.step_details) rec.operation.step_details.emplace();
  return rec;
}

Status Start(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  const auto* cur = s.Find(u.id);
  if (cur && cur->operation.status != OperationStatus::kReady) {
    return InvalidArgument("Invalid current STEP state to start.");
  }
  auto& rec = GetOrCreate(s, u, ctx.now);
  rec.operation.status = OperationStatus::kStarted;
  rec.operation.step_details->next_attempt_timestamp.reset();
  // A step has a retry timer only while it is PENDING: RETRY arms it, and the one way out of
  // PENDING (MakeStepReady) clears it in the same commit. START, SUCCEED and FAIL are refused on
  // a PENDING step, so they have no timer to clear: no delete is sent to the store (it would be a
  // statement per step on the store's serial write path).
  t.TouchForResponse(u.id);
  AppendOperationEvent(s, t, EventType::kStepStarted, rec.operation, ctx.now);
  return Status::Ok();
}

Status Close(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (!CanClose(s.Find(u.id))) return InvalidArgument("Invalid current STEP state to close.");
  bool succeed = u.action == OperationAction::kSucceed;
  if (!succeed && u.payload) return InvalidArgument("Cannot provide a Payload for FAIL action.");
  if (succeed && u.error) return InvalidArgument("Cannot provide an Error for SUCCEED action.");
  auto& rec = GetOrCreate(s, u, ctx.now);
  auto& d = *rec.operation.step_details;
  d.attempt += 1;
  d.next_attempt_timestamp.reset();
  rec.operation.end_timestamp = ctx.now;
  // No retry timer to clear (not PENDING; see Start).
  t.TouchForResponse(u.id);
  if (succeed) {
    rec.operation.status = OperationStatus::kSucceeded;
    d.result = u.payload;
    d.error.reset();
    auto& e = AppendOperationEvent(s, t, EventType::kStepSucceeded, rec.operation, ctx.now);
    e.result = PayloadOf(u.payload);
    e.retry_details = model::RetryDetails{d.attempt, std::nullopt};
  } else {
    rec.operation.status = OperationStatus::kFailed;
    d.error = u.error;
    auto& e = AppendOperationEvent(s, t, EventType::kStepFailed, rec.operation, ctx.now);
    e.error = ErrorOf(u.error);
    e.retry_details = model::RetryDetails{d.attempt, std::nullopt};
  }
  return Status::Ok();
}

Status Retry(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (!CanClose(s.Find(u.id))) return InvalidArgument("Invalid current STEP state to re-attempt.");
  if (!u.step_options || !u.step_options->next_attempt_delay_seconds ||
      *u.step_options->next_attempt_delay_seconds < 1 ||
      *u.step_options->next_attempt_delay_seconds > model::kMaxWaitSeconds) {
    return InvalidArgument("Invalid StepOptions for the given action.");
  }
  if (u.error && u.payload) {
    return InvalidArgument("Cannot provide both error and payload to RETRY a STEP.");
  }
  int64_t delay = *u.step_options->next_attempt_delay_seconds;
  auto& rec = GetOrCreate(s, u, ctx.now);
  auto& d = *rec.operation.step_details;
  d.attempt += 1;
  d.next_attempt_timestamp = ctx.now + delay * 1000;
  d.result = u.payload;
  d.error = u.error;
  rec.operation.status = OperationStatus::kPending;
  t.SetTimer({RetryKey(s, u.id), *d.next_attempt_timestamp});
  t.TouchForResponse(u.id);
  // RETRY with an error is a failed attempt; without one it is a WaitForCondition poll.
  auto& e = AppendOperationEvent(s, t, u.error ? EventType::kStepFailed : EventType::kStepSucceeded,
                                 rec.operation, ctx.now);
  if (u.error) {
    e.error = ErrorOf(u.error);
  } else {
    e.result = PayloadOf(u.payload);
  }
  e.retry_details = model::RetryDetails{d.attempt, delay};
  return Status::Ok();
}

}  // namespace

Status ApplyStepUpdate(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
                       Transition& t) {
  switch (u.action) {
    case OperationAction::kStart:
      return Start(s, u, ctx, t);
    case OperationAction::kSucceed:
    case OperationAction::kFail:
      return Close(s, u, ctx, t);
    case OperationAction::kRetry:
      return Retry(s, u, ctx, t);
    case OperationAction::kCancel:
      break;
  }
  return InvalidArgument("Invalid action for the given operation type.");
}

void MakeStepReady(ExecutionState& s, model::OperationRecord& op, Transition& t) {
  // Only the status changes: Attempt, Result, Error and NextAttemptTimestamp are kept, no event.
  op.operation.status = OperationStatus::kReady;
  t.ClearTimer(RetryKey(s, op.operation.id));
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
}

}  // namespace durable::engine
