// Wait: a durable timer. WAIT/START{WaitSeconds} is acknowledged, then the invocation suspends
// until the engine marks the wait SUCCEEDED (protocol.md §6.1 "wait").
#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {

void DurableContext::WaitRaw(const std::string& name, int64_t seconds) {
  if (seconds < 1 || seconds > model::kMaxWaitSeconds) {
    ThrowInvalidArgument("wait duration must be between 1 and " +
                         std::to_string(model::kMaxWaitSeconds) + " seconds");
  }
  OpRef op = NextOp(model::OperationType::kWait, "Wait", name);
  auto stored = Lookup(op);
  OperationInfo info = InfoOf(op, stored != nullptr);
  if (stored) {
    if (model::IsTerminal(stored->status)) {  // SUCCEEDED (or CANCELLED)
      // Completed by the engine since the last invocation: its end is news to plugins.
      if (inv_->WasUpdated(op.id)) NotifyOperationEnd(info);
      return;
    }
    info.status = stored->status;
    info.is_pending = true;
    inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
    internal::ThrowSuspend();
  }
  inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
  auto u = Update(op, model::OperationAction::kStart);
  u.wait_options = model::WaitOptions{seconds};
  inv_->checkpointer().Send(std::move(u));
  auto now = inv_->checkpointer().Get(op.id);
  if (now && model::IsTerminal(now->status)) return;
  internal::ThrowSuspend();
}

}  // namespace durable::sdk
