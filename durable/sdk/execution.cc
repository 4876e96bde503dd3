#include "durable/sdk/execution.h"

#include "durable/base/macros.h"
#include "durable/sdk/errors.h"
#include "durable/sdk/invocation.h"
#include "durable/sdk/operation_id.h"

namespace durable::sdk {
namespace {

using model::InvocationOutput;
using model::InvocationStatus;

constexpr int kStatePageSize = 1000;

// Takes the envelope's operations over (`input` is left without them) and appends the pages.
Result<std::vector<model::Operation>> AllOperations(model::InvocationInput& input,
                                                    CheckpointClient& client) {
  std::vector<model::Operation> ops = std::move(input.initial_execution_state.operations);
  input.initial_execution_state.operations.clear();
  std::optional<std::string> marker = input.initial_execution_state.next_marker;
  while (marker && !marker->empty()) {
    model::StateRequest req{input.checkpoint_token, marker, kStatePageSize};
    DURABLE_ASSIGN_OR_RETURN(model::StateResponse page,
                             client.GetState(input.durable_execution_arn, req));
    ops.insert(ops.end(), std::make_move_iterator(page.operations.begin()),
               std::make_move_iterator(page.operations.end()));
    marker = page.next_marker;
  }
  return ops;
}

InvocationOutput Failed(model::ErrorObject error) {
  InvocationOutput out;
  out.status = InvocationStatus::kFailed;
  out.error = std::move(error);
  return out;
}

Status InvocationError(const model::ErrorObject& e) {
  return Internal(e.error_type.value_or("InvocationError") + ": " + e.error_message.value_or(""));
}

// Runs `handler`, then flushes; never throws.
Result<InvocationOutput> RunHandler(const Handler& handler, DurableContext& root,
                                    internal::Invocation& inv, const Json& event,
                                    const RunOptions& options) {
  InvocationOutput out;
  try {
    try {
      Json result = handler(root, event);
      std::string payload = result.dump();
      inv.checkpointer().FlushAll();
      out.status = InvocationStatus::kSucceeded;
      if (payload.size() > options.max_result_bytes) {
        model::OperationUpdate u;
        u.id = HashOperationId("execution-result-" + std::to_string(inv.clock().NowMs()));
        u.type = model::OperationType::kExecution;
        u.action = model::OperationAction::kSucceed;
        u.payload = std::move(payload);
        inv.checkpointer().Send(std::move(u));
        out.result = "";
      } else {
        out.result = std::move(payload);
      }
      return out;
    } catch (const internal::SuspendSignal&) {
      inv.checkpointer().FlushAll();
      out.status = InvocationStatus::kPending;
      return out;
    } catch (const internal::TerminateSignal&) {
      throw;
    } catch (...) {
      model::ErrorObject error = ErrorFromException(std::current_exception());
      inv.checkpointer().FlushAll();
      return Failed(std::move(error));
    }
  } catch (const internal::TerminateSignal& t) {
    if (t.scope == internal::TerminateSignal::Scope::kInvocation) return InvocationError(t.error);
    return Failed(t.error);
  } catch (const internal::SuspendSignal&) {
    return Internal("suspended while flushing checkpoints");
  }
}

}  // namespace

Result<InvocationOutput> RunDurableInvocation(const Handler& handler,
                                              const model::InvocationInput& input,
                                              CheckpointClient& client, const RunOptions& options) {
  model::InvocationInput copy = input;
  return RunDurableInvocation(handler, std::move(copy), client, options);
}

Result<InvocationOutput> RunDurableInvocation(const Handler& handler,
                                              model::InvocationInput&& input,
                                              CheckpointClient& client, const RunOptions& options) {
  if (input.durable_execution_arn.empty() || input.checkpoint_token.empty()) {
    return InvalidArgument(
        "Unexpected payload provided to start the durable execution: missing "
        "DurableExecutionArn or CheckpointToken");
  }
  DURABLE_ASSIGN_OR_RETURN(std::vector<model::Operation> ops, AllOperations(input, client));
  const model::Operation* execution = nullptr;
  bool replaying = false;
  for (const auto& op : ops) {
    if (op.type == model::OperationType::kExecution) {
      if (!execution) execution = &op;
    } else {
      replaying = true;
    }
  }
  if (!execution) return InvalidArgument("the initial state has no EXECUTION operation");
  std::string input_payload = execution->execution_details
                                  ? execution->execution_details->input_payload.value_or("{}")
                                  : "{}";
  Json event = Json::parse(input_payload, nullptr, false);
  if (event.is_discarded()) return InvalidArgument("the execution input is not valid JSON");

  InvocationInfo info;
  info.durable_execution_arn = input.durable_execution_arn;
  info.request_id = options.request_id;
  info.is_first_invocation = !replaying;
  info.operations_count = static_cast<int64_t>(ops.size());
  info.updated_operation_ids = input.updated_operation_ids.value_or(std::vector<std::string>{});
  info.updated_operations_count = static_cast<int64_t>(info.updated_operation_ids.size());
  info.execution_start_timestamp = execution->start_timestamp;
  // One shared block for the checkpointer's entries and the replay bookkeeping (`execution`
  // pointed into ops: not used below).
  auto initial = std::make_shared<const std::vector<model::Operation>>(std::move(ops));

  internal::CheckpointerOptions cp_options;
  cp_options.retry_backoff_ms = options.checkpoint_retry_backoff_ms;
  auto checkpointer = std::make_unique<internal::Checkpointer>(
      &client, input.durable_execution_arn, input.checkpoint_token, initial, cp_options);
  auto inv = std::make_shared<internal::Invocation>(
      std::move(checkpointer), input.durable_execution_arn, options.request_id, options.clock,
      options.log_sink, options.plugins, replaying, std::move(initial));

  if (inv->has_plugins()) {
    inv->checkpointer().SetChangeListener([weak = std::weak_ptr(inv)](const auto& changed) {
      auto self = weak.lock();
      if (!self) return;
      OperationChangeInfo change;
      change.durable_execution_arn = self->arn();
      for (const auto& op : changed) change.updated.push_back(self->InfoOf(op));
      for (const auto& op : self->checkpointer().operations()) {
        change.all.push_back(self->InfoOf(op));
      }
      self->NotifyPlugins([&](Plugin& p) { p.OnOperationChange(change); });
    });
  }
  inv->SetUpdatedOperationIds(info.updated_operation_ids);
  inv->NotifyPlugins([&](Plugin& p) { p.OnInvocationStart(info); });

  DurableContext root(inv, "", std::nullopt, false);
  Result<InvocationOutput> out = RunHandler(handler, root, *inv, event, options);

  info.operations_count = static_cast<int64_t>(inv->checkpointer().operation_count());
  if (out.ok()) {
    info.status = out->status;
    info.terminal = out->status != InvocationStatus::kPending;
    info.result = out->result;
    info.error = out->error;
  } else {
    info.error = model::ErrorObject{"InvocationError", out.status().message(), {}, {}};
  }
  inv->NotifyPlugins([&](Plugin& p) { p.OnInvocationEnd(info); });
  return out;
}

}  // namespace durable::sdk
