// CONTEXT: START / SUCCEED / FAIL (protocol.md §6.3). Contexts complete only through the
// function's own checkpoints; a finishing context never triggers an invocation.
#include "durable/engine/core.h"
#include "durable/engine/history.h"

namespace durable::engine {
namespace {

using model::EventType;
using model::OperationAction;
using model::OperationStatus;

Status Start(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  if (s.Find(u.id)) return InvalidArgument("Cannot start a CONTEXT that already exists.");
  auto& rec = CreateOperation(s, u, ctx.now);
  auto& d = rec.operation.context_details.emplace();
  if (u.context_options) d.replay_children = u.context_options->replay_children;
  t.TouchForResponse(u.id);
  AppendOperationEvent(s, t, EventType::kContextStarted, rec.operation, ctx.now);
  return Status::Ok();
}

Status Close(ExecutionState& s, const model::OperationUpdate& u, const CoreContext& ctx,
             Transition& t) {
  const auto* cur = s.Find(u.id);
  if (cur && cur->operation.status != OperationStatus::kStarted) {
    return InvalidArgument("Invalid current CONTEXT state to close.");
  }
  bool succeed = u.action == OperationAction::kSucceed;
  if (!succeed && u.payload) return InvalidArgument("Cannot provide a Payload for FAIL action.");
  if (succeed && u.error) return InvalidArgument("Cannot provide an Error for SUCCEED action.");
  auto& rec = cur ? *s.Find(u.id) : CreateOperation(s, u, ctx.now);
  auto& d = rec.operation.context_details ? *rec.operation.context_details
                                          : rec.operation.context_details.emplace();
  if (u.context_options && u.context_options->replay_children) {
    d.replay_children = u.context_options->replay_children;
  }
  rec.operation.end_timestamp = ctx.now;
  t.TouchForResponse(u.id);
  if (succeed) {
    rec.operation.status = OperationStatus::kSucceeded;
    d.result = u.payload;
    auto& e = AppendOperationEvent(s, t, EventType::kContextSucceeded, rec.operation, ctx.now);
    e.result = PayloadOf(u.payload);
  } else {
    rec.operation.status = OperationStatus::kFailed;
    d.error = u.error;
    auto& e = AppendOperationEvent(s, t, EventType::kContextFailed, rec.operation, ctx.now);
    e.error = ErrorOf(u.error);
  }
  return Status::Ok();
}

}  // namespace

Status ApplyContextUpdate(ExecutionState& s, const model::OperationUpdate& u,
                          const CoreContext& ctx, Transition& t) {
  switch (u.action) {
    case OperationAction::kStart:
      return Start(s, u, ctx, t);
    case OperationAction::kSucceed:
    case OperationAction::kFail:
      return Close(s, u, ctx, t);
    default:
      return InvalidArgument("Invalid action for the given operation type.");
  }
}

}  // namespace durable::engine
