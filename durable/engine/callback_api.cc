// SendDurableExecutionCallbackSuccess / Failure / Heartbeat (protocol.md §11).
#include "durable/base/macros.h"
#include "durable/engine/core.h"
#include "durable/engine/engine_impl.h"
#include "durable/engine/mutate.h"
#include "durable/engine/names.h"

namespace durable::engine {
namespace {

struct CallbackTarget {
  std::string arn;
  std::string operation_id;
};

Result<CallbackTarget> FindTarget(store::Store* store, const std::string& callback_id) {
  auto found = store->FindCallback(callback_id);
  if (found.ok()) return CallbackTarget{found->first, found->second};
  if (found.status().code() != StatusCode::kNotFound) {
    return Internal("storage error: " + found.status().message());
  }
  // A well-formed id whose execution is gone (retention purge) is NotFound; anything else is
  // not a callback id we issued.
  if (auto arn = ArnOfCallbackId(callback_id)) {
    auto execution = store->Load(*arn);
    if (!execution.ok() && execution.status().code() == StatusCode::kNotFound) {
      return NotFound("The durable execution of this callback no longer exists.");
    }
  }
  return InvalidArgument("Invalid callback ID.");
}

}  // namespace

Status EngineImpl::CallbackSucceed(const std::string& callback_id, const std::string& result) {
  if (result.size() > options_.limits.max_callback_result_bytes) {
    return InvalidArgument("Callback result exceeds the maximum of " +
                           std::to_string(options_.limits.max_callback_result_bytes) + " bytes.");
  }
  DURABLE_ASSIGN_OR_RETURN(CallbackTarget target, FindTarget(store_, callback_id));
  return Mutate(target.arn, [&](Live&, ExecutionState& s, Transition& t) {
    auto* op = s.Find(target.operation_id);
    if (!op) return InvalidArgument("Invalid callback ID.");
    return CompleteCallback(s, *op, /*success=*/true, result, {}, clock_->NowMs(), t);
  });
}

Status EngineImpl::CallbackFail(const std::string& callback_id, const model::ErrorObject& error) {
  DURABLE_ASSIGN_OR_RETURN(CallbackTarget target, FindTarget(store_, callback_id));
  return Mutate(target.arn, [&](Live&, ExecutionState& s, Transition& t) {
    auto* op = s.Find(target.operation_id);
    if (!op) return InvalidArgument("Invalid callback ID.");
    return CompleteCallback(s, *op, /*success=*/false, "", error, clock_->NowMs(), t);
  });
}

Status EngineImpl::CallbackHeartbeat(const std::string& callback_id) {
  DURABLE_ASSIGN_OR_RETURN(CallbackTarget target, FindTarget(store_, callback_id));
  return Mutate(target.arn, [&](Live&, ExecutionState& s, Transition& t) {
    auto* op = s.Find(target.operation_id);
    if (!op) return InvalidArgument("Invalid callback ID.");
    if (!s.Open()) return CallbackClosedStatus();
    return HeartbeatCallback(*op, clock_->NowMs(), t, s.execution.arn);
  });
}

}  // namespace durable::engine
