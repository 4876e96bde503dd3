// Step: run user code once per attempt, checkpoint its result, retry with delays (protocol.md
// §6.1 "step", §13.2).
#include <algorithm>
#include <exception>

#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {

using model::OperationAction;
using model::OperationStatus;

std::string DurableContext::StepRaw(const std::string& name,
                                    const std::function<std::string(StepContext&)>& fn,
                                    const RetryStrategy& retry_strategy, StepSemantics semantics) {
  OpRef op = NextOp(model::OperationType::kStep, "Step", name);
  auto stored = Lookup(op);
  // The replay of a completed step reports nothing to plugins: answered before `info` is built
  // (copies of the id and names for every replayed step).
  if (stored && stored->status == OperationStatus::kSucceeded) {
    return stored->step_details ? stored->step_details->result.value_or("") : "";
  }
  auto& cp = inv_->checkpointer();
  // What plugins are told is built only when there are plugins (copies of the id and names).
  const bool plugins = inv_->has_plugins();
  OperationInfo info;
  if (plugins) info = InfoOf(op, stored != nullptr);
  if (stored) {
    switch (stored->status) {
      case OperationStatus::kFailed:
        ThrowDurableError(ErrorKind::kStep,
                          stored->step_details
                              ? stored->step_details->error.value_or(model::ErrorObject{})
                              : model::ErrorObject{});
      case OperationStatus::kPending:  // waiting for the retry timer
        info.status = OperationStatus::kPending;
        info.is_pending = true;
        inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
        internal::ThrowSuspend();
      case OperationStatus::kReady:
      case OperationStatus::kStarted:
        break;
      default:
        ThrowDurableError(ErrorKind::kStep,
                          model::ErrorObject{"StepError",
                                             "step ended with status " +
                                                 std::string(model::ToString(stored->status)),
                                             {},
                                             {}});
    }
  }
  const int attempt = (stored && stored->step_details ? stored->step_details->attempt : 0) + 1;
  const bool interrupted = stored && stored->status == OperationStatus::kStarted;
  info.attempt = attempt;
  inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });

  auto fail = [&](const model::ErrorObject& error) -> std::string {
    // The default strategy is built only when an attempt failed.
    RetryDecision decision = retry_strategy ? retry_strategy(error, attempt)
                                            : DefaultRetryStrategy()(error, attempt);
    if (decision.should_retry) {
      auto u = Update(op, OperationAction::kRetry);
      u.error = error;
      u.step_options = model::StepOptions{std::max<int64_t>(1, decision.delay_seconds)};
      cp.Send(std::move(u));
      internal::ThrowSuspend();
    }
    auto u = Update(op, OperationAction::kFail);
    u.error = error;
    cp.Send(std::move(u));
    info.status = OperationStatus::kFailed;
    info.error = error;
    NotifyOperationEnd(std::move(info));
    ThrowDurableError(ErrorKind::kStep, error);
  };

  if (interrupted && semantics == StepSemantics::kAtMostOncePerRetry) {
    return fail(model::ErrorObject{
        "StepInterruptedError",
        "Step " + op.id + " was interrupted during attempt " + std::to_string(attempt),
        {},
        {}});
  }
  if (!interrupted) {
    uint64_t seq = cp.Enqueue(Update(op, OperationAction::kStart));
    if (semantics == StepSemantics::kAtMostOncePerRetry) cp.Flush(seq);
  }
  StepContext sc(Logger(inv_->log_scope(), op.id, op.name, attempt), op.id, attempt);
  AttemptInfo ai;
  if (plugins) {
    ai = AttemptInfo{info, attempt, inv_->clock().NowMs(), std::nullopt, false, std::nullopt};
    inv_->NotifyPlugins([&](Plugin& p) { p.OnAttemptStart(ai); });
  }
  std::string payload;
  try {
    payload = fn(sc);
  } catch (const internal::SuspendSignal&) {
    throw;
  } catch (const internal::TerminateSignal&) {
    throw;
  } catch (...) {
    ai.error = ErrorFromException(std::current_exception());
    if (plugins) {
      ai.end_timestamp = inv_->clock().NowMs();
      inv_->NotifyPlugins([&](Plugin& p) { p.OnAttemptEnd(ai); });
    }
    return fail(*ai.error);
  }
  if (plugins) {
    ai.succeeded = true;
    ai.end_timestamp = inv_->clock().NowMs();
    inv_->NotifyPlugins([&](Plugin& p) { p.OnAttemptEnd(ai); });
  }
  auto u = Update(std::move(op), OperationAction::kSucceed);  // `op` is not used below
  u.payload = payload;
  cp.Send(std::move(u));
  if (plugins) {
    info.status = OperationStatus::kSucceeded;
    info.result = payload;
    NotifyOperationEnd(std::move(info));
  }
  return payload;
}

}  // namespace durable::sdk
