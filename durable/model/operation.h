// Operation and OperationUpdate: the state the engine keeps per durable operation, and the change
// an SDK asks for in a checkpoint (protocol.md §5, §6). Pure values. Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "durable/model/types.h"

namespace durable::model {

struct ExecutionDetails {
  std::optional<std::string> input_payload;
  bool operator==(const ExecutionDetails&) const = default;
};
struct ContextDetails {
  std::optional<bool> replay_children;
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
  bool operator==(const ContextDetails&) const = default;
};
struct StepDetails {
  int32_t attempt = 0;  // completed attempts
  std::optional<TimestampMs> next_attempt_timestamp;
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
  bool operator==(const StepDetails&) const = default;
};
struct WaitDetails {
  std::optional<TimestampMs> scheduled_end_timestamp;
  bool operator==(const WaitDetails&) const = default;
};
struct CallbackDetails {
  std::optional<std::string> callback_id;
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
  bool operator==(const CallbackDetails&) const = default;
};
struct ChainedInvokeDetails {
  std::optional<std::string> result;
  std::optional<ErrorObject> error;
  bool operator==(const ChainedInvokeDetails&) const = default;
};

// The wire shape of an operation (what SDKs see in the envelope, state and checkpoint responses).
// Exactly the details member matching `type` is set.
struct Operation {
  std::string id;
  std::optional<std::string> parent_id;
  std::optional<std::string> name;
  OperationType type = OperationType::kStep;
  std::optional<std::string> sub_type;
  TimestampMs start_timestamp = 0;
  std::optional<TimestampMs> end_timestamp;
  OperationStatus status = OperationStatus::kStarted;
  std::optional<ExecutionDetails> execution_details;
  std::optional<ContextDetails> context_details;
  std::optional<StepDetails> step_details;
  std::optional<WaitDetails> wait_details;
  std::optional<CallbackDetails> callback_details;
  std::optional<ChainedInvokeDetails> chained_invoke_details;
  bool operator==(const Operation&) const = default;
};

// Engine bookkeeping kept beside an operation; never sent on the wire.
struct OperationMeta {
  int64_t sequence = 0;  // start order within the execution (1 = EXECUTION)
  // WAIT
  std::optional<int64_t> wait_seconds;
  // CALLBACK (0 / absent = disabled)
  std::optional<int64_t> callback_timeout_seconds;
  std::optional<int64_t> callback_heartbeat_timeout_seconds;
  std::optional<TimestampMs> callback_deadline;            // absolute timeout
  std::optional<TimestampMs> callback_heartbeat_deadline;  // sliding
  // CHAINED_INVOKE
  std::optional<std::string> invoke_function_name;
  std::optional<std::string> invoke_tenant_id;
  std::optional<std::string> invoke_input;
  std::optional<std::string> invoke_child_arn;
  bool operator==(const OperationMeta&) const = default;
};

struct OperationRecord {
  Operation operation;
  OperationMeta meta;
  bool operator==(const OperationRecord&) const = default;
};

struct ContextOptions {
  std::optional<bool> replay_children;
  bool operator==(const ContextOptions&) const = default;
};
struct StepOptions {
  std::optional<int64_t> next_attempt_delay_seconds;
  bool operator==(const StepOptions&) const = default;
};
struct WaitOptions {
  std::optional<int64_t> wait_seconds;
  bool operator==(const WaitOptions&) const = default;
};
struct CallbackOptions {
  std::optional<int64_t> timeout_seconds;
  std::optional<int64_t> heartbeat_timeout_seconds;
  bool operator==(const CallbackOptions&) const = default;
};
struct ChainedInvokeOptions {
  std::optional<std::string> function_name;
  std::optional<std::string> tenant_id;
  bool operator==(const ChainedInvokeOptions&) const = default;
};

struct OperationUpdate {
  std::string id;
  std::optional<std::string> parent_id;
  std::optional<std::string> name;
  OperationType type = OperationType::kStep;
  std::optional<std::string> sub_type;
  OperationAction action = OperationAction::kStart;
  std::optional<std::string> payload;
  std::optional<ErrorObject> error;
  std::optional<ContextOptions> context_options;
  std::optional<StepOptions> step_options;
  std::optional<WaitOptions> wait_options;
  std::optional<CallbackOptions> callback_options;
  std::optional<ChainedInvokeOptions> chained_invoke_options;
  bool operator==(const OperationUpdate&) const = default;
};

}  // namespace durable::model
