// Firing due operation timers from the in-memory state (protocol.md §6.2 step 6, §12.4). The
// timer loop and the checkpoint path share this, so a timer's effect is derived from the state
// and a fired timer is cleared in the same commit: it can never fire twice.
#include "durable/engine/core.h"

namespace durable::engine {

namespace {

// Whether FireDueOperations may have something to do for `rec` at some time.
bool MayFallDue(const model::OperationRecord& rec) {
  const model::Operation& op = rec.operation;
  switch (op.type) {
    case model::OperationType::kWait:
    case model::OperationType::kCallback:
      return op.status == model::OperationStatus::kStarted;
    case model::OperationType::kStep:
      return op.status == model::OperationStatus::kPending;
    default:
      return false;
  }
}

}  // namespace

bool FireDueOperations(ExecutionState& s, TimestampMs now, Transition& t) {
  if (!s.Open()) return true;
  bool by_clock = true;
  // Read-only scan; a record is reached through the journaled At() only when it changes. The
  // records at the front that cannot fall due (most of a long execution: finished steps, the
  // EXECUTION record) are passed over once; changing one moves the start back (ExecutionState::At).
  while (s.due_scan_from < s.operations.size() && !MayFallDue(s.operations[s.due_scan_from])) {
    ++s.due_scan_from;
  }
  for (size_t i = s.due_scan_from; i < s.operations.size(); ++i) {
    const auto& rec = s.operations[i];
    const auto& op = rec.operation;
    if (op.type == model::OperationType::kWait && op.status == model::OperationStatus::kStarted &&
        op.wait_details && op.wait_details->scheduled_end_timestamp &&
        *op.wait_details->scheduled_end_timestamp <= now) {
      FireWait(s, s.At(i), now, t);
    } else if (op.type == model::OperationType::kStep &&
               op.status == model::OperationStatus::kPending && op.step_details &&
               op.step_details->next_attempt_timestamp &&
               *op.step_details->next_attempt_timestamp <= now) {
      MakeStepReady(s, s.At(i), t);
    } else if (op.type == model::OperationType::kCallback &&
               op.status == model::OperationStatus::kStarted) {
      if (rec.meta.callback_deadline && *rec.meta.callback_deadline <= now) {
        TimeOutCallback(s, s.At(i), /*heartbeat=*/false, now, t);
        by_clock = false;
      } else if (rec.meta.callback_heartbeat_deadline &&
                 *rec.meta.callback_heartbeat_deadline <= now) {
        TimeOutCallback(s, s.At(i), /*heartbeat=*/true, now, t);
        by_clock = false;
      }
    }
  }
  return by_clock;
}

std::optional<TimestampMs> DueOf(const ExecutionState& s, const store::TimerKey& key) {
  const auto* rec = s.Find(key.operation_id);
  if (!rec || !s.Open()) return std::nullopt;
  const auto& op = rec->operation;
  switch (key.kind) {
    case store::TimerKind::kWaitEnd:
      if (op.status == model::OperationStatus::kStarted && op.wait_details) {
        return op.wait_details->scheduled_end_timestamp;
      }
      return std::nullopt;
    case store::TimerKind::kStepRetry:
      if (op.status == model::OperationStatus::kPending && op.step_details) {
        return op.step_details->next_attempt_timestamp;
      }
      return std::nullopt;
    case store::TimerKind::kCallbackTimeout:
      if (op.status == model::OperationStatus::kStarted) return rec->meta.callback_deadline;
      return std::nullopt;
    case store::TimerKind::kCallbackHeartbeat:
      if (op.status == model::OperationStatus::kStarted) {
        return rec->meta.callback_heartbeat_deadline;
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool ExecutionTimeoutDue(const ExecutionState& s, TimestampMs now) {
  return s.Running() &&
         s.execution.start_timestamp + s.execution.config.execution_timeout_seconds * 1000 <= now;
}

}  // namespace durable::engine
