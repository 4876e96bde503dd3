// Callbacks: CreateCallback checkpoints CALLBACK/START and returns the engine-assigned callback id;
// awaiting reads the callback's outcome or suspends while it is open. WaitForCallback wraps a
// callback and a submitter step in a WaitForCallback child context (protocol.md §4.1 item 4).
#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {

RawCallback DurableContext::CreateCallbackRaw(const std::string& name, int64_t timeout_seconds,
                                              int64_t heartbeat_timeout_seconds) {
  OpRef op = NextOp(model::OperationType::kCallback, "Callback", name);
  auto stored = Lookup(op);
  if (!stored) {
    OperationInfo info = InfoOf(op, false);
    inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
    auto u = Update(op, model::OperationAction::kStart);
    model::CallbackOptions options;
    if (timeout_seconds > 0) options.timeout_seconds = timeout_seconds;
    if (heartbeat_timeout_seconds > 0)
      options.heartbeat_timeout_seconds = heartbeat_timeout_seconds;
    u.callback_options = options;
    inv_->checkpointer().Send(std::move(u));
    stored = inv_->checkpointer().Get(op.id);
  }
  if (!stored || !stored->callback_details || !stored->callback_details->callback_id) {
    internal::ThrowTerminate(
        internal::TerminateSignal::Scope::kInvocation,
        model::ErrorObject{
            "CallbackError", "the engine returned no CallbackId for " + op.id, {}, {}});
  }
  return RawCallback{op.id, *stored->callback_details->callback_id};
}

std::string DurableContext::AwaitCallbackRaw(const RawCallback& callback) {
  auto stored = inv_->checkpointer().Get(callback.operation_id);
  if (!stored) internal::ThrowSuspend();
  const auto& details = stored->callback_details;
  if (model::IsTerminal(stored->status) && inv_->WasUpdated(callback.operation_id)) {
    OperationInfo info = inv_->InfoOf(*stored);
    info.is_replay = true;
    NotifyOperationEnd(info);
  }
  switch (stored->status) {
    case model::OperationStatus::kSucceeded:
      return details ? details->result.value_or("") : "";
    case model::OperationStatus::kStarted:
    case model::OperationStatus::kPending:
    case model::OperationStatus::kReady:
      inv_->MarkExecuting();
      internal::ThrowSuspend();
    default: {
      model::ErrorObject error = details && details->error ? *details->error : model::ErrorObject{};
      if (!error.error_type) {
        error.error_type = stored->status == model::OperationStatus::kTimedOut ? "Callback.Timeout"
                                                                               : "CallbackError";
      }
      ThrowDurableError(ErrorKind::kCallback, std::move(error));
    }
  }
}

std::string DurableContext::WaitForCallbackRaw(
    const std::string& name,
    std::function<void(const std::string& callback_id, StepContext&)> submitter,
    int64_t timeout_seconds, int64_t heartbeat_timeout_seconds, RetryStrategy retry_strategy) {
  RawChildOptions options;
  options.sub_type = "WaitForCallback";
  options.error_kind = ErrorKind::kCallback;
  return RunChildRaw(name, options, [&](DurableContext& child) {
    RawCallback cb = child.CreateCallbackRaw("", timeout_seconds, heartbeat_timeout_seconds);
    child.StepRaw(
        "",
        [&](StepContext& sc) {
          submitter(cb.callback_id, sc);
          return std::string("null");
        },
        retry_strategy, StepSemantics::kAtLeastOncePerRetry);
    return child.AwaitCallbackRaw(cb);
  });
}

}  // namespace durable::sdk
