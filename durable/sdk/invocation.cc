#include "durable/sdk/invocation.h"

#include <utility>

namespace durable::sdk::internal {

Invocation::Invocation(std::unique_ptr<Checkpointer> checkpointer, std::string arn,
                       std::string request_id, const Clock* clock, LogSink sink,
                       std::vector<std::shared_ptr<Plugin>> plugins, bool replaying,
                       std::shared_ptr<const std::vector<model::Operation>> initial_operations)
    : checkpointer_(std::move(checkpointer)),
      arn_(std::move(arn)),
      clock_(clock),
      plugins_(std::move(plugins)),
      replaying_(std::make_shared<std::atomic<bool>>(replaying)),
      initial_operations_(std::move(initial_operations)) {
  auto scope = std::make_shared<LogScope>();
  scope->durable_execution_arn = arn_;
  scope->request_id = std::move(request_id);
  scope->clock = clock_;
  scope->sink = std::move(sink);
  scope->is_replaying = [flag = replaying_] { return flag->load(); };
  log_scope_ = std::move(scope);
  unvisited_.reserve(initial_operations_->size());
  for (const auto& op : *initial_operations_) {
    if (op.type == model::OperationType::kExecution) continue;
    if (model::IsTerminal(op.status)) unvisited_.insert(op.id);
    if (op.parent_id) children_.emplace(*op.parent_id, op.id);
  }
  if (unvisited_.empty()) replaying_->store(false);
}

void Invocation::MarkVisited(const std::string& id) {
  std::lock_guard<std::mutex> lock(visit_mu_);
  if (children_.empty()) {  // no child contexts (the usual replay): nothing to walk
    unvisited_.erase(id);
    if (unvisited_.empty()) replaying_->store(false);
    return;
  }
  std::vector<std::string_view> todo = {id};
  while (!todo.empty()) {
    std::string_view next = todo.back();
    todo.pop_back();
    unvisited_.erase(next);
    auto [begin, end] = children_.equal_range(next);
    for (auto it = begin; it != end; ++it) todo.push_back(it->second);
  }
  if (unvisited_.empty()) replaying_->store(false);
}

OperationInfo Invocation::InfoOf(const model::Operation& op) const {
  OperationInfo info;
  info.id = op.id;
  info.name = op.name;
  info.type = op.type;
  info.sub_type = op.sub_type.value_or("");
  info.parent_id = op.parent_id;
  info.status = op.status;
  info.start_timestamp = op.start_timestamp;
  info.end_timestamp = op.end_timestamp;
  if (op.step_details) {
    info.attempt = op.step_details->attempt;
    info.result = op.step_details->result;
    info.error = op.step_details->error;
  } else if (op.context_details) {
    info.result = op.context_details->result;
    info.error = op.context_details->error;
  } else if (op.callback_details) {
    info.result = op.callback_details->result;
    info.error = op.callback_details->error;
  } else if (op.chained_invoke_details) {
    info.result = op.chained_invoke_details->result;
    info.error = op.chained_invoke_details->error;
  }
  return info;
}

}  // namespace durable::sdk::internal
