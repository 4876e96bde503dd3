#include "durable/sdk/context.h"

#include "durable/sdk/invocation.h"
#include "durable/sdk/operation_id.h"

namespace durable::sdk {

DurableContext::DurableContext(std::shared_ptr<internal::Invocation> invocation,
                               std::string raw_prefix, std::optional<std::string> parent_id,
                               bool replaying_children)
    : inv_(std::move(invocation)),
      prefix_(std::move(raw_prefix)),
      parent_id_(std::move(parent_id)),
      replaying_children_(replaying_children),
      logger_(inv_->log_scope(), std::nullopt, std::nullopt, std::nullopt) {}

const std::string& DurableContext::durable_execution_arn() const { return inv_->arn(); }

DurableContext::OpRef DurableContext::NextOp(model::OperationType type, std::string sub_type,
                                             const std::string& name) {
  OpRef op;
  op.raw_id = RawOperationId(prefix_, ++counter_);
  op.id = HashOperationId(op.raw_id);
  op.parent_id = parent_id_;
  if (!name.empty()) op.name = name;
  op.type = type;
  op.sub_type = std::move(sub_type);
  return op;
}

std::shared_ptr<const model::Operation> DurableContext::Lookup(const OpRef& op) {
  auto stored = inv_->checkpointer().Get(op.id);
  if (!stored) {
    inv_->MarkExecuting();
    return nullptr;
  }
  std::string what;
  if (stored->type != op.type) {
    what = "type " + std::string(model::ToString(stored->type)) + " -> " +
           std::string(model::ToString(op.type));
  } else if (stored->sub_type && *stored->sub_type != op.sub_type) {
    what = "subtype " + *stored->sub_type + " -> " + op.sub_type;
  } else if (stored->name != op.name) {
    what = "name '" + stored->name.value_or("") + "' -> '" + op.name.value_or("") + "'";
  }
  if (!what.empty()) {
    internal::ThrowTerminate(internal::TerminateSignal::Scope::kExecution,
                             model::ErrorObject{"NonDeterministicExecutionError",
                                                "Non-deterministic execution: operation " + op.id +
                                                    " (raw id " + op.raw_id + ") changed " + what,
                                                {},
                                                {}});
  }
  if (model::IsTerminal(stored->status)) {
    inv_->MarkVisited(op.id);
  } else {
    inv_->MarkExecuting();
  }
  return stored;
}

model::OperationUpdate DurableContext::Update(const OpRef& op,
                                              model::OperationAction action) const {
  return Update(OpRef(op), action);
}

model::OperationUpdate DurableContext::Update(OpRef&& op, model::OperationAction action) {
  model::OperationUpdate u;
  u.id = std::move(op.id);
  u.parent_id = std::move(op.parent_id);
  u.name = std::move(op.name);
  u.type = op.type;
  u.sub_type = std::move(op.sub_type);
  u.action = action;
  return u;
}

OperationInfo DurableContext::InfoOf(const OpRef& op, bool is_replay) {
  OperationInfo info;
  info.id = op.id;
  info.name = op.name;
  info.type = op.type;
  info.sub_type = op.sub_type;
  info.parent_id = op.parent_id;
  info.is_replay = is_replay;
  return info;
}

void DurableContext::NotifyOperationEnd(OperationInfo info) {
  if (!inv_->has_plugins()) return;
  if (auto op = inv_->checkpointer().Get(info.id)) {
    info.start_timestamp = op->start_timestamp;
    info.end_timestamp = op->end_timestamp;
    if (op->step_details) info.attempt = op->step_details->attempt;
    if (!info.status) info.status = op->status;
  }
  inv_->NotifyPlugins([&](Plugin& p) { p.OnOperationEnd(info); });
}

}  // namespace durable::sdk
