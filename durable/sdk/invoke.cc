// Invoke: a chained invocation of another function. CHAINED_INVOKE/START carries the serialized
// input; the engine runs the target and records its outcome; until then the caller suspends.
#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {

std::string DurableContext::InvokeRaw(const std::string& name, const std::string& function_name,
                                      const std::string& payload,
                                      const std::optional<std::string>& tenant_id) {
  if (function_name.empty()) ThrowInvalidArgument("Invoke needs a function name");
  OpRef op = NextOp(model::OperationType::kChainedInvoke, "ChainedInvoke", name);
  auto stored = Lookup(op);
  OperationInfo info = InfoOf(op, stored != nullptr);
  if (!stored) {
    inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
    auto u = Update(op, model::OperationAction::kStart);
    u.payload = payload;
    u.chained_invoke_options = model::ChainedInvokeOptions{function_name, tenant_id};
    inv_->checkpointer().Send(std::move(u));
    stored = inv_->checkpointer().Get(op.id);
  }
  if (!stored || !model::IsTerminal(stored->status)) {
    info.is_pending = true;
    if (info.is_replay) inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
    internal::ThrowSuspend();
  }
  if (info.is_replay && inv_->WasUpdated(op.id)) NotifyOperationEnd(info);
  const auto& details = stored->chained_invoke_details;
  if (stored->status == model::OperationStatus::kSucceeded) {
    return details ? details->result.value_or("") : "";
  }
  model::ErrorObject error = details && details->error ? *details->error : model::ErrorObject{};
  if (!error.error_type) {
    error.error_type = "ChainedInvoke." + std::string(model::ToString(stored->status));
  }
  ThrowDurableError(ErrorKind::kInvoke, std::move(error));
}

}  // namespace durable::sdk
