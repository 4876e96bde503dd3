// The operations an SDK sees in the envelope and in GetDurableExecutionState: EXECUTION first,
// then by start sequence, with the descendants of completed contexts pruned unless the context
// asked for ReplayChildren (protocol.md §3.1 rule 5).
#include <unordered_set>

#include "durable/engine/core.h"

namespace durable::engine {

std::vector<model::Operation> VisibleOperations(const ExecutionState& s) {
  std::vector<model::Operation> out;
  std::unordered_set<std::string> hidden_parents;  // ids whose children are pruned
  out.reserve(s.operations.size());
  for (const auto& rec : s.operations) {
    const auto& op = rec.operation;
    if (op.parent_id && hidden_parents.count(*op.parent_id)) {
      hidden_parents.insert(op.id);  // descendants of a pruned op are pruned too
      continue;
    }
    out.push_back(op);
    bool completed = op.status == model::OperationStatus::kSucceeded ||
                     op.status == model::OperationStatus::kFailed;
    bool replay = op.context_details && op.context_details->replay_children.value_or(false);
    if (op.type == model::OperationType::kContext && completed && !replay) {
      hidden_parents.insert(op.id);
    }
  }
  return out;
}

size_t ApproxSize(const model::Operation& op) {
  size_t n = 200 + op.id.size() + op.name.value_or("").size();
  auto add_error = [&n](const std::optional<model::ErrorObject>& e) {
    if (!e) return;
    n += e->error_message.value_or("").size() + e->error_type.value_or("").size() +
         e->error_data.value_or("").size();
    if (e->stack_trace) {
      for (const auto& l : *e->stack_trace) n += l.size() + 4;
    }
  };
  if (op.execution_details) n += op.execution_details->input_payload.value_or("").size();
  if (op.step_details) {
    n += op.step_details->result.value_or("").size();
    add_error(op.step_details->error);
  }
  if (op.context_details) {
    n += op.context_details->result.value_or("").size();
    add_error(op.context_details->error);
  }
  if (op.callback_details) {
    n += op.callback_details->result.value_or("").size() + 64;
    add_error(op.callback_details->error);
  }
  if (op.chained_invoke_details) {
    n += op.chained_invoke_details->result.value_or("").size();
    add_error(op.chained_invoke_details->error);
  }
  return n;
}

}  // namespace durable::engine
