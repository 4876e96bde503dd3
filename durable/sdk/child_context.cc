// Child contexts: a CONTEXT operation whose children get ids prefixed with its raw id. Results
// over 256 KiB are checkpointed as a summary with ReplayChildren=true and rebuilt on replay by
// re-running the function over its checkpointed children (protocol.md §6.1, §13.2).
#include "durable/sdk/context.h"
#include "durable/sdk/invocation.h"

namespace durable::sdk {
namespace {

constexpr size_t kMaxContextPayloadBytes = 256 * 1024;

}  // namespace

std::string DurableContext::RunChildRaw(const std::string& name, const RawChildOptions& options,
                                        const std::function<std::string(DurableContext&)>& fn) {
  return RunChildOp(NextOp(model::OperationType::kContext, options.sub_type, name), options, fn);
}

std::string DurableContext::RunChildOp(const OpRef& op, const RawChildOptions& options,
                                       const std::function<std::string(DurableContext&)>& fn) {
  if (options.is_virtual) {
    DurableContext child(inv_, op.raw_id, parent_id_, replaying_children_);
    return fn(child);
  }
  auto stored = Lookup(op);
  OperationInfo info = InfoOf(op, stored != nullptr);
  bool rebuild = false;
  if (stored) {
    const auto& details = stored->context_details;
    if (stored->status == model::OperationStatus::kSucceeded) {
      if (!details || !details->replay_children.value_or(false)) {
        return details ? details->result.value_or("") : "";
      }
      rebuild = true;
    } else if (stored->status == model::OperationStatus::kFailed) {
      ThrowDurableError(options.error_kind, details ? details->error.value_or(model::ErrorObject{})
                                                    : model::ErrorObject{});
    }
  } else {
    inv_->checkpointer().Enqueue(Update(op, model::OperationAction::kStart));
  }
  if (!rebuild) inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationStart(info); });
  DurableContext child(inv_, op.raw_id, op.id, rebuild || replaying_children_);
  info.is_replaying_children = rebuild;
  inv_->NotifyPlugins([&](Plugin& p) { p.OnUserFunctionStart(info); });
  std::string payload;
  try {
    payload = fn(child);
  } catch (const internal::SuspendSignal&) {
    throw;
  } catch (const internal::TerminateSignal&) {
    throw;
  } catch (...) {
    model::ErrorObject error = ErrorFromException(std::current_exception());
    inv_->NotifyPlugins([&](Plugin& p) { p.OnUserFunctionEnd(info); });
    if (rebuild) ThrowDurableError(options.error_kind, error);
    auto u = Update(op, model::OperationAction::kFail);
    u.error = error;
    inv_->checkpointer().Send(std::move(u));
    info.status = model::OperationStatus::kFailed;
    info.error = error;
    NotifyOperationEnd(info);
    ThrowDurableError(options.error_kind, error);
  }
  inv_->NotifyPlugins([&](Plugin& p) { p.OnUserFunctionEnd(info); });
  if (rebuild) return payload;
  auto u = Update(op, model::OperationAction::kSucceed);
  if (payload.size() > kMaxContextPayloadBytes) {
    u.payload = options.summary ? options.summary() : "";
    u.context_options = model::ContextOptions{true};
  } else {
    u.payload = payload;
  }
  inv_->checkpointer().Send(std::move(u));
  info.status = model::OperationStatus::kSucceeded;
  info.result = payload;
  NotifyOperationEnd(info);
  return payload;
}

}  // namespace durable::sdk
