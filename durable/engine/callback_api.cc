// SendDurableExecutionCallbackSuccess / Failure / Heartbeat (protocol.md §11).
#include "durable/base/macros.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {
namespace {

// The operation that holds `callback_id` (null if none does), reached through the journal.
model::OperationRecord* FindCallbackOp(ExecutionState& s, const std::string& callback_id) {
  for (size_t i = 0; i < s.operations.size(); ++i) {
    const auto& details = s.operations[i].operation.callback_details;
    if (details && details->callback_id == callback_id) return &s.At(i);
  }
  return nullptr;
}

}  // namespace

template <typename Fn>
Status EngineImpl::ChangeCallback(const std::string& callback_id, Fn&& fn) {
  // The id carries its execution's ARN (NewCallbackId), so no index lookup is needed before the
  // execution is locked (and, if suspended, loaded); the operation is then found in its state.
  std::optional<std::string> arn = ArnOfCallbackId(callback_id);
  if (!arn) return InvalidArgument("Invalid callback ID.");
  Status st = Mutate(*arn, [&](Live&, ExecutionState& s, Transition& t) {
    model::OperationRecord* op = FindCallbackOp(s, callback_id);
    if (!op) return InvalidArgument("Invalid callback ID.");
    return fn(s, *op, t);
  });
  if (st.code() == StatusCode::kNotFound) {
    // A well-formed id whose execution is gone (retention purge).
    return NotFound("The durable execution of this callback no longer exists.");
  }
  return st;
}

Status EngineImpl::CallbackSucceed(const std::string& callback_id, const std::string& result) {
  if (result.size() > options_.limits.max_callback_result_bytes) {
    return InvalidArgument("Callback result exceeds the maximum of " +
                           std::to_string(options_.limits.max_callback_result_bytes) + " bytes.");
  }
  return ChangeCallback(callback_id, [&](ExecutionState& s, model::OperationRecord& op,
                                         Transition& t) {
    return CompleteCallback(s, op, /*success=*/true, result, {}, clock_->NowMs(), t);
  });
}

Status EngineImpl::CallbackFail(const std::string& callback_id, const model::ErrorObject& error) {
  return ChangeCallback(callback_id, [&](ExecutionState& s, model::OperationRecord& op,
                                         Transition& t) {
    return CompleteCallback(s, op, /*success=*/false, "", error, clock_->NowMs(), t);
  });
}

Status EngineImpl::CallbackHeartbeat(const std::string& callback_id) {
  return ChangeCallback(callback_id, [&](ExecutionState& s, model::OperationRecord& op,
                                         Transition& t) {
    if (!s.Open()) return CallbackClosedStatus();
    return HeartbeatCallback(op, clock_->NowMs(), t, s.execution.arn);
  });
}

}  // namespace durable::engine
