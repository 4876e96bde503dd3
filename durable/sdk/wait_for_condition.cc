// WaitForCondition: a polling STEP (SubType WaitForCondition). Each attempt runs the check on
// the current state; to poll again the SDK checkpoints RETRY with Payload = the new state and the
// strategy's delay, and the next attempt reads the state back from StepDetails.Result.
#include <algorithm>

#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {

std::string DurableContext::WaitForConditionRaw(
    const std::string& name,
    const std::function<std::string(const std::string& state, StepContext&)>& check,
    const std::function<WaitDecision(const std::string& state, int attempt)>& wait_strategy,
    const std::string& initial_state) {
  if (!wait_strategy) ThrowInvalidArgument("WaitForCondition needs a wait strategy");
  OpRef op = NextOp(model::OperationType::kStep, "WaitForCondition", name);
  auto stored = Lookup(op);
  auto& cp = inv_->checkpointer();
  std::string state = initial_state;
  if (stored) {
    const auto& d = stored->step_details;
    switch (stored->status) {
      case model::OperationStatus::kSucceeded:
        return d ? d->result.value_or("") : "";
      case model::OperationStatus::kFailed:
        ThrowDurableError(ErrorKind::kWaitForCondition,
                          d ? d->error.value_or(model::ErrorObject{}) : model::ErrorObject{});
      case model::OperationStatus::kPending:
        internal::ThrowSuspend();
      default:
        if (d && d->result) state = *d->result;
    }
  }
  const int attempt = (stored && stored->step_details ? stored->step_details->attempt : 0) + 1;
  if (!stored || stored->status != model::OperationStatus::kStarted) {
    cp.Enqueue(Update(op, model::OperationAction::kStart));
  }
  StepContext sc(Logger(inv_->log_scope(), op.id, op.name, attempt), op.id, attempt);
  std::string next_state;
  WaitDecision decision;
  try {
    next_state = check(state, sc);
    decision = wait_strategy(next_state, attempt);
  } catch (const internal::SuspendSignal&) {
    throw;
  } catch (const internal::TerminateSignal&) {
    throw;
  } catch (...) {
    model::ErrorObject error = ErrorFromException(std::current_exception());
    auto u = Update(op, model::OperationAction::kFail);
    u.error = error;
    cp.Send(std::move(u));
    ThrowDurableError(ErrorKind::kWaitForCondition, error);
  }
  if (decision.should_continue) {
    auto u = Update(op, model::OperationAction::kRetry);
    u.payload = next_state;
    u.step_options = model::StepOptions{std::max<int64_t>(1, decision.delay_seconds)};
    cp.Send(std::move(u));
    internal::ThrowSuspend();
  }
  auto u = Update(op, model::OperationAction::kSucceed);
  u.payload = next_state;
  cp.Send(std::move(u));
  return next_state;
}

}  // namespace durable::sdk
