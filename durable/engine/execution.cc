// EXECUTION: creation, the EXECUTION SUCCEED/FAIL checkpoint, InvocationCompleted and every
// way an execution closes (protocol.md §6.3, §8.3, §12.3).
#include "durable/engine/core.h"
#include "durable/engine/history.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::ExecutionStatus;
using model::OperationAction;
using model::OperationStatus;

constexpr int64_t kDayMs = 86'400'000;

OperationStatus OperationStatusFor(ExecutionStatus st) {
  switch (st) {
    case ExecutionStatus::kSucceeded:
      return OperationStatus::kSucceeded;
    case ExecutionStatus::kTimedOut:
      return OperationStatus::kTimedOut;
    case ExecutionStatus::kStopped:
      return OperationStatus::kStopped;
    default:
      return OperationStatus::kFailed;
  }
}

EventType TerminalEventFor(ExecutionStatus st) {
  switch (st) {
    case ExecutionStatus::kSucceeded:
      return EventType::kExecutionSucceeded;
    case ExecutionStatus::kTimedOut:
      return EventType::kExecutionTimedOut;
    case ExecutionStatus::kStopped:
      return EventType::kExecutionStopped;
    default:
      return EventType::kExecutionFailed;
  }
}

}  // namespace

model::ErrorObject MakeError(std::string type, std::string message) {
  model::ErrorObject e;
  e.error_type = std::move(type);
  e.error_message = std::move(message);
  return e;
}

ExecutionState NewExecution(const model::DurableExecution& execution, TimestampMs now,
                            Transition& t) {
  ExecutionState s;
  s.execution = execution;
  s.execution.status = ExecutionStatus::kRunning;
  s.execution.start_timestamp = now;
  s.execution.next_event_id = 1;
  s.execution.next_sequence = 1;
  model::OperationRecord rec;
  rec.operation.id = execution.execution_id;
  rec.operation.type = model::OperationType::kExecution;
  rec.operation.status = OperationStatus::kStarted;
  rec.operation.start_timestamp = now;
  std::optional<std::string> input;
  // Never send "": the JS SDK fails on an empty InputPayload (protocol.md §3.1 rule 3).
  if (execution.input_payload && !execution.input_payload->empty()) input = execution.input_payload;
  rec.operation.execution_details = model::ExecutionDetails{input};
  s.Add(std::move(rec));
  t.Touch(execution.execution_id);
  auto& e = AppendEvent(s, t, EventType::kExecutionStarted, now);
  e.id = execution.execution_id;
  e.input = PayloadOf(input);
  e.execution_timeout = execution.config.execution_timeout_seconds;
  t.SetTimer({{execution.arn, store::TimerKind::kExecutionTimeout, ""},
              now + execution.config.execution_timeout_seconds * 1000});
  return s;
}

Status ApplyExecutionUpdate(ExecutionState& s, const model::OperationUpdate& u,
                            const CoreContext& ctx, Transition& t) {
  if (u.action != OperationAction::kSucceed && u.action != OperationAction::kFail) {
    return InvalidArgument("Invalid action for the given operation type.");
  }
  bool succeed = u.action == OperationAction::kSucceed;
  if (succeed && u.error) return InvalidArgument("Cannot provide an Error for SUCCEED action.");
  if (!succeed && u.payload) return InvalidArgument("Cannot provide a Payload for FAIL action.");
  // Any EXECUTION update completes the execution, whatever its Id; no operation is created.
  // The terminal event follows this invocation's InvocationCompleted (review finding 8).
  auto& op = s.ExecutionOp().operation;
  op.status = succeed ? OperationStatus::kSucceeded : OperationStatus::kFailed;
  op.end_timestamp = ctx.now;
  if (succeed) {
    s.execution.result = u.payload;
  } else {
    s.execution.error = u.error ? *u.error : MakeError("ExecutionFailed", "Execution failed");
  }
  t.Touch(op.id);
  return Status::Ok();
}

void CloseExecution(ExecutionState& s, ExecutionStatus status, std::optional<std::string> result,
                    std::optional<model::ErrorObject> error, TimestampMs now, Transition& t) {
  auto& ex = s.execution;
  ex.status = status;
  ex.end_timestamp = now;
  if (status == ExecutionStatus::kSucceeded) {
    ex.result = std::move(result);
    ex.error.reset();
  } else {
    ex.result.reset();
    ex.error = std::move(error);
  }
  ex.invoke_at.reset();
  ex.retain_until = now + int64_t{ex.config.retention_period_in_days} * kDayMs;
  auto& op = s.ExecutionOp().operation;
  op.status = OperationStatusFor(status);
  if (!op.end_timestamp) op.end_timestamp = now;
  t.Touch(op.id);
  auto& e = AppendEvent(s, t, TerminalEventFor(status), now);
  e.id = ex.execution_id;
  if (status == ExecutionStatus::kSucceeded) {
    e.result = PayloadOf(ex.result);
  } else {
    e.error = ErrorOf(ex.error);
  }
  t.clear_all_timers = true;
  t.timers_set.clear();
  t.timers_cleared.clear();
  t.SetTimer({{ex.arn, store::TimerKind::kRetention, ""}, *ex.retain_until});
  t.request_invocation = false;
  t.closed = true;
}

void AppendInvocationCompleted(ExecutionState& s, TimestampMs start, TimestampMs end,
                               const std::string& request_id,
                               const std::optional<model::ErrorObject>& error, TimestampMs now,
                               Transition& t) {
  auto& e = AppendEvent(s, t, EventType::kInvocationCompleted, now);
  e.invocation_start_timestamp = start;
  e.invocation_end_timestamp = end;
  e.request_id = request_id;
  if (error) e.error = ErrorOf(error);
}

void FinishClosing(ExecutionState& s, const std::optional<std::string>& output_result,
                   TimestampMs now, Transition& t) {
  bool succeeded = s.ExecutionOp().operation.status == OperationStatus::kSucceeded;
  if (succeeded) {
    // Prefer the checkpointed result over the (usually empty) Result of the output.
    std::optional<std::string> result = s.execution.result;
    if (!result && output_result && !output_result->empty()) result = output_result;
    CloseExecution(s, ExecutionStatus::kSucceeded, result, std::nullopt, now, t);
  } else {
    CloseExecution(s, ExecutionStatus::kFailed, std::nullopt, s.execution.error, now, t);
  }
}

bool HasPendingOperations(const ExecutionState& s) {
  for (const auto& rec : s.operations) {
    const auto& op = rec.operation;
    switch (op.type) {
      case model::OperationType::kWait:
      case model::OperationType::kCallback:
      case model::OperationType::kChainedInvoke:
        if (op.status == OperationStatus::kStarted) return true;
        break;
      case model::OperationType::kStep:
        if (op.status == OperationStatus::kPending || op.status == OperationStatus::kReady) {
          return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

bool HasReadyStep(const ExecutionState& s) {
  for (const auto& rec : s.operations) {
    if (rec.operation.type == model::OperationType::kStep &&
        rec.operation.status == OperationStatus::kReady) {
      return true;
    }
  }
  return false;
}

}  // namespace durable::engine
