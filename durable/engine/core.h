// The pure core of the engine: functions that take an ExecutionState, an input (a checkpoint
// batch, a timer, a callback completion, an invocation outcome) and the current time from a
// CoreContext, mutate the state copy they are given and describe the change in a Transition.
// One file per operation type implements its part (step.cc, wait.cc, callback.cc, context.cc,
// chained_invoke.cc, execution.cc); checkpoint.cc validates and dispatches a batch.
// No I/O, no clock reads. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "durable/base/result.h"
#include "durable/engine/state.h"
#include "durable/model/api.h"

namespace durable::engine {

// --- checkpoint.cc: validates and applies a whole batch (protocol.md §6.3, §6.4). On error
//     the state is partially modified and must be discarded by the caller. ---
Status ApplyCheckpointBatch(ExecutionState& state,
                            const std::vector<model::OperationUpdate>& updates,
                            const CoreContext& ctx, Transition& t);

// Per operation type: validate one update against the (scratch) state and apply it.
Status ApplyStepUpdate(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
                       Transition& t);
Status ApplyContextUpdate(ExecutionState& s, const model::OperationUpdate& u,
                          const CoreContext& ctx, Transition& t);
Status ApplyWaitUpdate(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
                       Transition& t);
Status ApplyCallbackUpdate(ExecutionState& s, const model::OperationUpdate& u,
                           const CoreContext& ctx, Transition& t);
Status ApplyChainedInvokeUpdate(ExecutionState& s, const model::OperationUpdate& u,
                                const CoreContext& ctx, Transition& t);
Status ApplyExecutionUpdate(ExecutionState& s, const model::OperationUpdate& u,
                            const CoreContext& ctx, Transition& t);

// Creates the record for the first update of a new id (common fields, StartTimestamp = now).
model::OperationRecord& CreateOperation(ExecutionState& s, const model::OperationUpdate& u,
                                        TimestampMs now);

// --- engine-side transitions (timers, external APIs, child executions) ---
void FireWait(ExecutionState& s, model::OperationRecord& op, TimestampMs now, Transition& t);
void MakeStepReady(ExecutionState& s, model::OperationRecord& op, Transition& t);
// Completes a STARTED callback. Returns CallbackClosed if it is not STARTED.
Status CompleteCallback(ExecutionState& s, model::OperationRecord& op, bool success,
                        const std::string& result, const model::ErrorObject& error, TimestampMs now,
                        Transition& t);
void TimeOutCallback(ExecutionState& s, model::OperationRecord& op, bool heartbeat, TimestampMs now,
                     Transition& t);
// CallbackTimeoutException: the callback is closed, expired, or its execution is closed.
Status CallbackClosedStatus();
Status HeartbeatCallback(model::OperationRecord& op, TimestampMs now, Transition& t,
                         const std::string& arn);
// Completes a STARTED CHAINED_INVOKE from its closed child execution.
void CompleteChainedInvoke(ExecutionState& s, model::OperationRecord& op,
                           const model::DurableExecution& child, TimestampMs now, Transition& t);
// Fails a STARTED CHAINED_INVOKE whose child could not be started.
void FailChainedInvoke(ExecutionState& s, model::OperationRecord& op, model::ErrorObject error,
                       TimestampMs now, Transition& t);

// Fires every operation timer of `s` that is due at `now` (waits, step retries, callback
// timeouts). Does nothing unless the execution is open. Returns false if it timed out a
// callback: an answer that arrived after a failed commit of this transition would win instead,
// so that outcome is not decided by the clock alone (see Transition::invoke_before_commit).
bool FireDueOperations(ExecutionState& s, TimestampMs now, Transition& t);
// The due time of `key` if its operation still waits on that timer (a timer fired too early is
// re-armed with it instead of being lost).
std::optional<TimestampMs> DueOf(const ExecutionState& s, const store::TimerKey& key);
bool ExecutionTimeoutDue(const ExecutionState& s, TimestampMs now);

// --- execution.cc ---
// Builds a new execution (EXECUTION op, ExecutionStarted, execution-timeout timer).
ExecutionState NewExecution(const model::DurableExecution& execution, TimestampMs now,
                            Transition& t);
// Closes the execution: terminal status, EXECUTION op, terminal event, clears every timer, arms
// the retention timer.
void CloseExecution(ExecutionState& s, model::ExecutionStatus status,
                    std::optional<std::string> result, std::optional<model::ErrorObject> error,
                    TimestampMs now, Transition& t);
// Appends InvocationCompleted.
void AppendInvocationCompleted(ExecutionState& s, TimestampMs start, TimestampMs end,
                               const std::string& request_id,
                               const std::optional<model::ErrorObject>& error, TimestampMs now,
                               Transition& t);
// Finishes a close that an EXECUTION SUCCEED/FAIL checkpoint began (terminal event now).
void FinishClosing(ExecutionState& s, const std::optional<std::string>& output_result,
                   TimestampMs now, Transition& t);
// True if something can still wake the execution (protocol.md §12.3).
bool HasPendingOperations(const ExecutionState& s);
bool HasReadyStep(const ExecutionState& s);
model::ErrorObject MakeError(std::string type, std::string message);

// --- envelope.cc: the operations an SDK sees (children of completed non-ReplayChildren
//     contexts pruned), EXECUTION first. ---
std::vector<model::Operation> VisibleOperations(const ExecutionState& s);
// Approximate wire size of an operation, for paging.
size_t ApproxSize(const model::Operation& op);

}  // namespace durable::engine
