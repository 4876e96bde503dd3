// CHAINED_INVOKE: START resolves the target and allocates the child execution synchronously
// (ChainedInvokeStarted carries its ARN), the child is started after the commit; the child's
// outcome completes the operation (protocol.md §12.5, review finding 2).
#include "durable/engine/core.h"
#include "durable/engine/history.h"
#include "durable/engine/names.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::ExecutionStatus;
using model::OperationAction;
using model::OperationStatus;

Status Start(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (s.Find(u.id)) return InvalidArgument("Cannot start a CHAINED_INVOKE that already exists.");
  if (!u.chained_invoke_options || !u.chained_invoke_options->function_name ||
      u.chained_invoke_options->function_name->empty()) {
    return InvalidArgument("Update for CHAINED_INVOKE operation requires ChainedInvokeOptions.");
  }
  const auto& opts = *u.chained_invoke_options;
  auto& rec = CreateOperation(s, u, ctx.now);
  rec.operation.chained_invoke_details.emplace();
  rec.meta.invoke_function_name = opts.function_name;
  rec.meta.invoke_tenant_id = opts.tenant_id;
  rec.meta.invoke_input = u.payload;
  t.TouchForResponse(u.id);
  auto& started =
      AppendOperationEvent(s, t, EventType::kChainedInvokeStarted, rec.operation, ctx.now);
  started.function_name = opts.function_name;
  started.input = PayloadOf(u.payload);
  started.tenant_id = opts.tenant_id;

  Result<ResolvedFunction> target = ctx.resolve(*opts.function_name, std::nullopt);
  if (!target.ok()) {
    FailChainedInvoke(s, rec, MakeError("ResourceNotFoundException", target.status().message()),
                      ctx.now, t);
    t.async_changed_ids.pop_back();  // failed synchronously: part of this response, not async
    t.request_invocation = false;
    return Status::Ok();
  }
  std::string child_id = ctx.new_execution_id();
  std::string child_name = ChildExecutionName(s.execution.execution_id, u.id);
  std::string child_arn = BuildExecutionArn(ctx.region, ctx.account_id, target->name,
                                            target->version, child_name, child_id);
  rec.meta.invoke_child_arn = child_arn;
  // `started` may have moved if FailChainedInvoke appended; it did not on this path.
  t.events.back().executed_version = target->version;
  t.events.back().durable_execution_arn = child_arn;

  ChainedStart start;
  start.operation_id = u.id;
  start.child_execution_id = child_id;
  start.request.function_name = target->name;
  start.request.qualifier = target->version;
  start.request.durable_execution_name = child_name;
  start.request.payload = u.payload;
  start.request.tenant_id = opts.tenant_id;
  start.request.parent_arn = s.execution.arn;
  start.request.parent_operation_id = u.id;
  t.chained_starts.push_back(std::move(start));
  return Status::Ok();
}

Status Cancel(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
              Transition& t) {
  auto* rec = s.Find(u.id);
  if (!rec || rec->operation.status != OperationStatus::kStarted) {
    return InvalidArgument(
        "Cannot cancel a CHAINED_INVOKE that does not exist or has already completed.");
  }
  rec->operation.status = OperationStatus::kCancelled;
  rec->operation.end_timestamp = ctx.now;
  if (rec->meta.invoke_child_arn) t.children_to_stop.push_back(*rec->meta.invoke_child_arn);
  t.TouchForResponse(u.id);
  return Status::Ok();
}

}  // namespace

Status ApplyChainedInvokeUpdate(ExecutionState& s, const model::OperationUpdate& u,
                                const CoreContext& ctx, Transition& t) {
  switch (u.action) {
    case OperationAction::kStart:
      return Start(s, u, ctx, t);
    case OperationAction::kCancel:
      return Cancel(s, u, ctx, t);
    default:
      return InvalidArgument("Invalid action for the given operation type.");
  }
}

void CompleteChainedInvoke(ExecutionState& s, model::OperationRecord& op,
                           const model::DurableExecution& child, TimestampMs now, Transition& t) {
  if (!s.Open() || op.operation.status != OperationStatus::kStarted) return;
  auto& d = *op.operation.chained_invoke_details;
  EventType type = EventType::kChainedInvokeFailed;
  switch (child.status) {
    case ExecutionStatus::kSucceeded:
      op.operation.status = OperationStatus::kSucceeded;
      d.result = child.result;
      type = EventType::kChainedInvokeSucceeded;
      break;
    case ExecutionStatus::kTimedOut:
      op.operation.status = OperationStatus::kTimedOut;
      type = EventType::kChainedInvokeTimedOut;
      break;
    case ExecutionStatus::kStopped:
      op.operation.status = OperationStatus::kStopped;
      type = EventType::kChainedInvokeStopped;
      break;
    default:
      op.operation.status = OperationStatus::kFailed;
      break;
  }
  if (type != EventType::kChainedInvokeSucceeded) {
    d.error = child.error ? child.error : MakeError("ChainedInvokeFailed", "Chained invoke failed");
  }
  op.operation.end_timestamp = now;
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
  auto& e = AppendOperationEvent(s, t, type, op.operation, now);
  if (type == EventType::kChainedInvokeSucceeded) {
    e.result = PayloadOf(d.result);
  } else {
    e.error = ErrorOf(d.error);
  }
}

void FailChainedInvoke(ExecutionState& s, model::OperationRecord& op, model::ErrorObject error,
                       TimestampMs now, Transition& t) {
  if (op.operation.status != OperationStatus::kStarted) return;
  op.operation.status = OperationStatus::kFailed;
  op.operation.end_timestamp = now;
  op.operation.chained_invoke_details->error = error;
  t.MarkAsync(op.operation.id);
  t.request_invocation = true;
  auto& e = AppendOperationEvent(s, t, EventType::kChainedInvokeFailed, op.operation, now);
  e.error = ErrorOf(error);
}

}  // namespace durable::engine
